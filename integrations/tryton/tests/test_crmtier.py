# Tryton's own test framework for the crmtier module. Run with
#   DB_NAME=':memory:' PYTHONPATH=SITE CRMTIER_LIBRARY=.../libcrmtier.so \
#   /usr/bin/python3 -m unittest discover -s integrations/tryton/tests
# Every expected value is worked out by hand as of 2026-11-27 (the context
# key crmtier_as_of): the last 365 days are (2025-11-27, 2026-11-27].
import datetime
import json
import unittest
from decimal import Decimal

import trytond.tests.test_tryton
from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

AS_OF = {'crmtier_as_of': '2026-11-27'}


def create_party(name, **values):
    Party = Pool().get('party.party')
    party, = Party.create([dict(name=name,
                addresses=[('create', [{}])], **values)])
    return party


def confirmed_sale(party, company, amount, date):
    "A sale without products (no stock, no accounts needed), confirmed."
    pool = Pool()
    Sale = pool.get('sale.sale')
    Line = pool.get('sale.line')
    sale = Sale(party=party, company=company, currency=company.currency,
        invoice_method='manual', shipment_method='manual',
        sale_date=datetime.date.fromisoformat(date))
    sale.on_change_party()
    sale.lines = [Line(type='line', description='Service', quantity=1,
            unit_price=Decimal(amount))]
    sale.save()
    Sale.quote([sale])
    Sale.confirm([sale])
    return sale


