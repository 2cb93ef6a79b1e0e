"""crmtier inside a real Tryton: a SQLite database made with trytond-admin,
data entered through Tryton's API (proteus), saves over trytond's JSON-RPC
server on 127.0.0.1, and the stored party fields checked against values
worked out by hand.

Run with the Python of an installation of the module (CTest: the virtual
environment of tryton_install); needs CRMTIER_LIBRARY (the library) and
Debian's /usr/bin/trytond*. Two processes score: the server and this one
(proteus), each with its own engine, kept in step by the change log.

Every number below is as of 2026-11-27 ([crmtier] as_of in trytond.conf),
default policy: R = revenue in (2025-11-27, 2026-11-27]; benchmark = 95th
percentile (nearest rank) of R > 0; look-alike revenue L = 75th percentile
of the R > 0 of >= 3 peers with the same (size band, territory, industry);
potential = max(R, prior, L); A if potential/benchmark >= 0.8;
temperature = 100 R / potential.
"""

import datetime
import os
import shutil
import socket
import subprocess
import tempfile
import sys
import time
import unittest
from decimal import Decimal

TRYTOND = os.environ.get('TRYTOND', '/usr/bin/trytond')
TRYTOND_ADMIN = os.environ.get('TRYTOND_ADMIN', '/usr/bin/trytond-admin')
DB = 'crmtier_scenario'
DEMO = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
    'demo_jsonrpc.py')
PASSWORD = 'admin-pass-1'
sys.path.insert(0, os.path.dirname(DEMO))
import demo_jsonrpc  # noqa: E402  (its JSON-RPC client)
import pgcluster  # noqa: E402  (free_port)

RESULT = ['crmtier_tier', 'crmtier_colour', 'crmtier_temperature',
    'crmtier_next_contact', 'crmtier_channel', 'crmtier_overdue_days',
    'crmtier_escalate', 'crmtier_declining']


class Rpc(demo_jsonrpc.Rpc):
    "The demo's JSON-RPC client, on this test's server and database."

    def __init__(self, port):
        super().__init__('http://127.0.0.1:%d' % port, DB)

    def login(self):
        return super().login('admin', PASSWORD)


