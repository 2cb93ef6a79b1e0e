"""crmtier in Tryton as it runs in production: PostgreSQL (a throw-away
cluster), trytond under gunicorn with 4 worker processes, trytond-worker
(Tryton's queue, where the refresh runs) and trytond-cron, all on
127.0.0.1, all started and stopped here. Clients talk JSON-RPC only.

After every scenario, every party's stored tier, colour, temperature and
next contact (read over JSON-RPC) must equal a fresh scoring of the
database by a new engine on an export of the data (fresh.py), and no client
call may have failed.

Run with the Python of an installation of the module (CTest: the virtual
environment of tryton_install); needs CRMTIER_LIBRARY, Debian's
postgresql, gunicorn, python3-psycopg2 and /usr/bin/trytond*.
"""
import datetime
import multiprocessing
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
import demo_jsonrpc  # noqa: E402
import fresh  # noqa: E402
import pg_data  # noqa: E402
import pgcluster  # noqa: E402

TRYTOND_ADMIN = '/usr/bin/trytond-admin'
TRYTOND_WORKER = '/usr/bin/trytond-worker'
TRYTOND_CRON = '/usr/bin/trytond-cron'
PASSWORD = 'admin-pass-1'
AS_OF = '2026-11-27'
PARTIES, SALES = 300, 500
FIELDS = ['crmtier_tier', 'crmtier_colour', 'crmtier_temperature',
    'crmtier_next_contact']
CLIENTS, SECONDS = 4, 60


def plain(value):
    "An answer's date as ISO text, as fresh.py's results have them."
    value = demo_jsonrpc.value_of(value)
    return value.isoformat() if isinstance(value, datetime.date) else value


def children(pid):
    "Process ids whose parent is pid."
    found = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/stat' % entry) as f:
                    fields = f.read().rsplit(')', 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry))
            except OSError:
                continue
    return found


def socket_owner(local_port, server_port, candidates):
    """The process (among candidates) holding the server side of the TCP
    connection from 127.0.0.1:local_port to server_port."""
    inode = None
    with open('/proc/net/tcp') as f:
        next(f)
        for line in f:
            parts = line.split()
            local, remote = parts[1], parts[2]
            if (int(local.split(':')[1], 16) == server_port
                    and int(remote.split(':')[1], 16) == local_port):
                inode = parts[9]
    if inode is None:
        return None
    target = 'socket:[%s]' % inode
    for pid in candidates:
        try:
            for fd in os.listdir('/proc/%d/fd' % pid):
                if os.readlink('/proc/%d/fd/%s' % (pid, fd)) == target:
                    return pid
        except OSError:
            continue
    return None


