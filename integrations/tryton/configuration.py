# The policy (the engine configuration JSON) as an administrator edits it,
# and the "rescore all parties" button.
import json

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool

from .binding import crmtier
from . import scoring

__all__ = ['Configuration']


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "crmtier Configuration"
    __name__ = 'crmtier.configuration'

    policy = fields.Text("Policy", required=True,
        help="The crmtier configuration (JSON), applied on the next save: "
        "benchmark, tiers, profile, cadence... \"{}\" uses every default.")

    # Grows by one with every save any trytond process sends to its engine:
    # a process whose engine saw a different value rebuilds it from the
    # database, so several processes (server workers, cron) stay in step.
    generation = fields.Integer("Generation", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'rescore_all': {},
                })

    @staticmethod
    def default_generation():
        return 0

    @staticmethod
    def default_policy():
        return '{}'

    @classmethod
    def validate(cls, configurations):
        super().validate(configurations)
        for configuration in configurations:
            configuration.check_policy()

    def check_policy(self):
        try:
            if not isinstance(json.loads(self.policy or '{}'), dict):
                raise ValueError('not a JSON object')
            scoring.check_policy(self.policy)
        except (ValueError, crmtier.CrmtierError) as exception:
            raise UserError(gettext('crmtier.msg_invalid_policy',
                    error=str(exception)))

    @classmethod
    @ModelView.button
    def rescore_all(cls, configurations):
        Pool().get('party.party').crmtier_rescore_all()
