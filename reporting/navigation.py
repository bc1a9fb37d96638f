from django.utils.translation import gettext_lazy as _

from enrollment.models.accounts import BUREAU_ROLES, FIGURE_ROLES
from enrollment.portal.navigation import NavItem

ITEMS = [
    NavItem(_("Dispatch table"), "reporting_dispatch", FIGURE_ROLES),
    NavItem(_("Reporting periods"), "reporting_periods", FIGURE_ROLES),
    NavItem(_("Dashboard"), "reporting_dashboard", FIGURE_ROLES),
    NavItem(_("Subsidised enrollment"), "reporting_subsidy", BUREAU_ROLES),
]
