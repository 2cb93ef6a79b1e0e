# Party: the fields a user fills in (head count, last contact, sales rep),
# the result fields (read from the stored results, never computed here),
# and the hooks that log what a save changed (changes.py). A save only
# writes its log rows: scoring happens in the refresh (refresh.py).
import datetime
import json

from sql import Column, Null

from trytond.model import fields
from trytond.model.fields.field import SQL_OPERATORS
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from . import changes, explain, results
from .results import CHANNELS, COLOURS, TIERS

__all__ = ['Party', 'Address', 'Category']

# Party field -> stored result column (searchable and sortable).
STORED = {
    'crmtier_tier': 'tier',
    'crmtier_temperature': 'temperature',
    'crmtier_colour': 'colour',
    'crmtier_colour_hex': 'colour_hex',
    'crmtier_escalate': 'escalate',
    'crmtier_next_contact': 'next_contact',
    'crmtier_channel': 'channel',
    'crmtier_overdue_days': 'overdue_days',
    'crmtier_declining': 'declining',
    'crmtier_decline_pct': 'decline_pct',
    'crmtier_annual_revenue': 'annual_revenue',
    'crmtier_potential': 'potential',
    }
BOOLEANS = {'escalate', 'declining'}
# How long without any refresh before the form asks whether one runs.
QUIET = datetime.timedelta(minutes=15)


def _result_field(field, searchable=True):
    return fields.Function(field, 'get_crmtier',
        searcher='search_crmtier' if searchable else None)


