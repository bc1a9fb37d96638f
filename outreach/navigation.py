from django.utils.translation import gettext_lazy as _

from enrollment.models.accounts import BUREAU_ROLES, Role
from enrollment.navigation import NavItem

ALL_ROLES = tuple(Role.values)

ITEMS = [
    NavItem(_("Uninsured children"), "outreach_cases", BUREAU_ROLES),
    NavItem(_("Outreach tasks"), "outreach_tasks", ALL_ROLES),
    NavItem(_("Outreach progress"), "outreach_progress", BUREAU_ROLES),
    NavItem(_("Newborns"), "outreach_newborns", (Role.CITY, Role.COUNTY, Role.HEALTH)),
    NavItem(_("Notices"), "outreach_notices", (Role.COUNTY, Role.SCHOOL)),
    NavItem(_("Notifications"), "outreach_notifications", ALL_ROLES, badge="outreach.selectors.unread_count"),
]