class CrmtierTestCase(ModuleTestCase):
    "Test the crmtier module"
    module = 'crmtier'

    @with_transaction(context=AS_OF)
    def test_new_party_without_sales_is_D_grey_by_email(self):
        party = create_party('Lonely')
        self.assertEqual(party.crmtier_tier, 'D')
        self.assertEqual(party.crmtier_colour, 'grey')
        self.assertEqual(party.crmtier_colour_hex, '#bdbdbd')
        self.assertEqual(party.crmtier_temperature, 0)
        # No contact yet: due on the as-of date.
        self.assertEqual(party.crmtier_next_contact, datetime.date(2026, 11, 27))
        self.assertEqual(party.crmtier_channel, 'email')
        self.assertEqual(party.crmtier_overdue_days, 0)
        self.assertEqual(party.crmtier_colour_icon, 'crmtier-grey')

    @with_transaction(context=AS_OF)
    def test_confirm_draft_rescore_owner_and_others(self):
        pool = Pool()
        Party = pool.get('party.party')
        Sale = pool.get('sale.sale')
        company = create_company()
        with set_company(company):
            acme = create_party('Acme',
                crmtier_last_contact=datetime.date(2026, 11, 10))
            confirmed_sale(acme, company, '1000', '2026-06-01')
            acme = Party(acme.id)
            # The only buyer: benchmark 1000, p = 1 -> A, 100 -> red;
            # 2026-11-10 + 30 days.
            self.assertEqual((acme.crmtier_tier, acme.crmtier_temperature,
                    acme.crmtier_colour), ('A', 100, 'red'))
            self.assertEqual(acme.crmtier_next_contact,
                datetime.date(2026, 12, 10))
            self.assertEqual(acme.crmtier_channel, 'call_or_visit')

            beta = create_party('Beta')
            sale = confirmed_sale(beta, company, '4000', '2026-07-01')
            # Benchmark = p95 of {1000, 4000} = 4000 (rank 2 of 2): Acme's
            # p = 0.25 -> C (still 100 % of its own potential: red), next
            # contact 2026-11-10 + 90 = 2027-02-08. Refreshed by the change
            # feed, in the same transaction, though only Beta's sale moved.
            acme, beta = Party(acme.id), Party(beta.id)
            self.assertEqual((beta.crmtier_tier, beta.crmtier_colour),
                ('A', 'red'))
            self.assertEqual((acme.crmtier_tier, acme.crmtier_temperature,
                    acme.crmtier_colour), ('C', 100, 'red'))
            self.assertEqual(acme.crmtier_next_contact,
                datetime.date(2027, 2, 8))
            self.assertEqual(acme.crmtier_channel, 'call')

            # Back to draft: Beta's revenue goes, Acme leads again.
            Sale.draft([sale])
            acme, beta = Party(acme.id), Party(beta.id)
            self.assertEqual(beta.crmtier_tier, 'D')
            self.assertEqual(acme.crmtier_tier, 'A')

    @with_transaction(context=AS_OF)
    def test_deactivated_party_leaves_the_portfolio(self):
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            small = create_party('Small')
            big = create_party('Big')
            confirmed_sale(small, company, '1000', '2026-06-01')
            confirmed_sale(big, company, '4000', '2026-06-01')
            # Benchmark 4000: Small p = 0.25 -> C.
            self.assertEqual(Party(small.id).crmtier_tier, 'C')
            Party.write([big], {'active': False})
            # Big's sales no longer count: Small is the benchmark, A; Big's
            # results are cleared.
            self.assertEqual(Party(small.id).crmtier_tier, 'A')
            big = Party(big.id)
            self.assertEqual((big.crmtier_tier, big.crmtier_colour),
                (None, None))
            # Back again: Small is C again.
            Party.write([big], {'active': True})
            self.assertEqual(Party(small.id).crmtier_tier, 'C')
            self.assertEqual(Party(big.id).crmtier_tier, 'A')

    @with_transaction(context=AS_OF)
    def test_why_explains_in_short_lines(self):
        party = create_party('Explained')
        # D, no revenue anywhere: potential 0; due today by e-mail.
        self.assertIn("Tier D", party.crmtier_why)
        self.assertIn("Next contact 2026-11-27 by e-mail", party.crmtier_why)

    @with_transaction(context=AS_OF)
    def test_canonical_fallback_gives_the_same_fields(self):
        "[crmtier] adapter = canonical: converted in Python, same results."
        from trytond.config import config
        from trytond.modules.crmtier import records, scoring
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            warm = create_party('Warm',
                crmtier_last_contact=datetime.date(2026, 10, 1))
            cold = create_party('Cold', employees=30)
            confirmed_sale(warm, company, '1000', '2026-06-01')
            confirmed_sale(cold, company, '9000', '2025-06-01')
            confirmed_sale(cold, company, '900', '2026-06-01')
            ids = [warm.id, cold.id]

            def fields():
                return {p.id: {f: (json.loads(getattr(p, f))
                            if f == 'crmtier_reasons' else getattr(p, f))
                        for f in records.RESULT_FIELDS}
                    for p in Party.browse(ids)}
            via_tryton = fields()
            # Cold: R 900, prior 9000: potential 9000 = benchmark, A, 10,
            # blue, declining 90 %.
            self.assertEqual((via_tryton[cold.id]['crmtier_tier'],
                    via_tryton[cold.id]['crmtier_colour'],
                    via_tryton[cold.id]['crmtier_temperature'],
                    via_tryton[cold.id]['crmtier_declining']),
                ('A', 'blue', 10, True))
            with Transaction().set_context(crmtier_writing=True):
                Party.write(Party.browse(ids), dict(records.EMPTY_VALUES))
            if not config.has_section('crmtier'):
                config.add_section('crmtier')
            config.set('crmtier', 'adapter', 'canonical')
            try:
                Party.crmtier_rescore_all()
                self.assertEqual(scoring._states[
                        Transaction().database.name].adapter, 'canonical')
                self.assertEqual(fields(), via_tryton)
            finally:
                config.remove_option('crmtier', 'adapter')
                scoring.invalidate()

    @with_transaction(context=AS_OF)
    def test_users_cannot_write_results(self):
        Party = Pool().get('party.party')
        party = create_party('Readonly')
        Party.write([party], {'crmtier_tier': 'A', 'name': 'Renamed'})
        party = Party(party.id)
        self.assertEqual((party.name, party.crmtier_tier), ('Renamed', 'D'))

    @with_transaction(context=AS_OF)
    def test_reasons_are_json(self):
        party = create_party('Why')
        self.assertIsInstance(json.loads(party.crmtier_reasons), list)

    @with_transaction(context=AS_OF)
    def test_invalid_policy_is_refused(self):
        Configuration = Pool().get('crmtier.configuration')
        configuration = Configuration(1)
        configuration.policy = '{"no_such_setting": 1}'
        with self.assertRaises(UserError):
            configuration.save()
        configuration.policy = 'not json'
        with self.assertRaises(UserError):
            configuration.save()

    @with_transaction(context=AS_OF)
    def test_policy_change_applies_on_next_save(self):
        pool = Pool()
        Configuration = pool.get('crmtier.configuration')
        Party = pool.get('party.party')
        party = create_party('Policy',
            crmtier_last_contact=datetime.date(2026, 11, 10))
        # Default: D every 180 days -> 2027-05-09.
        self.assertEqual(party.crmtier_next_contact, datetime.date(2027, 5, 9))
        configuration = Configuration(1)
        configuration.policy = '{"cadence": {"D": {"days": 7}}}'
        configuration.save()
        Party.write([party], {'name': 'Policy 2'})
        # D every 7 days: 2026-11-17, 10 days overdue on 2026-11-27.
        party = Party(party.id)
        self.assertEqual(party.crmtier_next_contact, datetime.date(2026, 11, 17))
        self.assertEqual(party.crmtier_overdue_days, 10)

    @with_transaction(context=AS_OF)
    def test_daily_cron_rescores_all(self):
        pool = Pool()
        Cron = pool.get('ir.cron')
        Party = pool.get('party.party')
        party = create_party('Nightly',
            crmtier_last_contact=datetime.date(2026, 11, 10))
        cron, = Cron.search(
            [('method', '=', 'party.party|crmtier_rescore_all')])
        # D: 2026-11-10 + 180 days = 2027-05-09; the nightly run on
        # 2027-05-19 finds it ten days overdue though nothing was saved.
        self.assertEqual(Party(party.id).crmtier_overdue_days, 0)
        with Transaction().set_context(crmtier_as_of='2027-05-19'):
            Cron.run_once([cron])
        self.assertEqual(Party(party.id).crmtier_overdue_days, 10)

    @with_transaction(context=AS_OF)
    def test_rescore_all_button(self):
        pool = Pool()
        Configuration = pool.get('crmtier.configuration')
        Party = pool.get('party.party')
        party = create_party('Again')
        Party.write([party], {'crmtier_last_contact': None})
        Configuration.rescore_all([Configuration(1)])
        self.assertEqual(Party(party.id).crmtier_tier, 'D')


def load_tests(loader, tests, pattern):
    # Only this case: discovery would otherwise also collect the imported
    # ModuleTestCase base.
    suite = unittest.TestSuite()
    suite.addTests(loader.loadTestsFromTestCase(CrmtierTestCase))
    return suite


def suite():
    suite = trytond.tests.test_tryton.suite()
    suite.addTests(unittest.TestLoader().loadTestsFromTestCase(
            CrmtierTestCase))
    return suite
