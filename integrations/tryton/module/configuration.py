# The policy (the engine configuration JSON) as an administrator edits it,
# the "Rescore All Parties" button, the queue task that runs a refresh and
# the scheduled action.
import datetime
import json

from trytond.config import config
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.transaction import Transaction

import crmtier

from . import changes, refresh, results

__all__ = ['Configuration']


def keep_days():
    "How long the change log keeps its rows ([crmtier] keep_days)."
    return config.getint('crmtier', 'keep_days', default=7)


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "crmtier Configuration"
    __name__ = 'crmtier.configuration'

    policy = fields.Text("Policy", required=True,
        help="The crmtier configuration (JSON): benchmark, tiers, profile, "
        "cadence... \"{}\" uses every default (docs/configuration.md). "
        "Applied to every party in the background once saved.")
    pruned_before = fields.Timestamp("Change Log Pruned Before",
        readonly=True)
    status = fields.Function(fields.Text("Status"), 'get_status')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'rescore_all': {},
                })

    @staticmethod
    def default_policy():
        return '{}'

    @classmethod
    def get_status(cls, configurations, name):
        from .party import overall_status
        state, message, remaining, quiet = overall_status()
        if state is None:
            text = ("No crmtier refresh has run yet: start trytond-worker "
                "(with [queue] worker = True) or trytond-cron.")
        elif state == 'stale':
            text = "Stale: %s" % message
        elif state == 'building':
            text = "Building the engine from the database."
        elif state == 'refreshing':
            text = "Refreshing: %d parties left." % remaining
        else:
            text = "Up to date."
        if quiet and state is not None:
            text += (" No refresh seen for 15 minutes: is trytond-worker or "
                "trytond-cron running?")
        return {c.id: text for c in configurations}

    @classmethod
    def validate(cls, configurations):
        super().validate(configurations)
        for configuration in configurations:
            configuration.check_policy()

    def check_policy(self):
        try:
            policy = json.loads(self.policy or '{}')
        except ValueError as error:
            raise UserError(gettext('crmtier.msg_invalid_policy',
                    error="not JSON: %s" % error))
        if not isinstance(policy, dict):
            raise UserError(gettext('crmtier.msg_invalid_policy',
                    error="not a JSON object"))
        try:
            refresh.check_policy(self.policy)
        except crmtier.CrmtierError as error:
            raise UserError(gettext('crmtier.msg_invalid_policy',
                    error=refresh.error_text(error)))
        except refresh.Unavailable as error:
            raise UserError(gettext('crmtier.msg_policy_unchecked',
                    error=error.message))

    @classmethod
    def create(cls, vlist):
        configurations = super().create(vlist)
        changes.log(changes.REBUILD)
        return configurations

    @classmethod
    def write(cls, *args):
        super().write(*args)
        if any('policy' in values for values in args[1::2]):
            changes.log(changes.REBUILD)

    @classmethod
    @ModelView.button
    def rescore_all(cls, configurations):
        """Every process rebuilds its engine from the database, in the
        background."""
        changes.log(changes.REBUILD)

    # ------------------------------------------------------- queue and cron
    @classmethod
    def enqueue_refresh(cls):
        "A refresh after this transaction commits (Tryton's queue)."
        with Transaction().set_context(queue_name='crmtier'):
            cls.__queue__.crmtier_refresh([cls(1)])

    @classmethod
    def crmtier_refresh(cls, configurations=None):
        """The queue task: refresh, committing batch by batch. With a worker,
        a task that finds another crmtier task still waiting in the queue
        returns at once: that one starts later, so it sees at least as much
        (a burst of saves costs one refresh, not one each)."""
        if (config.getboolean('queue', 'worker', default=False)
                and refresh.task_waiting()):
            return
        refresh.refresh(commit=True)

    @classmethod
    def crmtier_cron(cls):
        """Every few minutes: a refresh (queued when a worker runs, here
        otherwise), and once a day the pruning of the change log."""
        if config.getboolean('queue', 'worker', default=False):
            cls.enqueue_refresh()
        else:
            refresh.refresh(commit=True)
        cls._prune()

    @classmethod
    def _prune(cls):
        now = datetime.datetime.utcnow()
        configuration = cls(1)
        days = datetime.timedelta(days=keep_days())
        if (configuration.pruned_before
                and configuration.pruned_before > now - days
                - datetime.timedelta(days=1)):
            return
        cutoff = now - days
        changes.prune(cutoff)
        results.forget_statuses(now - datetime.timedelta(days=1))
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.pruned_before], [cutoff]))
