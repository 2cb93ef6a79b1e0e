"""A throw-away PostgreSQL cluster for the tests: initdb in a temporary
folder, a server listening on a Unix socket in that folder and on a free
127.0.0.1 port, stopped and removed at the end.

PostgreSQL refuses to run as root: as root, initdb and the server run as the
`postgres` user (runuser), which owns the temporary folder. Needs Debian's
postgresql (15) package; without it the tests fail saying so.
"""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time


class Missing(RuntimeError):
    "PostgreSQL's server programs are not installed."


def bindir():
    found = sorted(glob.glob('/usr/lib/postgresql/*/bin/initdb'))
    if not found:
        raise Missing('PostgreSQL is not installed: apt-get install '
            'postgresql (tools/install-tryton-deps.sh does it)')
    return os.path.dirname(found[-1])


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Cluster:
    "initdb + pg_ctl start; use as a context manager or call stop()."

    def __init__(self, user='tryton'):
        self.bin = bindir()
        self.dir = tempfile.mkdtemp(prefix='crmtier-pg-')
        os.chmod(self.dir, 0o755)
        self.data = os.path.join(self.dir, 'data')
        self.log = os.path.join(self.dir, 'server.log')
        self.port = free_port()
        self.user = user
        self._as = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, 'postgres', 'postgres')
            self._as = ['runuser', '-u', 'postgres', '--']
        try:
            self._run('initdb', '-D', self.data, '-A', 'trust', '-U',
                'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync')
            self._run('pg_ctl', '-D', self.data, '-l', self.log, '-w', '-o',
                '-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off '
                '-c full_page_writes=off -c synchronous_commit=off '
                '-c max_connections=200' % (self.port, self.dir),
                'start')
            self.psql('CREATE ROLE %s LOGIN CREATEDB SUPERUSER' % user)
        except BaseException:
            self.stop()
            raise

    @classmethod
    def attach(cls, socket_dir, port, user='tryton'):
        "A cluster started elsewhere (not stopped by stop())."
        self = cls.__new__(cls)
        self.bin = bindir()
        self.dir = socket_dir
        self.data = None
        self.port = int(port)
        self.user = user
        self._as = []
        return self

    def _run(self, program, *args):
        subprocess.run(self._as + [os.path.join(self.bin, program)]
            + list(args), check=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)

    @property
    def host(self):
        "The socket folder: libpq's host for a Unix-socket connection."
        return self.dir

    def uri(self):
        "A trytond [database] uri reaching this cluster as `user`."
        return 'postgresql://%s@/?host=%s&port=%d' % (
            self.user, self.dir, self.port)

    def connect(self, dbname='postgres'):
        import psycopg2
        return psycopg2.connect(host=self.dir, port=self.port,
            user=self.user, dbname=dbname)

    def psql(self, *statements, dbname='postgres'):
        import psycopg2
        conn = psycopg2.connect(host=self.dir, port=self.port,
            user='postgres', dbname=dbname)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            conn.close()

    def clone(self, template, name):
        "CREATE DATABASE name TEMPLATE template (about 0.2 s)."
        for _ in range(50):
            try:
                self.psql('CREATE DATABASE "%s" TEMPLATE "%s" OWNER %s'
                    % (name, template, self.user))
                return
            except Exception as error:  # template still in use
                if 'is being accessed by other users' not in str(error):
                    raise
                time.sleep(0.1)
        raise RuntimeError('template %s stays busy' % template)

    def stop(self):
        if self.data is None:
            return
        if os.path.exists(os.path.join(self.data, 'postmaster.pid')):
            subprocess.run(self._as + [os.path.join(self.bin, 'pg_ctl'),
                    '-D', self.data, '-m', 'immediate', '-w', 'stop'],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
