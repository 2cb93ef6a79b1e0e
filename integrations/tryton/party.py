# Party: the profile fields the module adds, the result fields the library
# fills in, and the on-save hooks (party and address).
from trytond.model import fields
from trytond.rpc import RPC
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from . import records, scoring

__all__ = ['Party', 'Address']

TIERS = [(None, ''), ('A', 'A'), ('B', 'B'), ('C', 'C'), ('D', 'D')]
COLOURS = [(None, ''), ('red', 'Red'), ('orange', 'Orange'),
    ('yellow', 'Yellow'), ('lightblue', 'Light blue'), ('blue', 'Blue'),
    ('grey', 'Grey')]
CHANNELS = [(None, ''), ('call_or_visit', 'Call or visit'), ('call', 'Call'),
    ('email', 'E-mail')]


def _writing():
    return Transaction().context.get('crmtier_writing')


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    employees = fields.Integer("Employees",
        domain=[If(Eval('employees'), ('employees', '>=', 0), ())],
        depends=['employees'],
        help="Head count, used for the size band of the crmtier profile.")
    crmtier_last_contact = fields.Date("Last Contact",
        help="The last contact with this party: the next contact is due "
        "one interval of its tier later.")
    crmtier_tier = fields.Selection(TIERS, "Tier", readonly=True)
    crmtier_temperature = fields.Integer("Temperature", readonly=True,
        help="0-100: how much of its potential the party realises.")
    crmtier_colour = fields.Selection(COLOURS, "Colour", readonly=True)
    crmtier_colour_hex = fields.Char("Colour Code", readonly=True)
    crmtier_colour_icon = fields.Function(fields.Char("Colour Icon"),
        'get_crmtier_colour_icon')
    crmtier_next_contact = fields.Date("Next Contact", readonly=True)
    crmtier_channel = fields.Selection(CHANNELS, "Channel", readonly=True)
    crmtier_overdue_days = fields.Integer("Overdue Days", readonly=True)
    crmtier_declining = fields.Boolean("Declining", readonly=True)
    crmtier_escalate = fields.Boolean("Escalate", readonly=True,
        help="A high-potential party running cold: rep and manager, "
        "rethink the approach.")
    crmtier_why = fields.Function(fields.Text("Why"), 'get_crmtier_why')
    crmtier_reasons = fields.Text("Reasons", readonly=True,
        help="Why: the machine-readable reasons of the result (JSON).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__rpc__.update({
                'crmtier_rescore_all': RPC(readonly=False),
                })

    @classmethod
    def view_attributes(cls):
        # The row turns red ("danger") for an escalated (blue A) party and
        # grey for tier D; the colour column shows the true colour as an icon.
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('crmtier_escalate', False), 'danger',
                    If(Eval('crmtier_tier') == 'D', 'muted', ''))),
            ]

    def get_crmtier_colour_icon(self, name):
        if self.crmtier_colour:
            return 'crmtier-%s' % self.crmtier_colour
        return None

    def get_crmtier_why(self, name):
        return records.why(self.crmtier_reasons) or None

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        for name in records.RESULT_FIELDS:
            default.setdefault(name, None)
        return super().copy(parties, default=default)

    @classmethod
    def create(cls, vlist):
        if not _writing():
            vlist = [cls._strip_results(v) for v in vlist]
        # Addresses created with the party: rescored once, below.
        with Transaction().set_context(crmtier_party_saving=True):
            parties = super().create(vlist)
        if not _writing():
            scoring.rescore(parties=cls.browse(parties))
        return parties

    @classmethod
    def write(cls, *args):
        if _writing():
            return super().write(*args)
        actions = iter(args)
        args, all_parties = [], []
        for parties, values in zip(actions, actions):
            values = cls._strip_results(values)
            if values:
                args.extend((parties, values))
                all_parties.extend(parties)
        if not args:
            return
        with Transaction().set_context(crmtier_party_saving=True):
            super().write(*args)
        scoring.rescore(parties=cls.browse([p.id for p in all_parties]))

    @classmethod
    def delete(cls, parties):
        ids = [p.id for p in parties]
        super().delete(parties)
        if not _writing():
            deleted = [{'__model__': 'party.party', 'id': i, 'active': False}
                for i in ids]
            scoring.forget(deleted)

    @staticmethod
    def _strip_results(values):
        "Result fields are the library's: users never write them."
        return {k: v for k, v in values.items()
            if k not in records.RESULT_FIELDS}

    @classmethod
    def crmtier_rescore_all(cls):
        "Rebuild the engine from the database and refresh every party."
        return scoring.rebuild()


class Address(metaclass=PoolMeta):
    "The first address gives the party's territory."
    __name__ = 'party.address'

    @classmethod
    def create(cls, vlist):
        addresses = super().create(vlist)
        cls._crmtier_rescore(addresses)
        return addresses

    @classmethod
    def write(cls, *args):
        parties = {a.party.id for a in sum(args[::2], []) if a.party}
        super().write(*args)
        Party = Pool().get('party.party')
        cls._crmtier_rescore(cls.browse(sum(args[::2], [])),
            Party.browse(list(parties)))

    @classmethod
    def delete(cls, addresses):
        parties = [a.party.id for a in addresses if a.party]
        super().delete(addresses)
        Party = Pool().get('party.party')
        cls._crmtier_rescore([], Party.browse(parties))

    @classmethod
    def _crmtier_rescore(cls, addresses, parties=()):
        context = Transaction().context
        if _writing() or context.get('crmtier_party_saving'):
            return
        ids = {a.party.id for a in addresses if a.party}
        ids.update(p.id for p in parties)
        if ids:
            Party = Pool().get('party.party')
            with Transaction().set_context(_check_access=False):
                scoring.rescore(parties=Party.browse(sorted(ids)))
