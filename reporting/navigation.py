from django.utils.translation import gettext_lazy as _

from enrollment.models.accounts import BUREAU_ROLES
from enrollment.portal.navigation import NavItem

ITEMS = [
    NavItem(_("Dispatch table"), "reporting_dispatch", BUREAU_ROLES),
    NavItem(_("Reporting periods"), "reporting_periods", BUREAU_ROLES),
    NavItem(_("Dashboard"), "reporting_dashboard", BUREAU_ROLES),
    NavItem(_("Subsidised enrollment"), "reporting_subsidy", BUREAU_ROLES),
]
