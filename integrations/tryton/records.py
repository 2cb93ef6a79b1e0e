# The record shapes exchanged with libcrmtier's "tryton" adapter, and the
# conversion to and from the canonical adapter, used when the loaded library
# has no "tryton" adapter yet. Pure Python: no trytond import, so it can be
# tested on its own.
import datetime
import json
from decimal import Decimal

# Sale states whose untaxed amount counts as revenue; any other state removes
# the sale from the portfolio.
COUNTED_SALE_STATES = ('confirmed', 'processing', 'done')

# The fields the library returns (render "tryton"), in the party's names.
RESULT_FIELDS = (
    'crmtier_tier', 'crmtier_temperature', 'crmtier_colour',
    'crmtier_colour_hex', 'crmtier_next_contact', 'crmtier_channel',
    'crmtier_overdue_days', 'crmtier_declining', 'crmtier_escalate',
    'crmtier_reasons')

# The category whose children name industries.
INDUSTRY_CATEGORY = 'Industry'


def _date(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.isoformat()


def industry_of(categories):
    """The name of the first (by name) category whose parent is named
    "Industry", or None."""
    names = sorted(c.name for c in categories
        if c.parent and c.parent.name == INDUSTRY_CATEGORY)
    return names[0] if names else None


def party_record(party, owner=None):
    """The "party.party" record of one party, as the tryton adapter reads it.

    country / subdivision come from the party's first address; industry from
    its categories (see industry_of); active False asks for a delete.
    """
    address = party.addresses[0] if party.addresses else None
    country = address.country.code if address and address.country else None
    subdivision = (address.subdivision.code
        if address and address.subdivision else None)
    return {
        '__model__': 'party.party',
        'id': party.id,
        'name': party.name,
        'code': party.code,
        'employees': party.employees,
        'country': country,
        'subdivision': subdivision,
        'industry': industry_of(party.categories),
        'owner': owner,
        'last_contact': _date(party.crmtier_last_contact),
        'active': bool(party.active),
        }


def sale_record(sale):
    """The "sale.sale" record of one sale, as the tryton adapter reads it."""
    amount = sale.untaxed_amount
    if amount is None:
        amount = Decimal(0)
    return {
        '__model__': 'sale.sale',
        'id': sale.id,
        'party': sale.party.id if sale.party else None,
        'number': sale.number,
        'state': sale.state,
        'sale_date': _date(sale.sale_date),
        'untaxed_amount': str(Decimal(amount).quantize(Decimal('0.01'))),
        }


# ---------------------------------------------------------------- canonical

def to_canonical(record):
    """A tryton-shaped record -> the canonical record, for a library without
    the tryton adapter. Missing optional fields are left out."""
    if record['__model__'] == 'party.party':
        if not record.get('active', True):
            return {'type': 'account', 'id': str(record['id']),
                'deleted': True}
        country, subdivision = record.get('country'), record.get('subdivision')
        territory = None
        if country:
            territory = country + ('/' + subdivision if subdivision else '')
        account = {
            'type': 'account', 'id': str(record['id']),
            'name': record.get('name') or '',
            'owner': record.get('owner'),
            'employees': record.get('employees'),
            'territory': territory,
            'industry': record.get('industry'),
            'last_contact': record.get('last_contact'),
            }
        return {k: v for k, v in account.items() if v is not None}
    if record['__model__'] == 'sale.sale':
        rid = 'sale-%s' % record['id']
        if (record.get('state') not in COUNTED_SALE_STATES
                or not record.get('sale_date') or record.get('party') is None):
            return {'type': 'revenue', 'id': rid, 'deleted': True}
        return {'type': 'revenue', 'id': rid,
            'account_id': str(record['party']),
            'date': record['sale_date'],
            'amount': float(Decimal(record['untaxed_amount']))}
    raise ValueError('unknown __model__ %r' % record.get('__model__'))


def from_canonical(result):
    """A canonical result -> the fields the tryton adapter renders."""
    return {
        'party': int(result['id']),
        'crmtier_tier': result['tier'],
        'crmtier_temperature': result['temperature'],
        'crmtier_colour': result['colour'],
        'crmtier_colour_hex': result['colour_hex'],
        'crmtier_next_contact': result['next_contact'],
        'crmtier_channel': result['channel'],
        'crmtier_overdue_days': result['overdue_days'],
        'crmtier_declining': result['declining'],
        'crmtier_escalate': result['escalate'],
        'crmtier_reasons': json.dumps(result.get('reasons', []),
            sort_keys=True),
        }


def party_values(rendered):
    """A rendered result -> the values written on the party (dates parsed,
    reasons kept as JSON text)."""
    values = {f: rendered.get(f) for f in RESULT_FIELDS}
    if values['crmtier_next_contact']:
        values['crmtier_next_contact'] = datetime.date.fromisoformat(
            values['crmtier_next_contact'])
    reasons = values['crmtier_reasons']
    if reasons is not None and not isinstance(reasons, str):
        values['crmtier_reasons'] = json.dumps(reasons, sort_keys=True)
    values['crmtier_declining'] = bool(values['crmtier_declining'])
    values['crmtier_escalate'] = bool(values['crmtier_escalate'])
    return values


EMPTY_VALUES = {f: None for f in RESULT_FIELDS}
EMPTY_VALUES.update(crmtier_declining=False, crmtier_escalate=False)


# ------------------------------------------------------------- explanation

_SOURCES = {
    'own': "its revenue of the last 12 months",
    'prior': "its revenue of the 12 months before",
    'prior_year': "its revenue of the 12 months before",
    'lookalike': "what {peers} look-alike clients ({profile}) bring",
    'lookalikes': "what {peers} look-alike clients ({profile}) bring",
    }
_CHANNELS = {'call_or_visit': "call or visit", 'call': "call",
    'email': "e-mail"}


def _money(value):
    return '{:,.0f}'.format(value or 0)


def why(reasons_text):
    """The reasons (JSON text of the library) as a few short lines for the
    rep; the raw JSON stays in crmtier_reasons."""
    try:
        reasons = json.loads(reasons_text or '[]')
    except ValueError:
        return reasons_text
    lines = []
    for reason in reasons if isinstance(reasons, list) else []:
        code = reason.get('code')
        try:
            if code == 'potential':
                profile = '/'.join(str(v) for v in
                    (reason.get('profile') or {}).values() if v)
                source = _SOURCES.get(reason.get('source'),
                    reason.get('source') or '?').format(
                    peers=reason.get('peers'), profile=profile)
                lines.append("Potential %s: %s." % (
                        _money(reason.get('value')), source))
            elif code == 'tier':
                lines.append("Tier %s: %.0f %% of the benchmark %s." % (
                        reason.get('tier'), 100 * (reason.get('ratio') or 0),
                        _money(reason.get('benchmark'))))
            elif code == 'temperature':
                lines.append("Temperature %s (%s): share of the potential "
                    "realised." % (reason.get('value'), reason.get('colour')))
            elif code == 'escalate':
                lines.append("High potential running cold: rep and manager, "
                    "rethink the approach.")
            elif code == 'decline':
                lines.append("Revenue down %s %% (%s -> %s): ask the client "
                    "for feedback." % (reason.get('decline_pct'),
                        _money(reason.get('prior_revenue')),
                        _money(reason.get('annual_revenue'))))
            elif code == 'cadence':
                line = "Next contact %s by %s (tier %s: every %s days)" % (
                    reason.get('next_contact'),
                    _CHANNELS.get(reason.get('channel'),
                        reason.get('channel')),
                    reason.get('tier'), reason.get('interval_days'))
                if reason.get('overdue_days'):
                    line += ", %s days overdue" % reason['overdue_days']
                lines.append(line + '.')
        except (TypeError, ValueError, KeyError):
            continue
    return '\n'.join(lines)
