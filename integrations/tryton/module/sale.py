# Sale: log the sales whose counting may have changed (a confirmation, a
# reset to draft, a cancellation, a write of a counted sale), and give a
# party without a sales rep the employee who quoted (else confirmed) its
# sale. A confirmed sale with Tryton's default processing is "done" at once
# and can no longer be reset or cancelled: the documented way to take
# revenue back is a return sale (docs/tryton.md, "A sale that stops
# counting"), which is confirmed like any sale with a negative amount.
from trytond.pool import Pool, PoolMeta

from . import changes
from .records import COUNTED_SALE_STATES

__all__ = ['Sale']

_READ = {'party', 'sale_date', 'untaxed_amount_cache', 'lines'}


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    def _crmtier_log(cls, sales):
        changes.log(changes.SALE, sales=[
                (s.id, s.party.id if s.party else None) for s in sales])

    @classmethod
    def confirm(cls, sales):
        super().confirm(sales)
        cls._crmtier_log(sales)
        cls._crmtier_set_reps(sales)

    @classmethod
    def draft(cls, sales):
        super().draft(sales)
        cls._crmtier_log(sales)

    @classmethod
    def cancel(cls, sales):
        super().cancel(sales)
        cls._crmtier_log(sales)

    @classmethod
    def write(cls, *args):
        # What the engine reads of a sale: its party, date, amount, and
        # whether its state counts (moving between counted states, as
        # processing does, changes nothing).
        touched = []
        for sales, values in zip(args[::2], args[1::2]):
            for sale in sales:
                counted = sale.state in COUNTED_SALE_STATES
                if 'state' in values and (
                        (values['state'] in COUNTED_SALE_STATES) != counted):
                    touched.append(sale)
                elif counted and _READ & set(values):
                    touched.append(sale)
        super().write(*args)
        if touched:
            cls._crmtier_log(cls.browse(touched))

    @classmethod
    def delete(cls, sales):
        counted = [(s.id, s.party.id if s.party else None) for s in sales
            if s.state in COUNTED_SALE_STATES]
        super().delete(sales)
        if counted:
            changes.log(changes.SALE, sales=counted)

    @classmethod
    def _crmtier_set_reps(cls, sales):
        "The party's rep, when it has none: who quoted, else who confirmed."
        Party = Pool().get('party.party')
        by_employee = {}
        for sale in cls.browse(sales):
            employee = sale.quoted_by or sale.confirmed_by
            if sale.party and employee and not sale.party.crmtier_rep:
                by_employee.setdefault(employee.id, set()).add(sale.party.id)
        args = []
        for employee, parties in sorted(by_employee.items()):
            args.extend((Party.browse(sorted(parties)),
                    {'crmtier_rep': employee}))
        if args:
            Party.write(*args)
