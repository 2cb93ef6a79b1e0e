# The records sent to libcrmtier's "tryton" adapter (adapters/mappings/
# tryton.json), read from the database with SQL so that one query serves one
# party or a hundred thousand: a party.party record per party, a sale.sale
# record per sale. Which sales count and how a record becomes an account or a
# revenue line is the adapter's business; this file only reads Tryton's
# tables and decides the three things Tryton leaves open: the address that
# gives the territory, the category that gives the industry, and the
# currency amounts are summed in (the first company's, by Tryton's rates at
# each sale's date: docs/tryton.md "Currencies").
import datetime
import json
from decimal import Decimal

from trytond.modules.currency.exceptions import RateError
from trytond.pool import Pool
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

# The sale states the adapter counts (its "counts_when"); used here only to
# read fewer rows when loading everything. tests/test_crmtier.py checks that
# both lists agree.
COUNTED_SALE_STATES = ('confirmed', 'processing', 'done')

# The category whose children name industries.
INDUSTRY_CATEGORY = 'Industry'


def _iso(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def owner_of(rep_id):
    "The account owner the engine sees for a sales rep (an employee id)."
    return str(rep_id) if rep_id else None


def choose_territory(addresses):
    """(country code, subdivision code) of the invoice address with a
    country, else of the first address (Tryton's order: sequence, then id)
    with a country, else (None, None). addresses: (sequence, id, invoice,
    country, subdivision) tuples of the party's active addresses."""
    ordered = sorted(addresses,
        key=lambda a: (a[0] is not None, a[0] or 0, a[1]))
    with_country = [a for a in ordered if a[3]]
    chosen = ([a for a in with_country if a[2]] or with_country or [None])[0]
    if chosen is None:
        return None, None
    return chosen[3], chosen[4]


def _cursor():
    return Transaction().connection.cursor()


def _where_ids(column, ids):
    "Yield SQL conditions for ids in slices (None: no condition)."
    if ids is None:
        yield None
        return
    for sub_ids in grouped_slice(sorted(set(ids))):
        yield reduce_ids(column, list(sub_ids))


def party_records(ids=None):
    """Yield (party id, record as JSON text) for the parties `ids` (every
    one, active or not: an inactive party's record asks for a delete), or
    for every active party when ids is None. Ids not in the table are not
    yielded."""
    pool = Pool()
    party = pool.get('party.party').__table__()
    address = pool.get('party.address').__table__()
    country = pool.get('country.country').__table__()
    subdivision = pool.get('country.subdivision').__table__()
    category = pool.get('party.category').__table__()
    parent = pool.get('party.category').__table__()
    relation = pool.get('party.party-party.category').__table__()
    cursor = _cursor()
    for condition in _where_ids(party.id, ids):
        if condition is None:
            condition = party.active == True  # noqa: E712
        where = condition
        cursor.execute(*party.select(party.id, party.name, party.code,
                party.active, party.employees, party.crmtier_last_contact,
                party.crmtier_rep, where=where))
        rows = cursor.fetchall()
        if not rows:
            continue
        party_ids = [r[0] for r in rows]
        addresses = {}
        industries = {}
        for sub in _where_ids(address.party, party_ids):
            cursor.execute(*address.join(country, 'LEFT',
                    condition=address.country == country.id
                    ).join(subdivision, 'LEFT',
                    condition=address.subdivision == subdivision.id
                    ).select(address.party, address.sequence, address.id,
                    address.invoice, country.code, subdivision.code,
                    where=sub & (address.active == True)))  # noqa: E712
            for party_id, *values in cursor:
                addresses.setdefault(party_id, []).append(values)
        for sub in _where_ids(relation.party, party_ids):
            cursor.execute(*relation.join(category,
                    condition=relation.category == category.id
                    ).join(parent, condition=category.parent == parent.id
                    ).select(relation.party, category.name,
                    where=sub & (parent.name == INDUSTRY_CATEGORY)))
            for party_id, name in cursor:
                if name and (party_id not in industries
                        or name < industries[party_id]):
                    industries[party_id] = name
        for (party_id, name, code, active, employees, last_contact,
                rep) in rows:
            country_code, subdivision_code = choose_territory(
                addresses.get(party_id, []))
            yield party_id, json.dumps({
                    '__model__': 'party.party',
                    'id': party_id,
                    'name': name,
                    'code': code,
                    'employees': employees,
                    'country': country_code,
                    'subdivision': subdivision_code,
                    'industry': industries.get(party_id),
                    'owner': owner_of(rep),
                    'last_contact': _iso(last_contact),
                    'active': bool(active),
                    }, separators=(',', ':'))


def deleted_party(party_id):
    "The record of a party that no longer exists."
    return json.dumps({'__model__': 'party.party', 'id': party_id,
            'active': False}, separators=(',', ':'))


def _amount(value):
    if value is None:
        return None
    return str(Decimal(str(value)).quantize(Decimal('0.01')))


_SALE = ('{"__model__":"sale.sale","id":%d,"party":%s,"state":"%s",'
    '"sale_date":%s,"untaxed_amount":%s%s}')


def _sale_line(sale_id, party_id, state, sale_date, amount, currency=None):
    return _SALE % (sale_id, 'null' if party_id is None else int(party_id),
        state if state in _STATES else 'draft',
        'null' if sale_date is None else '"%s"' % _iso(sale_date),
        'null' if amount is None else '"%s"' % amount,
        '' if currency is None else ',"currency":%s' % json.dumps(currency))


def company_currency():
    """The id and ISO code of the currency every amount is summed in: the
    first company's (the one whose time zone gives today), or (None, None)
    without a company."""
    pool = Pool()
    company = pool.get('company.company').__table__()
    currency = pool.get('currency.currency').__table__()
    cursor = _cursor()
    cursor.execute(*company.join(currency,
            condition=company.currency == currency.id
            ).select(currency.id, currency.code,
            order_by=company.id.asc, limit=1))
    row = cursor.fetchone()
    if not row:
        return None, None
    return row[0], (row[1] or '').upper() or None


def policy_with_company_currency(policy_text):
    """The policy the engine gets: the administrator's, with
    currency.company set to the company currency's code when the policy
    sets none, so that a sale the module could not convert is refused
    naming the rate to add. A policy that is not a JSON object, or a company
    currency that is not an ISO 4217 code, leaves the text as it is."""
    try:
        policy = json.loads(policy_text or '{}')
    except ValueError:
        return policy_text
    _, code = company_currency()
    if (not isinstance(policy, dict) or not code or len(code) != 3
            or not code.isascii() or not code.isalpha()):
        return policy_text
    section = policy.setdefault('currency', {})
    if not isinstance(section, dict) or 'company' in section:
        return policy_text
    section['company'] = code
    return json.dumps(policy)


def in_company_currency(amount, currency_id, sale_date, target_id):
    """(amount, None) in the company currency `target_id`: Tryton's own
    conversion, Currency.compute at the rate of the sale date (rounded to
    the company currency). Without a rate at that date: (amount as it is,
    the sale currency's code), for the engine to convert by the policy's
    currency.rates or refuse, saying which rate is missing."""
    if (target_id is None or currency_id is None
            or currency_id == target_id):
        return amount, None
    Currency = Pool().get('currency.currency')
    with Transaction().set_context(date=sale_date, _check_access=False):
        try:
            return Currency.compute(currency_id, amount, target_id), None
        except RateError:
            return amount, (Currency(currency_id).code or '').upper()


_STATES = {'draft', 'quotation', 'confirmed', 'processing', 'done',
    'cancelled'}


def sale_records(ids=None):
    """Yield (sale id, party id, record as JSON text) for the sales `ids`
    (any state), or for every sale in a counted state when ids is None."""
    pool = Pool()
    Sale = pool.get('sale.sale')
    sale = Sale.__table__()
    cursor = _cursor()
    target, _ = company_currency()
    for condition in _where_ids(sale.id, ids):
        where = (condition if condition is not None
            else sale.state.in_(COUNTED_SALE_STATES))
        cursor.execute(*sale.select(sale.id, sale.party, sale.state,
                sale.sale_date, sale.untaxed_amount_cache, sale.currency,
                where=where))
        rows = cursor.fetchall()
        # A counted sale without its cached amount (written by SQL, or by an
        # older Tryton): ask the model.
        missing = [r[0] for r in rows
            if r[4] is None and r[2] in COUNTED_SALE_STATES]
        computed = {}
        if missing:
            with Transaction().set_context(_check_access=False):
                for record in Sale.browse(missing):
                    computed[record.id] = record.untaxed_amount
        for sale_id, party_id, state, sale_date, cache, currency in rows:
            amount = cache if cache is not None else computed.get(sale_id)
            if amount is None:
                amount = Decimal(0)
            code = None
            if state in COUNTED_SALE_STATES and sale_date is not None:
                # Only what counts is converted: a sale without a date or
                # in another state is not read for its amount.
                amount, code = in_company_currency(amount, currency,
                    sale_date, target)
            yield sale_id, party_id, _sale_line(sale_id, party_id, state,
                sale_date, _amount(amount), code)


def deleted_sale(sale_id):
    "The record of a sale that no longer exists: a state that never counts."
    return _sale_line(sale_id, None, 'cancelled', None, None)
