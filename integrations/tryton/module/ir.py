# The scheduled action: a refresh every few minutes (the day rolls over at
# midnight in the company's time zone even when nobody saves, and it catches
# up whatever a missing worker or library left pending), and the pruning of
# the change log.
from trytond.pool import PoolMeta

__all__ = ['Cron']


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('crmtier.configuration|crmtier_cron',
                "Refresh crmtier Results"))
