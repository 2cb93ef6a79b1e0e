# The crmtier module under Tryton's own test framework (SQLite in memory).
# CTest runs it from the installed package:
#   DB_NAME=:memory: CRMTIER_LIBRARY=.../libcrmtier.so \
#   CRMTIER_TRYTON_MAPPING=.../adapters/mappings/tryton.json \
#   VENV/bin/python -m unittest discover -s SITE/trytond/modules/crmtier/tests
# Every expected value is worked out by hand from docs/semantics.md as of
# 2026-11-27 (the context key crmtier_as_of) unless a test says otherwise:
# the last 365 days are (2025-11-27, 2026-11-27], the 365 before them
# (2024-11-27, 2025-11-27]. Saves only log what changed; refresh() (what the
# queue task and the cron run) scores and writes the stored results.
import datetime
import json
import os
import tempfile
import unittest
from decimal import Decimal
from zoneinfo import ZoneInfo

import trytond.tests.test_tryton
from trytond.config import config
from trytond.exceptions import UserError
from trytond.modules.company.tests import (create_company, create_employee,
    set_company)
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

AS_OF = {'crmtier_as_of': '2026-11-27'}
QUESTIONS = ("What could we as a vendor do better?\n"
    "What new tasks and needs do you have?\n"
    "How could we be useful to you?")


def module(name):
    "A submodule of the installed crmtier module (importable once loaded)."
    import importlib
    return importlib.import_module('trytond.modules.crmtier.' + name)


def refresh():
    "What the queue task and the cron do; fails if no engine could be made."
    assert module('refresh').refresh(), 'refresh made no engine'


def create_party(name, **values):
    Party = Pool().get('party.party')
    values.setdefault('addresses', [('create', [{}])])
    party, = Party.create([dict(name=name, **values)])
    return party


def sale(party, company, amount, date, confirm=True, currency=None):
    """A sale without products (no stock, no accounts needed), confirmed; in
    the company currency unless `currency` is given."""
    pool = Pool()
    Sale = pool.get('sale.sale')
    Line = pool.get('sale.line')
    record = Sale(party=party, company=company,
        currency=currency or company.currency,
        invoice_method='manual', shipment_method='manual',
        sale_date=datetime.date.fromisoformat(date))
    record.on_change_party()
    record.lines = [Line(type='line', description='Service', quantity=1,
            unit_price=Decimal(amount))]
    record.save()
    if confirm:
        Sale.quote([record])
        Sale.confirm([record])
    return record


def reload(party):
    return Pool().get('party.party')(party.id)


def result_of(party):
    text = reload(party).crmtier_result
    return json.loads(text) if text else None


