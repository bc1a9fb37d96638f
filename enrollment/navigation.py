"""The registry app's entries in the side navigation (see ``portal/navigation.py``)."""
from django.utils.translation import gettext_lazy as _

from .models.accounts import BUREAU_ROLES, PERSONAL_DATA_ROLES, Role
from .portal.navigation import TOOLS, NavItem

ITEMS = [
    NavItem(_("Home"), "home", tuple(Role.values), group=""),
    NavItem(_("Persons"), "persons", PERSONAL_DATA_ROLES),
    NavItem(_("Imports"), "imports", (*BUREAU_ROLES, Role.SCHOOL, Role.HEALTH)),
    NavItem(_("Comparison"), "comparison", BUREAU_ROLES),
    NavItem(_("Uninsured reasons"), "cases", BUREAU_ROLES),
    NavItem(_("Referrals"), "referrals", BUREAU_ROLES),
    NavItem(_("School transfers"), "transfers", (Role.COUNTY,)),
    NavItem(_("Change requests"), "changes", BUREAU_ROLES),
    NavItem(_("Newborns of maternity claims"), "maternity", BUREAU_ROLES),
    NavItem(_("Withholding follow-up"), "withholding", BUREAU_ROLES),
    NavItem(_("Benefit calculator"), "benefits:calculator", BUREAU_ROLES, group=TOOLS),
    NavItem(_("Audit log"), "audit_log", BUREAU_ROLES, group=TOOLS),
]