class Stack:
    "gunicorn (4 workers) + trytond-worker + trytond-cron for one database."

    def __init__(self, suite, database, conf, workers=4):
        self.suite = suite
        self.workers = workers
        self.database = database
        self.conf = conf
        self.port = pgcluster.free_port()
        self.dir = tempfile.mkdtemp(prefix='crmtier-stack-', dir=suite.dir)
        self.procs = {}

    def _spawn(self, name, args, env=None):
        log = open(os.path.join(self.dir, name + '.log'), 'w')
        self.procs[name] = (subprocess.Popen(args, stdout=log,
                stderr=subprocess.STDOUT, env=env), log)

    def start(self, cron=True):
        env = dict(os.environ, TRYTOND_CONFIG=self.conf,
            TRYTOND_DATABASE_NAMES=self.database)
        self._spawn('gunicorn', [sys.executable, '-m', 'gunicorn',
                '-w', str(self.workers), '-b', '127.0.0.1:%d' % self.port,
                '--pid', os.path.join(self.dir, 'gunicorn.pid'),
                'trytond.application:app'], env)
        self._spawn('worker', [sys.executable, TRYTOND_WORKER,
                '-c', self.conf, '-d', self.database, '-n', '2'])
        if cron:
            self._spawn('cron', [sys.executable, TRYTOND_CRON,
                    '-c', self.conf, '-d', self.database])
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(('127.0.0.1', self.port), 1).close()
                if len(self.gunicorn_workers()) == self.workers:
                    return
            except OSError:
                pass
            for name, (proc, _) in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError('%s exited: %s' % (
                            name, self.log(name)))
            time.sleep(0.2)
        raise RuntimeError('gunicorn did not start: %s' % self.log('gunicorn'))

    def log(self, name):
        with open(os.path.join(self.dir, name + '.log')) as f:
            return f.read()[-3000:]

    def gunicorn_workers(self):
        return children(self.procs['gunicorn'][0].pid)

    def refresher_pids(self):
        return children(self.procs['worker'][0].pid)

    def stop(self):
        for name, (proc, log) in self.procs.items():
            if proc.poll() is None:
                proc.terminate()
        for name, (proc, log) in self.procs.items():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                for pid in children(proc.pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                proc.kill()
                proc.wait()
            log.close()
        self.procs = {}

    def rpc(self, user='admin', password=PASSWORD):
        client = demo_jsonrpc.Rpc('http://127.0.0.1:%d' % self.port,
            self.database)
        client.login(user, password)
        return client


class PostgreSQLTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.library = os.environ['CRMTIER_LIBRARY']
        cls.dir = tempfile.mkdtemp(prefix='crmtier-pgtest-')
        reuse = os.environ.get('CRMTIER_TEST_PG_REUSE')
        if reuse:
            # While developing: a cluster left running (SOCKET_DIR:PORT)
            # that already holds the template database.
            cls.cluster = pgcluster.Cluster.attach(*reuse.split(':'))
            return
        cls.cluster = pgcluster.Cluster()
        try:
            cls.passfile = os.path.join(cls.dir, 'pass')
            with open(cls.passfile, 'w') as f:
                f.write(PASSWORD + '\n')
            conf = cls.config('template', as_of=AS_OF)
            cls.cluster.psql('CREATE DATABASE template0crm OWNER tryton')
            start = time.monotonic()
            subprocess.run([sys.executable, TRYTOND_ADMIN, '-c', conf,
                    '-d', 'template0crm', '-u', 'crmtier',
                    '--activate-dependencies', '--email', 'admin@example.com',
                    '-p'], env=dict(os.environ, TRYTONPASSFILE=cls.passfile),
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            subprocess.run([sys.executable, os.path.join(HERE, 'pg_data.py'),
                    conf, 'template0crm', str(PARTIES), str(SALES), '7',
                    'Europe/Berlin'], check=True, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE)
            print('template database ready in %.0f s' % (
                    time.monotonic() - start), file=sys.stderr)
        except BaseException:
            cls.cluster.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.cluster.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def config(cls, name, as_of=None, batch=None):
        path = os.path.join(cls.dir, name + '.conf')
        with open(path, 'w') as f:
            f.write('[database]\nuri = %s\n' % cls.cluster.uri())
            f.write('[cache]\nclean_timeout = 0\n')
            f.write('[queue]\nworker = True\n')
            f.write('[crmtier]\nlibrary = %s\n' % cls.library)
            if as_of:
                f.write('as_of = %s\n' % as_of)
            if batch:
                f.write('batch = %d\n' % batch)
        return path

    def setUp(self):
        self.database = 'db_%s' % self._testMethodName[5:30]
        self.cluster.psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)'
            % self.database)
        self.cluster.clone('template0crm', self.database)
        self.connection = self.cluster.connect(self.database)
        self.connection.autocommit = True
        self.stack = None

    def tearDown(self):
        if self.stack:
            self.stack.stop()
        self.connection.close()
        self.cluster.psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)'
            % self.database)

    def serve(self, **config):
        conf = self.config(self.database, **config)
        self.stack = Stack(self, self.database, conf)
        self.stack.start()
        return self.stack

    # ------------------------------------------------------------ helpers
    def sql(self, query, *args):
        with self.connection.cursor() as cursor:
            cursor.execute(query, args)
            return cursor.fetchall()

    def wait_quiet(self, timeout=240):
        """Until no task is waiting in Tryton's queue and no refresher is
        busy, twice in a row a second apart."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            (waiting,), = self.sql("SELECT count(*) FROM ir_queue "
                "WHERE finished_at IS NULL")
            (busy,), = self.sql("SELECT count(*) FROM crmtier_refresher "
                "WHERE state IN ('building', 'refreshing')")
            quiet = quiet + 1 if not waiting and not busy else 0
            if quiet >= 2:
                return
            time.sleep(1)
        self.fail('the queue never emptied: %s' % self.stack.log('worker'))

    def stored(self, rpc):
        "Every active party's four result fields, over JSON-RPC."
        context = rpc('model.res.user.get_preferences', True, {})
        rows = rpc('model.party.party.search_read', [], 0, None, None,
            ['id'] + FIELDS, context)
        return {r['id']: {f[len('crmtier_'):]: plain(r[f]) for f in FIELDS}
            for r in rows}

    def assertEqualsFreshScoring(self, rpc, as_of, policy='{}'):
        expected = fresh.score(self.connection, as_of, policy,
            library=self.library)
        stored = self.stored(rpc)
        self.assertEqual(len(stored), len(expected))
        wrong = fresh.differences(expected, stored)
        self.assertEqual(wrong, {}, '%d of %d parties differ (first: %s)'
            % (len(wrong), len(stored), sorted(wrong.items())[:3]))
        return expected

    def assertOnlyRefreshersWroteResults(self):
        """Every stored result was written by a trytond-worker process,
        none by a gunicorn worker (a user's request)."""
        pids = {int(r[0].split(':')[1]) for r in self.sql(
                "SELECT DISTINCT origin FROM crmtier_result")}
        self.assertTrue(pids)
        self.assertLessEqual(pids, set(self.stack.refresher_pids()))

    # ------------------------------------------------------------- tests
    def test_concurrent_saves_equal_a_fresh_scoring(self):
        """4 client processes save random parties, addresses and sales for
        a minute through 4 gunicorn workers."""
        stack = self.serve(as_of=AS_OF)
        self.wait_quiet()
        before, = self.sql("SELECT n_tup_upd FROM pg_stat_user_tables "
            "WHERE relname = 'crmtier_configuration'")
        queue = multiprocessing.get_context('fork').Queue()
        clients = [multiprocessing.get_context('fork').Process(
                target=client, args=(stack.port, self.database, seed,
                    SECONDS, queue)) for seed in range(CLIENTS)]
        for c in clients:
            c.start()
        reports = [queue.get(timeout=SECONDS + 120) for _ in clients]
        for c in clients:
            c.join(30)
        calls = sum(r['calls'] for r in reports)
        errors = [e for r in reports for e in r['errors']]
        print('%d client calls in %d s (%s), %d errors' % (calls, SECONDS,
                ', '.join('%s %d' % kv for kv in sorted(
                        sum((list(r['ops'].items()) for r in reports),
                            [])))[:400], len(errors)), file=sys.stderr)
        self.assertEqual(errors, [])
        self.assertGreater(calls, 100)
        self.wait_quiet()
        self.assertEqualsFreshScoring(stack.rpc(), AS_OF)
        # No one-row counter: the configuration row was never updated.
        after, = self.sql("SELECT n_tup_upd FROM pg_stat_user_tables "
            "WHERE relname = 'crmtier_configuration'")
        self.assertEqual(after, before)
        self.assertOnlyRefreshersWroteResults()

    def test_a_worker_killed_in_the_middle_of_a_save_loses_nothing(self):
        stack = self.serve(as_of=AS_OF)
        rpc = stack.rpc()
        context = rpc('model.res.user.get_preferences', True, {})
        self.wait_quiet()
        victim, other = [r[0] for r in self.sql(
                "SELECT id FROM party_party WHERE name LIKE 'Client %%' "
                "ORDER BY id LIMIT 2")]
        # Hold the victim's row: its save waits inside the transaction.
        lock = self.cluster.connect(self.database)
        lock_cursor = lock.cursor()
        lock_cursor.execute('SELECT id FROM party_party WHERE id = %s '
            'FOR UPDATE', (victim,))
        blocked = demo_jsonrpc.Rpc('http://127.0.0.1:%d' % stack.port,
            self.database)
        blocked.auth = rpc.auth
        outcome = {}

        def save():
            try:
                blocked('model.party.party.write', [victim],
                    {'employees': 4321}, context)
                outcome['result'] = 'saved'
            except Exception as error:
                outcome['result'] = repr(error)
        thread = threading.Thread(target=save)
        thread.start()
        deadline = time.monotonic() + 30
        pid = None
        while pid is None and time.monotonic() < deadline:
            (waiting,), = self.sql("SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = %s",
                self.database)
            if waiting:
                for local_port in client_ports(stack.port):
                    pid = socket_owner(local_port, stack.port,
                        stack.gunicorn_workers())
                    if pid:
                        break
            time.sleep(0.1)
        self.assertIsNotNone(pid, 'the blocked save was not found')
        os.kill(pid, signal.SIGKILL)
        # The other workers go on saving meanwhile.
        rpc('model.party.party.write', [other], {'employees': 1234}, context)
        lock.rollback()
        lock.close()
        thread.join(60)
        self.assertNotEqual(outcome.get('result'), 'saved')
        # gunicorn replaces the killed worker; the killed save never
        # committed; the other did.
        deadline = time.monotonic() + 30
        while (len(stack.gunicorn_workers()) != 4
                or pid in stack.gunicorn_workers()):
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.2)
        self.assertNotEqual(self.sql('SELECT employees FROM party_party '
                'WHERE id = %s', victim)[0][0], 4321)
        self.assertEqual(self.sql('SELECT employees FROM party_party '
                'WHERE id = %s', other)[0][0], 1234)
        # The save, sent again, goes through; everything converges.
        rpc('model.party.party.write', [victim], {'employees': 4321},
            context)
        self.wait_quiet()
        self.assertEqualsFreshScoring(stack.rpc(), AS_OF)

    def test_a_policy_change_in_one_process_is_seen_by_all(self):
        stack = self.serve(as_of=AS_OF)
        rpc = stack.rpc()
        context = rpc('model.res.user.get_preferences', True, {})
        self.wait_quiet()
        policy = '{"cadence": {"D": {"days": 7}}, "tiers": {"A": 0.7}}'
        rpc('model.crmtier.configuration.write', [1], {'policy': policy},
            context)
        # Every gunicorn worker reads the new policy at once...
        for _ in range(20):
            row, = stack.rpc()('model.crmtier.configuration.read', [1],
                ['policy'], context)
            self.assertEqual(row['policy'], policy)
        # ...and every party is rescored under it, in the background.
        self.wait_quiet()
        self.assertEqualsFreshScoring(rpc, AS_OF, policy)
        # A save after the change is scored under it too.
        party = self.sql("SELECT id FROM party_party WHERE name LIKE "
            "'Client %%' ORDER BY id DESC LIMIT 1")[0][0]
        rpc('model.party.party.write', [party], {
                'crmtier_last_contact': demo_jsonrpc.date('2026-11-01'),
                'employees': 3}, context)
        self.wait_quiet()
        self.assertEqualsFreshScoring(rpc, AS_OF, policy)

    def test_the_day_rolls_over_at_midnight_in_the_company_time_zone(self):
        """No fixed as-of date: today is the company's. Moving the company
        from UTC-11 to UTC+14 moves its date by a day or two, exactly what
        midnight does: the next refresh (here the cron's) rolls every party
        over, in batches, outside users' transactions."""
        stack = self.serve(batch=25)
        rpc = stack.rpc()
        context = rpc('model.res.user.get_preferences', True, {})
        company, = rpc('model.company.company.search', [], 0, None, None,
            context)
        rpc('model.company.company.write', [company],
            {'timezone': 'Pacific/Pago_Pago'}, context)
        rpc('model.crmtier.configuration.rescore_all', [1], context)
        self.wait_quiet()
        day = datetime.datetime.now(ZoneInfo('Pacific/Pago_Pago')).date()
        self.assertEqualsFreshScoring(rpc, day.isoformat())

        # Hold the stored row of a party the roll-over must rewrite (never
        # contacted: due on the new day), half-way through the parties, so
        # that the roll-over is seen in the middle of its batches.
        never = [r[0] for r in self.sql(
                "SELECT id FROM party_party WHERE crmtier_last_contact IS "
                "NULL AND active ORDER BY id")]
        held = never[len(never) // 2]
        lock = self.cluster.connect(self.database)
        lock.cursor().execute('SELECT id FROM crmtier_result WHERE id = %s '
            'FOR UPDATE', (held,))
        try:
            rpc('model.company.company.write', [company],
                {'timezone': 'Pacific/Kiritimati'}, context)
            # Its next run is due now (it runs every 5 minutes).
            self.sql("UPDATE ir_cron SET next_call = NULL WHERE method = "
                "'crmtier.configuration|crmtier_cron' RETURNING id")
            subprocess.run([sys.executable, TRYTOND_CRON, '-c', stack.conf,
                    '-d', self.database, '-1'], check=True,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 120
            while not self.sql("SELECT 1 FROM pg_stat_activity WHERE "
                    "wait_event_type = 'Lock' AND datname = %s",
                    self.database):
                self.assertLess(time.monotonic(), deadline,
                    'the roll-over never reached the held row')
                time.sleep(0.1)
            (remaining,), = self.sql("SELECT max(remaining) FROM "
                "crmtier_refresher WHERE state = 'refreshing'")
            # Earlier batches are committed, later ones wait: batches.
            self.assertGreater(remaining or 0, 0)
            # A user's save meanwhile goes through: it only logs.
            party = never[0]
            rpc('model.party.party.write', [party], {'employees': 7},
                context)
            self.assertEqual(self.sql("SELECT employees FROM party_party "
                    "WHERE id = %s", party)[0][0], 7)
            self.assertTrue(self.sql("SELECT 1 FROM pg_stat_activity WHERE "
                    "wait_event_type = 'Lock' AND datname = %s",
                    self.database))
        finally:
            lock.rollback()
            lock.close()
        self.wait_quiet()
        new_day = datetime.datetime.now(ZoneInfo('Pacific/Kiritimati')).date()
        self.assertNotEqual(new_day, day)
        expected = self.assertEqualsFreshScoring(rpc, new_day.isoformat())
        self.assertEqual(expected[held]['next_contact'], new_day.isoformat())

    def test_the_rep_sees_their_own_worklists(self):
        stack = self.serve(as_of=AS_OF)
        self.wait_quiet()
        admin = stack.rpc()
        rep = stack.rpc('rep1', pg_data.REP_PASSWORD)
        context = rep('model.res.user.get_preferences', True, {})
        self.assertTrue(context.get('employee'))
        action_id = xml_id(admin, 'act_my_contacts_due')
        action, = rep('model.ir.action.act_window.read', [action_id],
            ['pyson_domain', 'pyson_order'], context)
        # What the Tryton client does: decode the action's PYSON with the
        # user's context, search with it.
        from trytond.pyson import PYSONDecoder
        domain = to_rpc(PYSONDecoder({'context': context}).decode(
                action['pyson_domain']))
        order = to_rpc(PYSONDecoder({'context': context}).decode(
                action['pyson_order']))
        mine = rep('model.party.party.search_read', domain, 0, None, order,
            ['crmtier_rep', 'crmtier_next_contact', 'crmtier_overdue_days'],
            context)
        self.assertTrue(mine)
        self.assertEqual({r['crmtier_rep'] for r in mine},
            {context['employee']})
        dates = [plain(r['crmtier_next_contact']) for r in mine]
        self.assertEqual(dates, sorted(dates))
        overdue = [r for r in mine if r['crmtier_overdue_days'] > 0]
        self.assertTrue(overdue)
        self.assertEqual(mine[:len(overdue)], overdue)
        # The manager's list holds every rep's parties.
        action_id = xml_id(admin, 'act_all_contacts_due')
        action, = admin('model.ir.action.act_window.read', [action_id],
            ['pyson_domain'], {})
        everyone = admin('model.party.party.search_read', to_rpc(
                PYSONDecoder({'context': {}}).decode(
                    action['pyson_domain'])), 0, None, None,
            ['crmtier_rep'], {})
        self.assertGreater(len({r['crmtier_rep'] for r in everyone}), 1)


def xml_id(rpc, name):
    "The database id of the crmtier record with this XML id."
    row, = rpc('model.ir.model.data.search_read', [
            ('module', '=', 'crmtier'), ('fs_id', '=', name)], 0, None, None,
        ['db_id'], {})
    return row['db_id']


def to_rpc(value):
    "A decoded PYSON value as JSON-RPC sends it (dates as objects)."
    if isinstance(value, datetime.date):
        return demo_jsonrpc.date(value)
    if isinstance(value, (list, tuple)):
        return [to_rpc(v) for v in value]
    return value

def client_ports(server_port):
    "Local ports of this process's connections to server_port."
    ports = []
    with open('/proc/net/tcp') as f:
        next(f)
        for line in f:
            parts = line.split()
            local, remote = parts[1], parts[2]
            if int(remote.split(':')[1], 16) == server_port:
                ports.append(int(local.split(':')[1], 16))
    return ports


def client(port, database, seed, seconds, queue):
    """One client process: random saves for `seconds`; reports the calls
    made and every error."""
    rnd = random.Random(seed)
    report = {'calls': 0, 'errors': [], 'ops': {}}
    try:
        rpc = demo_jsonrpc.Rpc('http://127.0.0.1:%d' % port, database)
        rpc.login('admin', PASSWORD)
        context = rpc('model.res.user.get_preferences', True, {})
        parties = rpc('model.party.party.search',
            [('name', 'like', 'Client %')], 0, None, None, context)
        countries = rpc('model.country.subdivision.search_read', [], 0,
            None, None, ['country'], context)
        categories = rpc('model.party.category.search',
            [('parent.name', '=', 'Industry')], 0, None, None, context)
        inactive = []
        end = time.monotonic() + seconds
        n = 0
        while time.monotonic() < end:
            n += 1
            op = rnd.choices(['party', 'sale', 'new', 'address', 'off',
                    'on', 'read'], [35, 30, 8, 10, 6, 6, 5])[0]
            try:
                if op == 'party':
                    values = rnd.choice([
                            {'employees': rnd.choice([3, 30, 90, 300, 3000])},
                            {'crmtier_last_contact': demo_jsonrpc.date(
                                    datetime.date(2026, 11, 27)
                                    - datetime.timedelta(
                                        days=rnd.randint(0, 300)))},
                            {'name': 'Client %d-%d' % (seed, n)}])
                    rpc('model.party.party.write', [rnd.choice(parties)],
                        values, context)
                elif op == 'sale':
                    party = rnd.choice(parties)
                    address, = rpc('model.party.party.read', [party],
                        ['addresses'], context)[0]['addresses'][:1] or [None]
                    sale, = rpc('model.sale.sale.create', [{
                                'party': party,
                                'invoice_address': address,
                                'shipment_address': address,
                                'invoice_method': 'manual',
                                'shipment_method': 'manual',
                                'sale_date': demo_jsonrpc.date(
                                    datetime.date(2026, 11, 27)
                                    - datetime.timedelta(
                                        days=rnd.randint(0, 700))),
                                'lines': [['create', [{
                                                'type': 'line',
                                                'description': 'x',
                                                'quantity': 1.0,
                                                'unit_price': {
                                                    '__class__': 'Decimal',
                                                    'decimal': str(
                                                        rnd.randint(100,
                                                            30000))}}]]],
                                }], context)
                    rpc('model.sale.sale.quote', [sale], context)
                    rpc('model.sale.sale.confirm', [sale], context)
                    report['calls'] += 3
                elif op == 'new':
                    subdivision = rnd.choice(countries)
                    party, = rpc('model.party.party.create', [{
                                'name': 'Client new %d-%d' % (seed, n),
                                'employees': rnd.choice([5, 60, 500]),
                                'categories': [['add', [
                                            rnd.choice(categories)]]],
                                'addresses': [['create', [{
                                                'country': subdivision[
                                                    'country'],
                                                'subdivision': subdivision[
                                                    'id']}]]],
                                }], context)
                    parties.append(party)
                elif op == 'address':
                    party = rnd.choice(parties)
                    addresses = rpc('model.party.party.read', [party],
                        ['addresses'], context)[0]['addresses']
                    subdivision = rnd.choice(countries)
                    if addresses:
                        rpc('model.party.address.write', addresses[:1], {
                                'country': subdivision['country'],
                                'subdivision': subdivision['id']}, context)
                elif op == 'off':
                    party = rnd.choice(parties)
                    rpc('model.party.party.write', [party],
                        {'active': False}, context)
                    parties.remove(party)
                    inactive.append(party)
                elif op == 'on' and inactive:
                    party = inactive.pop(rnd.randrange(len(inactive)))
                    rpc('model.party.party.write', [party],
                        {'active': True}, context)
                    parties.append(party)
                else:
                    rpc('model.party.party.search_read',
                        [('crmtier_tier', '=', 'A')], 0, 20,
                        [['crmtier_temperature', 'ASC']],
                        ['name', 'crmtier_colour'], context)
                report['calls'] += 1
                report['ops'][op] = report['ops'].get(op, 0) + 1
            except (demo_jsonrpc.RpcError, urllib.error.URLError,
                    OSError) as error:
                report['errors'].append('%s: %s' % (op, error))
    except Exception as error:
        report['errors'].append('client %d: %r' % (seed, error))
    queue.put(report)


if __name__ == '__main__':
    unittest.main()