def _order(column):
    "An order_<field> method: sort on the stored result's column."
    def order(cls, tables):
        party, _ = tables[None]
        if 'crmtier_result' not in tables:
            result = Pool().get('crmtier.result').__table__()
            tables['crmtier_result'] = {
                None: (result, result.id == party.id)}
        result, _ = tables['crmtier_result'][None]
        return [Column(result, column)]
    return classmethod(order)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    employees = fields.Integer("Employees",
        domain=[If(Eval('employees'), ('employees', '>=', 0), ())],
        depends=['employees'],
        help="Head count: the size band of the crmtier profile.")
    crmtier_last_contact = fields.Date("Last Contact",
        help="The last contact with this party: the next contact is due "
        "one interval of its tier later.")
    crmtier_rep = fields.Many2One('company.employee', "Sales Rep",
        ondelete='SET NULL',
        help="The account owner: crmtier's worklists, temperature map and "
        "peer groups are per sales rep. Set from the first confirmed sale "
        "when empty.")

    crmtier_tier = _result_field(fields.Selection(TIERS, "Tier"))
    crmtier_temperature = _result_field(fields.Integer("Temperature",
            help="0-100: how much of its potential the party realises."))
    crmtier_colour = _result_field(fields.Selection(COLOURS, "Colour"))
    crmtier_colour_hex = _result_field(fields.Char("Colour Code"))
    crmtier_colour_icon = _result_field(fields.Char("Colour Icon"), False)
    crmtier_escalate = _result_field(fields.Boolean("Escalated",
            help="A tier A party running blue: rep and manager, rethink "
            "the approach."))
    crmtier_escalate_icon = _result_field(fields.Char("Escalation Icon"),
        False)
    crmtier_escalated = _result_field(fields.Char("Escalated"), False)
    crmtier_escalation = _result_field(fields.Char("Escalation"), False)
    crmtier_next_contact = _result_field(fields.Date("Next Contact"))
    crmtier_channel = _result_field(fields.Selection(CHANNELS, "Channel"))
    crmtier_overdue_days = _result_field(fields.Integer("Overdue Days"))
    crmtier_declining = _result_field(fields.Boolean("Declining"))
    crmtier_decline_pct = _result_field(fields.Integer("Decline %"))
    crmtier_annual_revenue = _result_field(fields.Float("Annual Revenue",
            digits=(16, 2)))
    crmtier_potential = _result_field(fields.Float("Potential",
            digits=(16, 2)))
    crmtier_why = _result_field(fields.Text("Why"), False)
    crmtier_feedback = _result_field(fields.Text("Feedback Questions"),
        False)
    crmtier_profile = _result_field(fields.Text("Profile"), False)
    crmtier_result = _result_field(fields.Text("Result",
            help="The result as libcrmtier returned it (JSON)."), False)
    crmtier_pending = _result_field(fields.Boolean("Pending",
            help="A change to this party is being scored."), False)
    crmtier_status = _result_field(fields.Text("Status"), False)

    order_crmtier_tier = _order('tier')
    order_crmtier_temperature = _order('temperature')
    order_crmtier_colour = _order('colour')
    order_crmtier_colour_hex = _order('colour_hex')
    order_crmtier_escalate = _order('escalate')
    order_crmtier_next_contact = _order('next_contact')
    order_crmtier_channel = _order('channel')
    order_crmtier_overdue_days = _order('overdue_days')
    order_crmtier_declining = _order('declining')
    order_crmtier_decline_pct = _order('decline_pct')
    order_crmtier_annual_revenue = _order('annual_revenue')
    order_crmtier_potential = _order('potential')

    @classmethod
    def view_attributes(cls):
        # Tier D rows are muted; the colour and the escalation have their
        # own icons (an escalated party is blue, never painted red).
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('crmtier_tier') == 'D', 'muted', '')),
            ('//page[@id="crmtier"]//group[@id="crmtier_feedback"]',
                'states', {'invisible': ~Eval('crmtier_declining')}),
            ('//page[@id="crmtier"]//group[@id="crmtier_escalation"]',
                'states', {'invisible': ~Eval('crmtier_escalate')}),
            ('//page[@id="crmtier"]//group[@id="crmtier_profile"]',
                'states', {'invisible': ~Eval('crmtier_profile')}),
            ('//page[@id="crmtier"]//group[@id="crmtier_status"]',
                'states', {'invisible': ~Eval('crmtier_status')}),
            ]

    # ------------------------------------------------------------- reading
    @classmethod
    def get_crmtier(cls, parties, names):
        ids = [p.id for p in parties]
        values = {n: {i: None for i in ids} for n in names}
        for name in names:
            if name in ('crmtier_escalate', 'crmtier_declining',
                    'crmtier_pending'):
                values[name] = {i: False for i in ids}
        columns = sorted({STORED[n] for n in names if n in STORED})
        stored = results.read(ids, ('result', 'error') + tuple(columns))
        for party_id, row in stored.items():
            for name in names:
                if name in STORED:
                    value = row[STORED[name]]
                    if STORED[name] in BOOLEANS:
                        value = bool(value)
                    values[name][party_id] = value
            parsed = None
            if any(n in names for n in ('crmtier_why', 'crmtier_feedback',
                        'crmtier_profile', 'crmtier_escalation',
                        'crmtier_colour_icon', 'crmtier_escalate_icon',
                        'crmtier_escalated')):
                parsed = json.loads(row['result']) if row['result'] else {}
            if 'crmtier_result' in names:
                values['crmtier_result'][party_id] = row['result']
            if parsed is None:
                continue
            for name, render in (
                    ('crmtier_why', explain.why),
                    ('crmtier_feedback', explain.feedback),
                    ('crmtier_profile', explain.profile_note),
                    ('crmtier_escalation', explain.escalation)):
                if name in names:
                    values[name][party_id] = render(parsed) or None
            if 'crmtier_colour_icon' in names and parsed.get('colour'):
                values['crmtier_colour_icon'][party_id] = (
                    'crmtier-%s' % parsed['colour'])
            if parsed.get('escalate'):
                if 'crmtier_escalate_icon' in names:
                    values['crmtier_escalate_icon'][party_id] = (
                        'crmtier-escalate')
                if 'crmtier_escalated' in names:
                    values['crmtier_escalated'][party_id] = "Escalated"
        if 'crmtier_pending' in names or 'crmtier_status' in names:
            pending = changes.pending_parties(ids)
            if 'crmtier_pending' in names:
                for party_id in pending:
                    values['crmtier_pending'][party_id] = True
            if 'crmtier_status' in names:
                overall = overall_status()
                for party_id in ids:
                    row = stored.get(party_id) or {}
                    values['crmtier_status'][party_id] = status_text(
                        party_id in pending, row.get('error'), overall)
        return values

    @classmethod
    def search_crmtier(cls, name, clause):
        column_name = STORED[name]
        table = Pool().get('crmtier.result').__table__()
        column = Column(table, column_name)
        _, operator, value = clause[:3]
        if column_name in BOOLEANS and operator in ('=', '!='):
            wanted = bool(value) if operator == '=' else not bool(value)
            query = table.select(table.id, where=column == True)  # noqa: E712
            return [('id', 'in' if wanted else 'not in', query)]
        if value is None and operator in ('=', '!='):
            query = table.select(table.id, where=column != Null)
            return [('id', 'not in' if operator == '=' else 'in', query)]
        if operator in ('!=', 'not in', 'not like', 'not ilike'):
            positive = {'!=': '=', 'not in': 'in', 'not like': 'like',
                'not ilike': 'ilike'}[operator]
            query = table.select(table.id,
                where=SQL_OPERATORS[positive](column, value))
            return [('id', 'not in', query)]
        if operator in ('in',) and not value:
            return [('id', '=', -1)]
        query = table.select(table.id,
            where=SQL_OPERATORS[operator](column, value))
        return [('id', 'in', query)]

    # ------------------------------------------------------------- logging
    @classmethod
    def create(cls, vlist):
        parties = super().create(vlist)
        changes.log(changes.PARTY, parties=[p.id for p in parties])
        return parties

    @classmethod
    def write(cls, *args):
        super().write(*args)
        ids = {p.id for p in sum(args[::2], [])}
        changes.log(changes.PARTY, parties=sorted(ids))

    @classmethod
    def delete(cls, parties):
        ids = [p.id for p in parties]
        super().delete(parties)
        changes.log(changes.PARTY, parties=ids)

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('crmtier_last_contact', None)
        return super().copy(parties, default=default)


