#!/usr/bin/env python3
"""crmtier in Tryton, measured (not a test: it prints figures).

On a throw-away PostgreSQL cluster, two databases hold the same company:
PARTIES parties (one address each) and SALES confirmed sales of one line
each (so SALES sale lines), bulk-inserted with SQL (copies of a row made
through Tryton's models, so every column Tryton expects is there). One
database has crmtier activated, the other only party and sale. Then:

  1. the first refresh of a trytond-worker process: building its engine
     from the database and writing every party's result;
  2. p50/p99 of a party save and of a sale confirmation over JSON-RPC,
     gunicorn with WORKERS workers (plus trytond-worker), one client, with
     and without crmtier;
  3. saves per second with 4 clients saving at once, with and without;
  4. the catch-up of a process whose engine is up to date after another
     process committed N changes (one refresh: apply N logged changes, check
     and write the results that moved);
  5. a full roll-over (a new as-of date: every party checked, the changed
     ones written, in batches).

usage: bench_tryton.py --library build/libcrmtier.so [--parties 100000]
       [--sales 1000000] [--workers 4] [--json results.json]
Run with the Python of an installation of the module (the virtual
environment of docs/tryton.md); as root it runs PostgreSQL as `postgres`.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from multiprocessing import get_context

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, os.pardir, 'scenario')
sys.path.insert(0, SCENARIO)
sys.path.insert(0, os.path.join(HERE, os.pardir))
import demo_jsonrpc  # noqa: E402
import pgcluster  # noqa: E402
from test_postgresql import Stack  # noqa: E402

PASSWORD = 'Bench-pass-93'
ADMIN = '/usr/bin/trytond-admin'


def log(*args):
    print(time.strftime('%H:%M:%S'), *args, file=sys.stderr, flush=True)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * len(values))))]


class Bench:
    def __init__(self, options):
        self.options = options
        self.dir = tempfile.mkdtemp(prefix='crmtier-bench-')
        self.passfile = os.path.join(self.dir, 'pass')
        with open(self.passfile, 'w') as f:
            f.write(PASSWORD + '\n')
        reuse = os.environ.get('CRMTIER_TEST_PG_REUSE')
        self.cluster = (pgcluster.Cluster.attach(*reuse.split(':'))
            if reuse else pgcluster.Cluster())
        self.figures = {'parties': options.parties, 'sales': options.sales,
            'sale_lines': options.sales, 'workers': options.workers}

    def config(self, name, **extra):
        path = os.path.join(self.dir, name + '.conf')
        with open(path, 'w') as f:
            f.write('[database]\nuri = %s\n' % self.cluster.uri())
            f.write('[cache]\nclean_timeout = 0\n[queue]\nworker = True\n')
            f.write('[crmtier]\nlibrary = %s\n' % self.options.library)
            for key, value in extra.items():
                f.write('%s = %s\n' % (key, value))
        return path

    # ---------------------------------------------------------------- data
    def create(self, database, modules):
        conf = self.config(database)
        self.cluster.psql('CREATE DATABASE %s OWNER tryton' % database)
        start = time.monotonic()
        subprocess.run([sys.executable, ADMIN, '-c', conf, '-d', database,
                '-u'] + modules + ['--activate-dependencies', '--email',
                'admin@example.com', '-p'],
            env=dict(os.environ, TRYTONPASSFILE=self.passfile), check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        log('%s: modules activated in %.0f s' % (
                database, time.monotonic() - start))
        # A company, one party with an address, one confirmed sale: the
        # rows the bulk insert copies.
        subprocess.run([sys.executable, os.path.join(SCENARIO, 'pg_data.py'),
                conf, database, '1', '1', '1', 'Europe/Berlin'], check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = time.monotonic()
        self.bulk(database)
        log('%s: %d parties and %d sales inserted in %.0f s' % (database,
                self.options.parties, self.options.sales,
                time.monotonic() - start))

    def bulk(self, database):
        """Copies of the seed party, address and sale, by SQL: the fastest
        route found (a million ORM saves take hours)."""
        parties, sales = self.options.parties, self.options.sales
        connection = self.cluster.connect(database)
        cursor = connection.cursor()

        def columns(table):
            cursor.execute("SELECT column_name FROM information_schema."
                "columns WHERE table_name = %s AND column_name <> 'id'",
                (table,))
            return [r[0] for r in cursor.fetchall()]

        def copy(table, seed_where, overrides, count, var='g'):
            names = columns(table)
            select = ', '.join(overrides.get(n, 't.%s' % n) for n in names)
            cursor.execute('INSERT INTO %s (%s) SELECT %s FROM '
                'generate_series(1::bigint, %d) AS %s, '
                '(SELECT * FROM %s WHERE %s) AS t' % (table, ', '.join(names),
                    select, count, var, table, seed_where))

        cursor.execute("SELECT id FROM party_party WHERE name = 'Client 0000'")
        seed_party, = cursor.fetchone()
        cursor.execute("SELECT max(id) FROM party_party")
        base, = cursor.fetchone()
        party_columns = columns('party_party')
        overrides = {'name': "'Client B' || g", 'code': "'B' || g"}
        if 'employees' in party_columns:
            overrides['employees'] = '(g * 37) % 3000'
            overrides['crmtier_last_contact'] = (
                "CURRENT_DATE - ((g * 13) % 400)::int")
            overrides['crmtier_rep'] = 't.crmtier_rep'
        copy('party_party', 'id = %d' % seed_party, overrides, parties)
        copy('party_address', 'party = %d' % seed_party,
            {'party': '%d + g' % base}, parties)
        cursor.execute("SELECT id FROM sale_sale WHERE party = %s",
            (seed_party,))
        seed_sale, = cursor.fetchone()
        cursor.execute("SELECT max(id) FROM sale_sale")
        sale_base, = cursor.fetchone()
        party = '(%d + 1 + (g * 7919) %% %d)' % (base, parties)
        amount = '(100 + (g * 104729) % 20000)'
        copy('sale_sale', 'id = %d' % seed_sale, {
                'party': party, 'number': "'S' || g",
                'sale_date': 'CURRENT_DATE - ((g * 31) % 730)::int',
                'untaxed_amount_cache': amount,
                'total_amount_cache': amount,
                'invoice_address': 't.invoice_address',
                'shipment_address': 't.shipment_address'}, sales)
        # Invoice and shipment addresses of the party each sale is for.
        cursor.execute('UPDATE sale_sale s SET invoice_address = a.id, '
            'shipment_address = a.id FROM party_address a '
            'WHERE a.party = s.party AND s.id > %s', (sale_base,))
        copy('sale_line', 'sale = %d' % seed_sale, {
                'sale': '%d + g' % sale_base,
                'unit_price': amount}, sales)
        for table in ('party_party', 'party_address', 'sale_sale',
                'sale_line'):
            cursor.execute("SELECT setval('%s_id_seq', (SELECT max(id) "
                "FROM %s))" % (table, table))
        connection.commit()
        connection.autocommit = True
        for table in ('party_party', 'party_address', 'sale_sale',
                'sale_line'):
            cursor.execute('VACUUM ANALYZE %s' % table)
        connection.close()

    # ------------------------------------------------------------- latency
    def latencies(self, stack, label):
        rpc = stack.rpc('admin', PASSWORD)
        context = rpc('model.res.user.get_preferences', True, {})
        rnd = random.Random(1)
        ids = rpc('model.party.party.search', [('name', 'like', 'Client %')],
            0, 2000, None, context)
        saves = []
        for i in range(self.options.samples):
            party = rnd.choice(ids)
            start = time.perf_counter()
            rpc('model.party.party.write', [party], {'name': 'Client x%d' % i},
                context)
            saves.append(time.perf_counter() - start)
        confirms = []
        for i in range(self.options.samples // 2):
            party = rnd.choice(ids)
            address = rpc('model.party.party.read', [party], ['addresses'],
                context)[0]['addresses'][0]
            sale, = rpc('model.sale.sale.create', [{
                        'party': party, 'invoice_address': address,
                        'shipment_address': address,
                        'invoice_method': 'manual',
                        'shipment_method': 'manual',
                        'lines': [['create', [{'type': 'line',
                                        'description': 'x', 'quantity': 1.0,
                                        'unit_price': {
                                            '__class__': 'Decimal',
                                            'decimal': str(rnd.randint(
                                                    100, 30000))}}]]]}],
                context)
            rpc('model.sale.sale.quote', [sale], context)
            start = time.perf_counter()
            rpc('model.sale.sale.confirm', [sale], context)
            confirms.append(time.perf_counter() - start)
        for name, values in (('party_save', saves),
                ('sale_confirm', confirms)):
            self.figures['%s_%s_ms' % (name, label)] = {
                'p50': round(1000 * statistics.median(values), 1),
                'p99': round(1000 * percentile(values, 99), 1),
                'n': len(values)}
        log(label, self.figures['party_save_%s_ms' % label],
            self.figures['sale_confirm_%s_ms' % label])
        ctx = get_context('fork')
        queue = ctx.Queue()
        procs = [ctx.Process(target=saver, args=(stack.port, stack.database,
                    seed, self.options.load_seconds, queue))
            for seed in range(4)]
        for p in procs:
            p.start()
        done = sum(queue.get() for _ in procs)
        for p in procs:
            p.join()
        self.figures['saves_per_second_%s' % label] = round(
            done / self.options.load_seconds, 1)
        log(label, 'saves/s', self.figures['saves_per_second_%s' % label])

    def wait_quiet(self, database, timeout=1800):
        connection = self.cluster.connect(database)
        connection.autocommit = True
        cursor = connection.cursor()
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM ir_queue WHERE "
                "finished_at IS NULL")
            waiting, = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM crmtier_refresher WHERE "
                "state IN ('building', 'refreshing')")
            busy, = cursor.fetchone()
            quiet = quiet + 1 if not waiting and not busy else 0
            if quiet >= 2:
                break
            time.sleep(1)
        connection.close()

    # ------------------------------------------------------------------ run
    def run(self):
        o = self.options
        self.create('bench_crmtier', ['crmtier'])
        self.create('bench_plain', ['sale'])
        # 1. The first refresh: build + every party's result.
        stack = Stack(self, 'bench_crmtier', self.config('bench_crmtier'),
            workers=o.workers)
        start = time.monotonic()
        stack.start(cron=False)
        self.wait_quiet('bench_crmtier')
        self.figures['first_refresh_s'] = round(time.monotonic() - start, 1)
        log('first refresh (build and write every result): %.0f s'
            % self.figures['first_refresh_s'])
        self.latencies(stack, 'with_crmtier')
        stack.stop()
        plain = Stack(self, 'bench_plain', self.config('bench_plain'),
            workers=o.workers)
        plain.start(cron=False)
        self.latencies(plain, 'without_crmtier')
        plain.stop()
        # 4 and 5, in one process of their own (nothing else refreshing).
        out = subprocess.run([sys.executable, '-c', CATCH_UP,
                self.config('bench_crmtier'), 'bench_crmtier',
                json.dumps(o.changes)], check=True, capture_output=True,
            text=True)
        self.figures.update(json.loads(out.stdout.strip().splitlines()[-1]))
        return self.figures


def saver(port, database, seed, seconds, queue):
    rnd = random.Random(seed)
    rpc = demo_jsonrpc.Rpc('http://127.0.0.1:%d' % port, database)
    rpc.login('admin', PASSWORD)
    context = rpc('model.res.user.get_preferences', True, {})
    ids = rpc('model.party.party.search', [('name', 'like', 'Client %')],
        0, 5000, None, context)
    n = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        rpc('model.party.party.write', [rnd.choice(ids)],
            {'name': 'Client l%d-%d' % (seed, n)}, context)
        n += 1
    queue.put(n)


CATCH_UP = textwrap.dedent('''
    import datetime, json, resource, sys, time
    from trytond.config import config
    config.update_etc(sys.argv[1])
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    database, sizes = sys.argv[2], json.loads(sys.argv[3])
    Pool.start()
    pool = Pool(database)
    with Transaction().start(database, 0, readonly=True):
        pool.init()
    from trytond.modules.crmtier import refresh, results
    figures = {}
    with Transaction().start(database, 1) as transaction:
        start = time.monotonic()
        refresh.refresh(commit=True)
        figures['build_and_check_s'] = round(time.monotonic() - start, 1)
        figures['refresher_max_rss_mb'] = round(resource.getrusage(
            resource.RUSAGE_SELF).ru_maxrss / 1024)
        Party = pool.get('party.party')
        ids = [p.id for p in Party.search(
            [('name', 'like', 'Client %')], limit=max(sizes))]
        figures['catch_up_ms'] = {}
        for n in sizes:
            # Another process commits n party saves...
            contact = datetime.date.today() - datetime.timedelta(days=n % 97)
            with Transaction().new_transaction() as other:
                for i in range(0, n, 500):
                    Party.write(Party.browse(ids[i:min(i + 500, n)]),
                        {'crmtier_last_contact': contact})
                other.commit()
            # ...this one catches up: applies them, checks and writes.
            start = time.monotonic()
            refresh.refresh(commit=True)
            figures['catch_up_ms'][str(n)] = round(
                1000 * (time.monotonic() - start), 1)
        rows = results.read(ids[:1], ('as_of',))
        day = rows[ids[0]]['as_of'] + datetime.timedelta(days=1)
        with transaction.set_context(crmtier_as_of=day.isoformat()):
            start = time.monotonic()
            refresh.refresh(commit=True)
            figures['roll_over_s'] = round(time.monotonic() - start, 1)
    print(json.dumps(figures))
    ''')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--library', required=True)
    parser.add_argument('--parties', type=int, default=100000)
    parser.add_argument('--sales', type=int, default=1000000)
    parser.add_argument('--workers', type=int, default=4)
    parser.add_argument('--samples', type=int, default=400)
    parser.add_argument('--load-seconds', type=int, default=30)
    parser.add_argument('--changes', type=int, nargs='+',
        default=[1, 10, 100, 1000, 10000])
    parser.add_argument('--json')
    options = parser.parse_args()
    options.library = os.path.abspath(options.library)
    bench = Bench(options)
    try:
        figures = bench.run()
    finally:
        bench.cluster.stop()
    text = json.dumps(figures, indent=1)
    print(text)
    if options.json:
        with open(options.json, 'w') as f:
            f.write(text + '\n')


if __name__ == '__main__':
    main()
