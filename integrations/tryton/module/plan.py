# The sales plan page (docs/report.md) in Tryton: Party > Sales Plan >
# "Sales Plan" (every rep's) and "My Sales Plan" (the user's employee's
# parties), and Print on the party list. The library renders the page from
# this process's engine; nothing here decides a tier, a colour or a date.
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction

import crmtier

from . import records, refresh


class SalesPlan(Report):
    "Sales Plan"
    __name__ = 'crmtier.sales_plan'

    @classmethod
    def options(cls):
        "The report options (crmtier_engine_report) of this page."
        options = {'title': gettext('crmtier.msg_plan_title')}
        # The page's labels are built in for English and Russian.
        language = (Transaction().language or 'en').split('_')[0]
        if language == 'ru':
            options['lang'] = 'ru'
        return options

    @classmethod
    def execute(cls, ids, data):
        cls.check_access()
        options = cls.options()
        try:
            html = refresh.page(options)
        except refresh.Unavailable as error:
            raise UserError(gettext('crmtier.msg_plan_unavailable',
                    error=error.message))
        except crmtier.NotFoundError:
            raise UserError(gettext('crmtier.msg_plan_no_party'))
        return ('html', html, False, options['title'])


class MySalesPlan(SalesPlan):
    "My Sales Plan"
    __name__ = 'crmtier.sales_plan.mine'

    @classmethod
    def options(cls):
        User = Pool().get('res.user')
        user = User(Transaction().user)
        if not user.employee:
            raise UserError(gettext('crmtier.msg_plan_no_employee'))
        options = super().options()
        options['owner'] = records.owner_of(user.employee.id)
        options['title'] = gettext('crmtier.msg_plan_title_of',
            rep=user.employee.rec_name)
        return options