class TrytonScenario(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix='crmtier-tryton-')
        cls.port = pgcluster.free_port()
        cls.conf = os.path.join(cls.dir, 'trytond.conf')
        library = os.environ['CRMTIER_LIBRARY']
        with open(cls.conf, 'w') as f:
            f.write('[database]\nuri = sqlite://\npath = %s\n'
                '[web]\nlisten = 127.0.0.1:%d\n'
                '[crmtier]\nlibrary = %s\nas_of = 2026-11-27\n'
                % (cls.dir, cls.port, library))
        passfile = os.path.join(cls.dir, 'pass')
        with open(passfile, 'w') as f:
            f.write(PASSWORD)
        open(os.path.join(cls.dir, DB + '.sqlite'), 'w').close()
        env = dict(os.environ, TRYTONPASSFILE=passfile)
        subprocess.run([sys.executable, TRYTOND_ADMIN, '-c', cls.conf,
                '-d', DB, '-u', 'crmtier', '--activate-dependencies',
                '--email', 'admin@example.com', '-p'],
            env=env, check=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        cls.server = None

    @classmethod
    def tearDownClass(cls):
        cls.stop_server()
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def start_server(cls):
        cls.server_log = open(os.path.join(cls.dir, 'server.log'), 'w')
        cls.server = subprocess.Popen([sys.executable, TRYTOND, '-c',
                cls.conf],
            stdout=cls.server_log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(('127.0.0.1', cls.port), 1).close()
                return
            except OSError:
                if cls.server.poll() is not None:
                    raise RuntimeError('trytond exited: see server.log')
                time.sleep(0.1)
        raise RuntimeError('trytond did not listen on %d' % cls.port)

    @classmethod
    def stop_server(cls):
        if cls.server is not None:
            cls.server.terminate()
            try:
                cls.server.wait(10)
            except subprocess.TimeoutExpired:
                cls.server.kill()
                cls.server.wait()
            cls.server = None
            cls.server_log.close()

    # ------------------------------------------------------------- helpers
    def party(self, name):
        Party = self.Model.get('party.party')
        party, = Party.find([('name', '=', name)])
        return party

    def assertParty(self, name, **expected):
        party = self.party(name)
        got = {k: getattr(party, 'crmtier_' + k) for k in expected}
        self.assertEqual(got, expected, name)

    def sale(self, party_name, amount, date):
        "A sale without products (no stock, no chart of accounts), confirmed."
        Sale = self.Model.get('sale.sale')
        sale = Sale()
        sale.party = self.party(party_name)
        sale.invoice_method = 'manual'
        sale.shipment_method = 'manual'
        sale.sale_date = date
        line = sale.lines.new()
        line.description = 'Machines'
        line.quantity = 1
        line.unit_price = Decimal(amount)
        sale.click('quote')
        sale.click('confirm')
        return sale

    # ------------------------------------------------------------ scenario
    def test_scenario(self):
        from proteus import Model, Wizard, config as pconfig
        self.Model = Model
        config = pconfig.set_trytond(DB, config_file=self.conf)

        # A company (sales need one), as company.tests.tools does it.
        Currency = Model.get('currency.currency')
        eur = Currency(name='Euro', code='EUR', symbol='EUR',
            rounding=Decimal('0.01'), digits=2)
        eur.save()
        company_config = Wizard('company.company.config')
        company_config.execute('company')
        company_party = Model.get('party.party')(name='Our Company')
        company_party.save()
        company_config.form.party = company_party
        company_config.form.currency = eur
        company_config.execute('add')
        config._context = Model.get('res.user').get_preferences(True, {})

        Country = Model.get('country.country')
        Subdivision = Model.get('country.subdivision')
        Category = Model.get('party.category')
        Party = Model.get('party.party')
        de = Country(name='Germany', code='DE')
        de.save()
        Subdivision(country=de, name='Bavaria', code='DE-BY',
            type='state').save()
        bavaria, = Subdivision.find([('code', '=', 'DE-BY')])
        industry = Category(name='Industry')
        industry.save()
        manufacturing = Category(name='Manufacturing', parent=industry)
        manufacturing.save()

        # Four parties of one profile: medium (50-249 employees), DE/DE-BY,
        # Manufacturing; and one without a profile.
        for name, employees in [('Target', 100), ('Leader 1', 100),
                ('Leader 2', 120), ('Leader 3', 200)]:
            party = Party(name=name, employees=employees)
            address, = party.addresses
            address.country = de
            address.subdivision = bavaria
            party.categories.append(Category(manufacturing.id))
            party.save()
        Party(name='Solo').save()

        # 1. Nobody bought anything: everybody is D, grey, e-mail, due today.
        self.assertParty('Target', tier='D', colour='grey', temperature=0,
            next_contact=datetime.date(2026, 11, 27), channel='email')

        # 2. Two look-alikes buy: Target has 2 peers, not the 3 needed: no L.
        self.sale('Leader 1', '8000', datetime.date(2026, 3, 10))
        self.sale('Leader 2', '10000', datetime.date(2026, 4, 10))
        self.assertParty('Target', tier='D', colour='grey')

        # 3. A third buys 12000: Target's peers {8000, 10000, 12000} give
        #    L = 12000 (rank ceil(0.75*3) = 3); benchmark = 12000 (rank
        #    ceil(0.95*3) = 3); p = 1 -> A, but R = 0: temperature 0, blue,
        #    escalated. A -> every 30 days; no contact yet: due today.
        self.sale('Leader 3', '12000', datetime.date(2026, 5, 10))
        self.assertParty('Target', tier='A', colour='blue', temperature=0,
            escalate=True, channel='call_or_visit',
            next_contact=datetime.date(2026, 11, 27), overdue_days=0)
        # Leader 1: peers Leader 2, 3 only (Target has R = 0): no L;
        # p = 8000/12000 = 0.67 -> B, temperature 100, red.
        self.assertParty('Leader 1', tier='B', colour='red', temperature=100)
        self.assertParty('Solo', tier='D', colour='grey')

        # 4. Over JSON-RPC, on the real server.
        self.start_server()
        rpc = Rpc(self.port)
        rpc.login()
        context = rpc('model.res.user.get_preferences', True, {})
        target = self.party('Target').id
        leader1 = self.party('Leader 1').id

        def read(party_id):
            row, = rpc('model.party.party.read', [party_id], RESULT, context)
            return {k[len('crmtier_'):]: demo_jsonrpc.value_of(row[k])
                for k in RESULT}

        # 4a. The rep records a contact on 2026-10-01: A -> due 2026-10-31,
        #     27 days overdue by 2026-11-27.
        rpc('model.party.party.write', [target],
            {'crmtier_last_contact': demo_jsonrpc.date('2026-10-01')},
            context)
        got = read(target)
        self.assertEqual((got['tier'], got['colour'], got['next_contact'],
                got['channel'], got['overdue_days']),
            ('A', 'blue', datetime.date(2026, 10, 31), 'call_or_visit', 27))

        # 4b. Target's own first sale, 3000, created and confirmed over
        #     JSON-RPC: benchmark still 12000 (rank 4 of {3000, 8000, 10000,
        #     12000}), potential L = 12000: A, 100*3000/12000 = 25 -> light
        #     blue, warming up.
        addresses = rpc('model.party.party.read', [target], ['addresses'],
            context)[0]['addresses']
        sale_id, = rpc('model.sale.sale.create', [{
                    'party': target,
                    'invoice_address': addresses[0],
                    'shipment_address': addresses[0],
                    'invoice_method': 'manual',
                    'shipment_method': 'manual',
                    'sale_date': demo_jsonrpc.date('2026-09-15'),
                    'lines': [['create', [{
                                    'type': 'line', 'description': 'Machines',
                                    'quantity': 1.0,
                                    'unit_price': {'__class__': 'Decimal',
                                        'decimal': '3000'},
                                    }]]],
                    }], context)
        rpc('model.sale.sale.quote', [sale_id], context)
        rpc('model.sale.sale.confirm', [sale_id], context)
        got = read(target)
        self.assertEqual((got['tier'], got['colour'], got['temperature'],
                got['escalate']), ('A', 'lightblue', 25, False))
        # The refresh after that save rewrote Leader 1 too: its
        # peers now include Target: {3000, 10000, 12000} -> L = 12000;
        # p = 1 -> A, 100*8000/12000 = 66.7 -> 67 -> orange.
        got = read(leader1)
        self.assertEqual((got['tier'], got['colour'], got['temperature']),
            ('A', 'orange', 67))
        self.stop_server()

        # 5. Back in this process: its engine predates the server's saves
        #    and catches up by applying only those (the change log).
        #    Target sells 6000 more: R = 9000, 100*9000/12000 = 75 -> orange.
        self.sale('Target', '6000', datetime.date(2026, 10, 20))
        self.assertParty('Target', tier='A', colour='orange', temperature=75,
            next_contact=datetime.date(2026, 10, 31), overdue_days=27)
        self.assertParty('Leader 1', tier='A', colour='orange',
            temperature=67)


if __name__ == '__main__':
    unittest.main()