def overall_status():
    """(state, message, remaining, quiet) from the refreshers' status rows:
    quiet when no refresh has been seen for a while."""
    now = datetime.datetime.utcnow()
    rows = results.statuses(now - datetime.timedelta(days=1))
    if not rows:
        return None, None, 0, True
    token, state, message, remaining, seen = rows[0]
    quiet = seen < now - QUIET
    busy = [r for r in rows if r[1] in ('refreshing', 'building')
        and r[4] >= now - QUIET]
    if state != 'stale' and busy:
        return busy[0][1], None, max(r[3] or 0 for r in busy), quiet
    return state, message, remaining or 0, quiet


def status_text(pending, error, overall):
    "What the Status field says about one party, in words."
    state, message, remaining, quiet = overall
    lines = []
    if error:
        lines.append("Not scored: the crmtier library refused this party's "
            "data: %s" % error)
    if state == 'stale':
        lines.append(("Stale: %s" if pending else
                "The results may be stale: %s") % message)
    elif pending:
        lines.append("Pending: the latest change to this party is being "
            "scored; reload in a moment.")
    if state == 'building':
        lines.append("Refreshing: the crmtier engine is being built from "
            "the database; results follow.")
    elif state == 'refreshing' and remaining:
        lines.append("Refreshing: %d parties are being updated in the "
            "background (a new day, a new benchmark or a new policy)."
            % remaining)
    if pending and state is None:
        lines.append("No crmtier refresh has run yet: is trytond-worker "
            "(with [queue] worker = True) or trytond-cron running?")
    elif pending and quiet:
        lines.append("No crmtier refresh has run for %d minutes: is "
            "trytond-worker (with [queue] worker = True) or trytond-cron "
            "running?" % (QUIET.total_seconds() // 60))
    return '\n'.join(lines) or None


class Address(metaclass=PoolMeta):
    "An address gives its party's territory (records.choose_territory)."
    __name__ = 'party.address'

    @classmethod
    def create(cls, vlist):
        addresses = super().create(vlist)
        changes.log(changes.PARTY,
            parties=sorted({a.party.id for a in addresses if a.party}))
        return addresses

    @classmethod
    def write(cls, *args):
        addresses = sum(args[::2], [])
        before = {a.party.id for a in addresses if a.party}
        super().write(*args)
        after = {a.party.id for a in cls.browse(addresses) if a.party}
        changes.log(changes.PARTY, parties=sorted(before | after))

    @classmethod
    def delete(cls, addresses):
        parties = sorted({a.party.id for a in addresses if a.party})
        super().delete(addresses)
        changes.log(changes.PARTY, parties=parties)


class Category(metaclass=PoolMeta):
    "A category under \"Industry\" gives its parties' industry."
    __name__ = 'party.category'

    @classmethod
    def _crmtier_parties(cls, categories):
        pool = Pool()
        Relation = pool.get('party.party-party.category')
        with Transaction().set_context(active_test=False):
            tree = cls.search([('parent', 'child_of',
                        [c.id for c in categories])])
            relations = Relation.search([('category', 'in',
                        [c.id for c in tree])])
        return sorted({r.party.id for r in relations})

    @classmethod
    def write(cls, *args):
        touched = []
        for categories, values in zip(args[::2], args[1::2]):
            if {'name', 'parent', 'active'} & set(values):
                touched.extend(categories)
        before = cls._crmtier_parties(touched) if touched else []
        super().write(*args)
        if touched:
            changes.log(changes.PARTY, parties=sorted(
                    set(before) | set(cls._crmtier_parties(touched))))

    @classmethod
    def delete(cls, categories):
        parties = cls._crmtier_parties(categories)
        super().delete(categories)
        changes.log(changes.PARTY, parties=parties)
