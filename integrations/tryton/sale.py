# Sale: every state transition that adds a sale to the party's revenue
# (confirmed, processing, done) or takes it away (draft, cancelled) rescores
# the party. `process` moves sales through `proceed` and `do`, so hooking the
# transitions catches it too.
from trytond.pool import PoolMeta
from trytond.transaction import Transaction

from . import scoring

__all__ = ['Sale']


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    def _crmtier_rescore(cls, sales):
        if not sales:
            return
        with Transaction().set_context(_check_access=False):
            # Re-read: the transition changed state and sale date.
            sales = cls.browse([s.id for s in sales])
            scoring.rescore(sales=sales)

    @classmethod
    def confirm(cls, sales):
        super().confirm(sales)
        cls._crmtier_rescore(sales)

    @classmethod
    def proceed(cls, sales):
        super().proceed(sales)
        cls._crmtier_rescore(sales)

    @classmethod
    def do(cls, sales):
        super().do(sales)
        cls._crmtier_rescore(sales)

    @classmethod
    def draft(cls, sales):
        super().draft(sales)
        cls._crmtier_rescore(sales)

    @classmethod
    def cancel(cls, sales):
        super().cancel(sales)
        cls._crmtier_rescore(sales)
