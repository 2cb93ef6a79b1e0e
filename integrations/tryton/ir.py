# A daily scheduled rescore: the as-of date moves every day, and with it
# overdue days and the revenue windows, even when nobody saves anything.
from trytond.pool import PoolMeta

__all__ = ['Cron']


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('party.party|crmtier_rescore_all', "Rescore Parties (crmtier)"))
