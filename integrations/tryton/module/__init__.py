# crmtier for Tryton 6.0: tier, temperature colour and next contact of every
# party, scored by libcrmtier outside users' transactions. See docs/tryton.md.
from trytond.pool import Pool

from . import changes, configuration, ir, party, plan, results, sale


def register():
    Pool.register(
        changes.Change,
        results.Result,
        results.Refresher,
        configuration.Configuration,
        ir.Cron,
        party.Party,
        party.Address,
        party.Category,
        sale.Sale,
        module='crmtier', type_='model')
    Pool.register(
        plan.SalesPlan,
        plan.MySalesPlan,
        module='crmtier', type_='report')
