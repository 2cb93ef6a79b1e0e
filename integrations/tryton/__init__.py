# crmtier for Tryton 6.0: tiers, temperature colours and next contacts on
# every party, computed by libcrmtier on save. See docs/tryton.md.
from trytond.pool import Pool

from . import configuration, ir, party, sale


def register():
    Pool.register(
        configuration.Configuration,
        ir.Cron,
        party.Party,
        party.Address,
        sale.Sale,
        module='crmtier', type_='model')