class CrmtierTestCase(ModuleTestCase):
    "Test the crmtier module"
    module = 'crmtier'

    def setUp(self):
        super().setUp()
        module('refresh').forget()

    # -------------------------------------------------------------- basics
    @with_transaction(context=AS_OF)
    def test_a_save_only_logs_and_the_refresh_scores(self):
        party = create_party('Lonely')
        party = reload(party)
        # Saved, not yet scored: pending, and nothing stored.
        self.assertTrue(party.crmtier_pending)
        self.assertIsNone(party.crmtier_tier)
        self.assertIn("Pending", party.crmtier_status)
        refresh()
        party = reload(party)
        self.assertIn("It has no potential yet", party.crmtier_why)
        # Nothing bought anywhere: D, grey, temperature 0; no contact yet:
        # due on the as-of date, by e-mail.
        self.assertEqual((party.crmtier_tier, party.crmtier_colour,
                party.crmtier_colour_hex, party.crmtier_temperature),
            ('D', 'grey', '#bdbdbd', 0))
        self.assertEqual(party.crmtier_next_contact,
            datetime.date(2026, 11, 27))
        self.assertEqual((party.crmtier_channel, party.crmtier_overdue_days),
            ('email', 0))
        self.assertEqual(party.crmtier_colour_icon, 'crmtier-grey')
        self.assertFalse(party.crmtier_pending)
        self.assertIsNone(party.crmtier_status)

    @with_transaction(context=AS_OF)
    def test_benchmark_move_rewrites_others_and_draft_takes_revenue_back(
            self):
        pool = Pool()
        Sale = pool.get('sale.sale')
        company = create_company()
        with set_company(company):
            acme = create_party('Acme',
                crmtier_last_contact=datetime.date(2026, 11, 10))
            sale(acme, company, '1000', '2026-06-01')
            refresh()
            # The only buyer: benchmark 1000, p = 1 -> A, 100 -> red;
            # next contact 2026-11-10 + 30 days.
            acme = reload(acme)
            self.assertEqual((acme.crmtier_tier, acme.crmtier_temperature,
                    acme.crmtier_colour), ('A', 100, 'red'))
            self.assertEqual(acme.crmtier_next_contact,
                datetime.date(2026, 12, 10))
            self.assertEqual(acme.crmtier_channel, 'call_or_visit')

            beta = create_party('Beta')
            beta_sale = sale(beta, company, '4000', '2026-07-01')
            refresh()
            # Benchmark = p95 of {1000, 4000} = 4000 (rank 2 of 2): Acme's
            # p = 0.25 -> C (still 100 % of its own potential: red), next
            # contact 2026-11-10 + 90 = 2027-02-08; only Beta's sale moved.
            acme, beta = reload(acme), reload(beta)
            self.assertEqual((beta.crmtier_tier, beta.crmtier_colour),
                ('A', 'red'))
            self.assertEqual((acme.crmtier_tier, acme.crmtier_temperature,
                    acme.crmtier_colour), ('C', 100, 'red'))
            self.assertEqual(acme.crmtier_next_contact,
                datetime.date(2027, 2, 8))
            self.assertEqual(acme.crmtier_channel, 'call')

            # Back to draft while still confirmed (not processed yet):
            # Beta's revenue goes, Acme leads again.
            Sale.draft([beta_sale])
            refresh()
            self.assertEqual(reload(beta).crmtier_tier, 'D')
            self.assertEqual(reload(acme).crmtier_tier, 'A')

    @with_transaction(context=AS_OF)
    def test_search_and_sort_on_results(self):
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            small = create_party('Small')
            big = create_party('Big')
            sale(small, company, '1000', '2026-06-01')
            sale(big, company, '4000', '2026-06-01')
            refresh()
            # Big: A red 100; Small: p = 0.25 -> C, red 100; the company's
            # own party and nobody else: D grey.
            self.assertEqual(Party.search([('crmtier_tier', '=', 'A')]),
                [big])
            self.assertEqual(Party.search([('crmtier_tier', 'in',
                            ['A', 'C'])], order=[('crmtier_tier', 'DESC')]),
                [small, big])
            self.assertEqual(Party.search([('id', 'in', [small.id, big.id]),
                        ('crmtier_colour', '!=', 'red')]), [])
            self.assertEqual(
                Party.search([('crmtier_next_contact', '<=',
                            datetime.date(2026, 11, 27)),
                        ('id', 'in', [small.id, big.id])],
                    order=[('name', 'ASC')]), [big, small])
            self.assertEqual(Party.search([('crmtier_declining', '=', True)]),
                [])
            no_result = create_party('Unscored')
            self.assertIn(no_result, Party.search([('crmtier_tier', '=',
                            None)]))
            self.assertNotIn(big, Party.search([('crmtier_tier', '=',
                            None)]))

    # ------------------------------------------------------- the findings
    @with_transaction(context=AS_OF)
    def test_reactivation_after_a_rebuild_restores_the_sales(self):
        pool = Pool()
        Party = pool.get('party.party')
        Configuration = pool.get('crmtier.configuration')
        company = create_company()
        with set_company(company):
            small = create_party('Small')
            big = create_party('Big')
            sale(small, company, '1000', '2026-06-01')
            sale(big, company, '4000', '2026-06-01')
            refresh()
            # Benchmark 4000: Small p = 0.25 -> C.
            self.assertEqual(reload(small).crmtier_tier, 'C')
            Party.write([big], {'active': False})
            refresh()
            # Big's sales no longer count: Small is the benchmark, A; Big's
            # stored result is cleared.
            self.assertEqual(reload(small).crmtier_tier, 'A')
            self.assertEqual((reload(big).crmtier_tier,
                    reload(big).crmtier_colour), (None, None))
            # A full rebuild (Rescore All) in between, then back again:
            # Big returns with its 4000 (A), Small is C again.
            Configuration.rescore_all([Configuration(1)])
            refresh()
            self.assertEqual(reload(small).crmtier_tier, 'A')
            Party.write([big], {'active': True})
            refresh()
            self.assertEqual(reload(big).crmtier_tier, 'A')
            self.assertEqual(result_of(big)['annual_revenue'], 4000.0)
            self.assertEqual(reload(small).crmtier_tier, 'C')

    @with_transaction(context=AS_OF)
    def test_a_stale_process_never_keeps_a_deactivated_partys_result(self):
        "Two processes: the one whose engine is behind catches up first."
        pool = Pool()
        Party = pool.get('party.party')
        refresh_module = module('refresh')
        company = create_company()
        with set_company(company):
            big = create_party('Big')
            sale(big, company, '4000', '2026-06-01')
            refresh()
            self.assertEqual(reload(big).crmtier_tier, 'A')
            # This process's engine still has Big when another process
            # (a second engine) processes the deactivation.
            first = dict(refresh_module._engines)
            refresh_module._engines.clear()
            Party.write([big], {'active': False})
            refresh()
            self.assertIsNone(reload(big).crmtier_tier)
            second = dict(refresh_module._engines)
            refresh_module._engines.clear()
            refresh_module._engines.update(first)
            refresh()
            self.assertIsNone(reload(big).crmtier_tier)
            import crmtier
            with self.assertRaises(crmtier.NotFoundError):
                refresh_module.engine_of(Transaction().database.name).result(
                    str(big.id), 'canonical')
            for state in second.values():
                state.close()

    @with_transaction(context=AS_OF)
    def test_a_process_checks_what_another_wrote(self):
        """Acme goes C and back to A between two refreshes of a second
        process: that process's engine sees no change for Acme, but the
        first process wrote Acme's C meanwhile, and the second rewrites it
        because another process wrote it."""
        pool = Pool()
        Sale = pool.get('sale.sale')
        engines = module('refresh')._engines
        company = create_company()
        with set_company(company):
            acme = create_party('Acme')
            sale(acme, company, '1000', '2026-06-01')
            refresh()
            first = dict(engines)
            engines.clear()
            refresh()
            second = dict(engines)
            engines.clear()
            engines.update(first)
            # The first process: Beta's 4000 makes Acme C (p = 0.25).
            beta = create_party('Beta')
            beta_sale = sale(beta, company, '4000', '2026-07-01')
            refresh()
            self.assertEqual(reload(acme).crmtier_tier, 'C')
            # Beta's sale goes back to draft; the second process refreshes:
            # Acme is A again for it, and was A before.
            Sale.draft([beta_sale])
            engines.clear()
            engines.update(second)
            refresh()
            self.assertEqual(reload(acme).crmtier_tier, 'A')
            for state in first.values():
                state.close()

    @with_transaction(context=AS_OF)
    def test_missing_or_broken_library_never_blocks_saves(self):
        pool = Pool()
        Party = pool.get('party.party')
        Address = pool.get('party.address')
        Configuration = pool.get('crmtier.configuration')
        refresh_module = module('refresh')
        company = create_company()
        saved = config.get('crmtier', 'library', default=None)
        if not config.has_section('crmtier'):
            config.add_section('crmtier')
        with tempfile.NamedTemporaryFile(suffix='.so') as broken:
            broken.write(b'not a shared library')
            broken.flush()
            for path in ('/nonexistent/libcrmtier.so', broken.name):
                config.set('crmtier', 'library', path)
                refresh_module.forget()
                with set_company(company):
                    party = create_party('Saved ' + path)
                    address, = party.addresses
                    Address.write([address], {'city': 'Munich'})
                    Party.write([party], {'employees': 12})
                    sale(party, company, '500', '2026-06-01')
                    # Every save went through; the refresh makes no engine,
                    # says so and does not raise.
                    self.assertFalse(refresh_module.refresh())
                    party = reload(party)
                    self.assertTrue(party.crmtier_pending)
                    self.assertIn("Stale", party.crmtier_status)
                    self.assertIn("[crmtier] library", party.crmtier_status)
                    self.assertIn(path, party.crmtier_status)
                    self.assertIn("[crmtier] library",
                        Configuration(1).status)
        # Once the library loads, the next refresh catches up.
        if saved:
            config.set('crmtier', 'library', saved)
        else:
            config.remove_option('crmtier', 'library')
        refresh()
        party = reload(party)
        self.assertFalse(party.crmtier_pending)
        self.assertIsNone(party.crmtier_status)
        self.assertEqual(party.crmtier_tier, 'A')

    @with_transaction(context=AS_OF)
    def test_territory_from_invoice_address_or_first_non_empty(self):
        pool = Pool()
        Country = pool.get('country.country')
        Subdivision = pool.get('country.subdivision')
        Address = pool.get('party.address')
        de, fr = Country.create([{'name': 'Germany', 'code': 'DE'},
                {'name': 'France', 'code': 'FR'}])
        bavaria, = Subdivision.create([{'country': de.id, 'name': 'Bavaria',
                    'code': 'DE-BY', 'type': 'state'}])
        party = create_party('Addresses', addresses=[('create', [
                        {'sequence': 1},
                        {'sequence': 2, 'country': fr.id},
                        {'sequence': 3, 'country': de.id,
                            'subdivision': bavaria.id},
                        ])])
        refresh()

        def territory():
            reason, = [r for r in result_of(party)['reasons']
                if r['code'] == 'potential']
            return reason['profile']['territory']
        # The first address is empty: the first with a country counts.
        self.assertEqual(territory(), 'FR')
        # The invoice address counts first.
        third = [a for a in party.addresses if a.sequence == 3][0]
        Address.write([third], {'invoice': True})
        refresh()
        self.assertEqual(territory(), 'DE/DE-BY')

    @with_transaction(context=AS_OF)
    def test_incomplete_profile_said_in_words(self):
        party = create_party('Bare')
        refresh()
        note = reload(party).crmtier_profile
        self.assertIn("Incomplete profile", note)
        self.assertIn("head count", note)
        self.assertIn("country", note)
        self.assertIn("industry", note)

    @with_transaction(context=AS_OF)
    def test_why_feedback_and_escalation_from_the_result(self):
        pool = Pool()
        company = create_company()
        with set_company(company):
            cold = create_party('Cold')
            warm = create_party('Warm')
            # Cold: R = 900, prior 9000 -> potential 9000; Warm R = 9000:
            # benchmark 9000 (p95 of {900, 9000}); Cold p = 1 -> A,
            # temperature 10 -> blue, escalated, declining 90 %.
            sale(cold, company, '9000', '2025-06-01')
            sale(cold, company, '900', '2026-06-01')
            sale(warm, company, '9000', '2026-06-01')
            refresh()
            cold, warm = reload(cold), reload(warm)
            self.assertEqual((cold.crmtier_tier, cold.crmtier_colour,
                    cold.crmtier_temperature, cold.crmtier_escalate,
                    cold.crmtier_declining, cold.crmtier_decline_pct),
                ('A', 'blue', 10, True, True, 90))
            why = cold.crmtier_why
            self.assertNotIn('{', why)
            self.assertIn("Its potential is 9,000: its revenue of the 12 "
                "months before.", why)
            self.assertIn("Tier A: its potential is 100 % of the benchmark, "
                "9,000", why)
            self.assertIn("Declining: revenue down 90 % (900 in the last 12 "
                "months against 9,000 the year before)", why)
            self.assertIn("Next contact 2026-11-27 by call or visit", why)
            # The questions come from the result's request_feedback action.
            self.assertEqual(cold.crmtier_feedback, QUESTIONS)
            self.assertIsNone(warm.crmtier_feedback)
            # Escalation: its own icon and words; never red.
            self.assertEqual(cold.crmtier_escalate_icon, 'crmtier-escalate')
            self.assertEqual(cold.crmtier_colour_icon, 'crmtier-blue')
            self.assertEqual(cold.crmtier_escalated, "Escalated")
            self.assertIn("rep and manager", cold.crmtier_escalation)
            self.assertIsNone(warm.crmtier_escalated)
            Party = pool.get('party.party')
            visual = [a for a in Party.view_attributes()
                if a[0] == '/tree' and a[1] == 'visual']
            for _, _, expression in visual:
                decoder = PYSONDecoder({'crmtier_tier': 'A',
                        'crmtier_escalate': True, 'crmtier_colour': 'blue'})
                from trytond.pyson import PYSONEncoder
                self.assertNotIn(decoder.decode(PYSONEncoder().encode(
                            expression)), ('danger', 'warning'))
            form = Party.fields_view_get(view_type='form')['arch']
            for name in ('crmtier_feedback', 'crmtier_why',
                    'crmtier_escalation', 'crmtier_profile',
                    'crmtier_status', 'crmtier_rep'):
                self.assertIn('name="%s"' % name, form)
            self.assertNotIn('crmtier_result', form)

    @with_transaction(context=AS_OF)
    def test_return_sale_takes_revenue_back_once_processed(self):
        pool = Pool()
        Sale = pool.get('sale.sale')
        ReturnSale = pool.get('sale.return_sale', type='wizard')
        company = create_company()
        with set_company(company):
            party = create_party('Returns')
            other = create_party('Other')
            sold = sale(party, company, '1000', '2026-06-01')
            sale(other, company, '500', '2026-06-01')
            Sale.process([sold])
            self.assertEqual(Sale(sold.id).state, 'done')
            refresh()
            self.assertEqual(reload(party).crmtier_tier, 'A')
            # Tryton ignores draft and cancel on a processed sale: it
            # still counts.
            Sale.draft([sold])
            Sale.cancel([sold])
            self.assertEqual(Sale(sold.id).state, 'done')
            # The route that works: a return sale (quantities negated),
            # confirmed on the as-of date: R = 1000 - 1000 = 0, no prior:
            # potential 0 -> D; Other is now the benchmark.
            session_id, _, _ = ReturnSale.create()
            with Transaction().set_context(active_model='sale.sale',
                    active_id=sold.id, active_ids=[sold.id]):
                wizard = ReturnSale(session_id)
                wizard.do_return_(wizard.return_.get_action())
            returned, = Sale.search([('origin', '=', str(sold))])
            self.assertEqual(returned.untaxed_amount, Decimal('-1000'))
            Sale.write([returned], {'sale_date': datetime.date(2026, 11, 27)})
            Sale.quote([returned])
            Sale.confirm([returned])
            refresh()
            self.assertEqual(result_of(party)['annual_revenue'], 0.0)
            self.assertEqual(reload(party).crmtier_tier, 'D')
            self.assertEqual(reload(other).crmtier_tier, 'A')

    @with_transaction(context=AS_OF)
    def test_a_sale_in_another_currency_counts_at_trytons_dated_rate(self):
        # docs/tryton.md "Currencies": a sale in USD on a EUR company counts
        # converted by Currency.compute at the rate of its sale date; a sale
        # in a currency without a rate at its date is refused, naming the
        # rate to add.
        pool = Pool()
        Currency = pool.get('currency.currency')
        Rate = pool.get('currency.currency.rate')
        eur, usd, gbp = Currency.create([
                {'name': 'Euro', 'symbol': 'EUR', 'code': 'EUR'},
                {'name': 'U.S. Dollar', 'symbol': 'USD', 'code': 'USD'},
                {'name': 'Pound', 'symbol': 'GBP', 'code': 'GBP'}])
        # Tryton's rates: units per unit of the base (EUR). 1 EUR = 1.25 USD
        # from 2026-01-01, 1.10 USD from 2026-06-01; GBP only from 2026-10-01.
        Rate.create([
                {'currency': eur.id, 'rate': Decimal(1),
                    'date': datetime.date(2020, 1, 1)},
                {'currency': usd.id, 'rate': Decimal('1.25'),
                    'date': datetime.date(2026, 1, 1)},
                {'currency': usd.id, 'rate': Decimal('1.10'),
                    'date': datetime.date(2026, 6, 1)},
                {'currency': gbp.id, 'rate': Decimal('0.85'),
                    'date': datetime.date(2026, 10, 1)}])
        company = create_company(currency=eur)
        with set_company(company):
            acme = create_party('Acme')
            euro = create_party('Euro Buyer')
            pound = create_party('Pound Buyer')
            # 1000 USD on 2026-03-15 at 1.25: 1000 / 1.25 = 800.00 EUR;
            # 1100 USD on 2026-07-01 at 1.10: 1100 / 1.10 = 1000.00 EUR.
            sale(acme, company, '1000', '2026-03-15', currency=usd)
            sale(acme, company, '1100', '2026-07-01', currency=usd)
            sale(euro, company, '900', '2026-05-01')
            # No GBP rate on or before 2026-09-01.
            sale(pound, company, '100', '2026-09-01', currency=gbp)
            refresh()
            self.assertEqual(result_of(acme)['annual_revenue'], 1800.0)
            self.assertEqual(result_of(euro)['annual_revenue'], 900.0)
            # Benchmark = p95 of {1800, 900} = 1800: Acme A, Euro Buyer
            # 900 / 1800 = 0.5 -> B.
            self.assertEqual(reload(acme).crmtier_tier, 'A')
            self.assertEqual(reload(euro).crmtier_tier, 'B')
            status = reload(pound).crmtier_status
            self.assertIn("Not scored", status)
            self.assertIn('"GBP" is not the company currency ("EUR") and '
                'has no rate', status)
            records = module('records')
            line, = [l for _, p, l in records.sale_records()
                if p == pound.id]
            self.assertIn('"untaxed_amount":"100.00","currency":"GBP"}', line)
            # With a rate in Tryton at that date, the sale is sent converted:
            # 100 / 0.85 = 117.647... -> 117.65 EUR.
            Rate.create([{'currency': gbp.id, 'rate': Decimal('0.85'),
                        'date': datetime.date(2026, 8, 1)}])
            line, = [l for _, p, l in records.sale_records()
                if p == pound.id]
            self.assertIn('"untaxed_amount":"117.65"}', line)

    @with_transaction(context=AS_OF)
    def test_a_refused_record_keeps_only_its_party_stale(self):
        company = create_company()
        with set_company(company):
            odd = create_party('Odd')
            fine = create_party('Fine')
            # Years after 2999 are refused by the library.
            sale(odd, company, '100', '3000-01-01')
            sale(fine, company, '100', '2026-06-01')
            refresh()
            odd, fine = reload(odd), reload(fine)
            self.assertIn("Not scored", odd.crmtier_status)
            self.assertIn("sale", odd.crmtier_status)
            self.assertEqual(fine.crmtier_tier, 'A')
            self.assertIsNone(fine.crmtier_status)

    @with_transaction(context=AS_OF)
    def test_category_rename_changes_the_industry(self):
        pool = Pool()
        Category = pool.get('party.category')
        industry, = Category.create([{'name': 'Industry'}])
        maker, = Category.create([{'name': 'Manufacturing',
                    'parent': industry.id}])
        party = create_party('Maker', categories=[('add', [maker.id])])
        refresh()

        def profile_industry():
            reason, = [r for r in result_of(party)['reasons']
                if r['code'] == 'potential']
            return reason['profile']['industry']
        self.assertEqual(profile_industry(), 'Manufacturing')
        Category.write([maker], {'name': 'Machinery'})
        refresh()
        self.assertEqual(profile_industry(), 'Machinery')

    # ------------------------------------------------------------- policy
    @with_transaction(context=AS_OF)
    def test_invalid_policy_is_refused_with_the_message_alone(self):
        Configuration = Pool().get('crmtier.configuration')
        configuration = Configuration(1)
        configuration.policy = '{"no_such_setting": 1}'
        with self.assertRaises(UserError) as caught:
            configuration.save()
        message = str(caught.exception.message)
        self.assertIn('"no_such_setting"', message)
        self.assertNotIn('[4]', message)
        self.assertTrue(message.startswith(
                "The crmtier policy is not valid: config: "), message)
        configuration.policy = 'not json'
        with self.assertRaises(UserError):
            configuration.save()

    @with_transaction(context=AS_OF)
    def test_policy_change_rebuilds(self):
        Configuration = Pool().get('crmtier.configuration')
        party = create_party('Policy',
            crmtier_last_contact=datetime.date(2026, 11, 10))
        refresh()
        # Default: D every 180 days -> 2027-05-09.
        self.assertEqual(reload(party).crmtier_next_contact,
            datetime.date(2027, 5, 9))
        configuration = Configuration(1)
        configuration.policy = '{"cadence": {"D": {"days": 7}}}'
        configuration.save()
        refresh()
        # D every 7 days: 2026-11-17, 10 days overdue on 2026-11-27.
        party = reload(party)
        self.assertEqual(party.crmtier_next_contact,
            datetime.date(2026, 11, 17))
        self.assertEqual(party.crmtier_overdue_days, 10)

    # ---------------------------------------------------------- the day
    @with_transaction(context=AS_OF)
    def test_the_cron_rolls_the_day_over(self):
        pool = Pool()
        Cron = pool.get('ir.cron')
        party = create_party('Nightly',
            crmtier_last_contact=datetime.date(2026, 11, 10))
        refresh()
        cron, = Cron.search(
            [('method', '=', 'crmtier.configuration|crmtier_cron')])
        # D: 2026-11-10 + 180 days = 2027-05-09; the run on 2027-05-19
        # finds it ten days overdue though nothing was saved.
        self.assertEqual(reload(party).crmtier_overdue_days, 0)
        with Transaction().set_context(crmtier_as_of='2027-05-19'):
            module('refresh').refresh()
        self.assertEqual(reload(party).crmtier_overdue_days, 10)
        self.assertTrue(cron.interval_type == 'minutes'
            and cron.interval_number <= 5)

    @with_transaction(context=AS_OF)
    def test_the_log_is_pruned_and_a_process_behind_it_rebuilds(self):
        pool = Pool()
        Configuration = pool.get('crmtier.configuration')
        Change = pool.get('crmtier.change')
        refresh_module = module('refresh')
        old = create_party('Old')
        refresh()
        # Its log row is 8 days old, past the 7 days the log keeps.
        table = Change.__table__()
        cursor = Transaction().connection.cursor()
        eight_days = datetime.datetime.utcnow() - datetime.timedelta(days=8)
        cursor.execute(*table.update([table.create_date], [eight_days]))
        new = create_party('New')
        Configuration._prune()
        cursor.execute(*table.select(table.party))
        self.assertEqual([r[0] for r in cursor], [new.id])
        configuration = Configuration.__table__()
        cursor.execute(*configuration.select(configuration.pruned_before))
        self.assertIsNotNone(cursor.fetchone()[0])
        # An engine last caught up before the pruning starts again from
        # the database; one caught up since does not.
        state = refresh_module._state(Transaction().database.name)
        engine = state.engine
        refresh()
        self.assertIs(state.engine, engine)
        state.caught_up_at = eight_days
        refresh()
        self.assertIsNot(state.engine, engine)
        self.assertEqual((reload(old).crmtier_tier, reload(new).crmtier_tier),
            ('D', 'D'))

    @with_transaction()
    def test_today_is_the_companys(self):
        pool = Pool()
        Company = pool.get('company.company')
        company = create_company()
        refresh_module = module('refresh')
        for zone in ('Pacific/Kiritimati', 'Pacific/Pago_Pago'):
            Company.write([company], {'timezone': zone})
            self.assertEqual(refresh_module.company_today(),
                datetime.datetime.now(ZoneInfo(zone)).date())

    # ----------------------------------------------------- transactions
    @with_transaction(context=AS_OF)
    def test_a_rolled_back_refresh_is_checked_again(self):
        party = create_party('Again')
        transaction = Transaction()
        transaction.commit()
        try:
            refresh()
            self.assertEqual(reload(party).crmtier_tier, 'D')
            transaction.rollback()
            # The stored row is gone with the rollback; the engine still
            # knows the party and checks it again on the next refresh.
            self.assertIsNone(reload(party).crmtier_tier)
            refresh()
            self.assertEqual(reload(party).crmtier_tier, 'D')
        finally:
            # Leave the database as the other tests expect it.
            transaction.rollback()
            Pool().get('party.party').delete([reload(party)])
            cursor = transaction.connection.cursor()
            for model in ('crmtier.change', 'crmtier.result',
                    'crmtier.refresher'):
                table = Pool().get(model).__table__()
                cursor.execute(*table.delete())
            transaction.commit()

    @with_transaction(context=AS_OF)
    def test_an_engine_that_saw_uncommitted_changes_is_dropped(self):
        transaction = Transaction()
        create_party('Never committed')
        refresh()
        name = transaction.database.name
        self.assertIsNotNone(module('refresh').engine_of(name))
        transaction.rollback()
        self.assertIsNone(module('refresh').engine_of(name))

    # ------------------------------------------------- rep and worklists
    @with_transaction()
    def test_rep_from_the_sale_and_worklists(self):
        pool = Pool()
        Party = pool.get('party.party')
        Sale = pool.get('sale.sale')
        ModelData = pool.get('ir.model.data')
        Action = pool.get('ir.action.act_window')
        today = module('refresh').company_today()
        company = create_company()
        with set_company(company):
            pam = create_employee(company, "Pam")
            jim = create_employee(company, "Jim")
            # A party without a rep takes the employee who quoted its sale.
            client = create_party('Client')
            record = sale(client, company, '1000',
                (today - datetime.timedelta(days=30)).isoformat(),
                confirm=False)
            User = pool.get('res.user')
            User.write([User(Transaction().user)], {
                    'employees': [('add', [jim.id])]})
            with Transaction().set_context(employee=jim.id):
                Sale.quote([record])
            Sale.confirm([record])
            self.assertEqual(reload(client).crmtier_rep, jim)

            def party(name, rep, last_contact=None, **values):
                return create_party(name, crmtier_rep=rep.id,
                    crmtier_last_contact=last_contact, **values)
            # Tier D parties (no revenue) are contacted every 180 days.
            overdue = party('Overdue', pam, today - datetime.timedelta(
                    days=190))
            soon = party('Soon', pam, today - datetime.timedelta(days=177))
            later = party('Later', pam, today - datetime.timedelta(days=100))
            other = party('Other rep', jim, today - datetime.timedelta(
                    days=185))
            # Declining and blue A for Pam: prior 9000, now 900 (benchmark
            # 9000 from Jim's client below): A, temperature 10, blue.
            cold = party('Cold', pam, today - datetime.timedelta(days=5))
            sale(cold, company, '9000',
                (today - datetime.timedelta(days=500)).isoformat())
            sale(cold, company, '900',
                (today - datetime.timedelta(days=40)).isoformat())
            big = party('Big', jim, today - datetime.timedelta(days=5))
            sale(big, company, '9000',
                (today - datetime.timedelta(days=40)).isoformat())
            refresh()

            def worklist(xml_id, employee):
                action = Action(ModelData.get_id('crmtier', xml_id))
                env = {'context': {'employee': employee.id}}
                domain = PYSONDecoder(env).decode(action.pyson_domain)
                order = PYSONDecoder(env).decode(action.pyson_order)
                return [p.name for p in Party.search(domain, order=order)]
            # Overdue first (10 days), then due within the week (in 3
            # days); Later (in 80 days) and Jim's party are not listed.
            self.assertEqual(worklist('act_my_contacts_due', pam),
                ['Overdue', 'Soon'])
            self.assertEqual(worklist('act_my_declining', pam), ['Cold'])
            self.assertEqual(worklist('act_my_blue_a', pam), ['Cold'])
            self.assertEqual(worklist('act_my_declining', jim), [])
            # The manager's lists: every rep's and the parties without one
            # (never contacted: due today, like the company and employee
            # parties, and Client).
            self.assertEqual(set(worklist('act_all_contacts_due', pam)),
                {'Overdue', 'Soon', 'Other rep', 'Client', 'Dunder Mifflin',
                    'Pam', 'Jim'})
            self.assertEqual(worklist('act_all_blue_a', jim), ['Cold'])
            for p in (overdue, soon, later, other):
                self.assertEqual(reload(p).crmtier_tier, 'D')
            # The rep is the account owner the engine is sent.
            records = dict(module('records').party_records([cold.id]))
            self.assertEqual(json.loads(records[cold.id])['owner'],
                str(pam.id))

            # The sales plan page, rendered by the library from this
            # process's engine: Pam's has her 4 parties and 1 escalation
            # (Cold, a blue A); every rep's has all 10 parties (the 7
            # above, the company's and the two employees'), and the same
            # one escalation.
            def stat(page, name):
                key = 'data-stat="%s" data-value="' % name
                at = page.index(key) + len(key)
                return int(page[at:page.index('"', at)])
            MySalesPlan = pool.get('crmtier.sales_plan.mine', type='report')
            SalesPlan = pool.get('crmtier.sales_plan', type='report')
            User.write([User(Transaction().user)], {
                    'employees': [('add', [pam.id])], 'employee': pam.id})
            ext, page, direct, name = MySalesPlan.execute([], {})
            self.assertEqual((ext, direct, name),
                ('html', False, 'Sales plan of Pam'))
            self.assertTrue(page.startswith('<!DOCTYPE html>'))
            self.assertEqual(stat(page, 'accounts'), 4)
            self.assertEqual(stat(page, 'escalations'), 1)
            self.assertIn('<article class="escalation" data-rep="%d" '
                'data-id="%d">' % (pam.id, cold.id), page)
            ext, page, direct, name = SalesPlan.execute([], {})
            self.assertEqual(name, 'Sales plan')
            self.assertEqual(stat(page, 'accounts'), 10)
            self.assertEqual(stat(page, 'escalations'), 1)
            # A user without an employee has no plan of their own; a rep
            # without parties is told so.
            User.write([User(Transaction().user)], {'employee': None})
            with self.assertRaises(UserError):
                MySalesPlan.execute([], {})
            dwight = create_employee(company, "Dwight")
            User.write([User(Transaction().user)], {
                    'employees': [('add', [dwight.id])],
                    'employee': dwight.id})
            with self.assertRaisesRegex(UserError, 'No party has you'):
                MySalesPlan.execute([], {})

    # ------------------------------------------------------- the adapter
    def test_counted_states_are_the_adapters(self):
        path = os.environ.get('CRMTIER_TRYTON_MAPPING')
        self.assertTrue(path, 'set CRMTIER_TRYTON_MAPPING to '
            'adapters/mappings/tryton.json (CTest does)')
        with open(path) as f:
            mapping = json.load(f)
        sale_mapping, = [r for r in mapping['records']
            if r['type'] == 'sale.sale']
        states, = [c['in'] for c in sale_mapping['counts_when']['all']
            if c.get('path') == 'state']
        from trytond.modules.crmtier import records
        self.assertEqual(tuple(states), records.COUNTED_SALE_STATES)


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
