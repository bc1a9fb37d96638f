from django.utils.translation import gettext_lazy as _

from enrollment.models.accounts import BUREAU_ROLES
from enrollment.portal.navigation import NavItem

from .roles import ALL_ROLES, NEWBORN_ROLES, PRINTING_ROLES

ITEMS = [
    NavItem(_("Uninsured children"), "outreach_cases", BUREAU_ROLES),
    NavItem(_("Outreach tasks"), "outreach_tasks", ALL_ROLES),
    NavItem(_("Outreach progress"), "outreach_progress", BUREAU_ROLES),
    NavItem(_("Newborns"), "outreach_newborns", NEWBORN_ROLES),
    NavItem(_("Notices"), "outreach_notices", PRINTING_ROLES),
    NavItem(_("Renewal worklist"), "outreach_renewals", BUREAU_ROLES),
    NavItem(_("Messages to guardians"), "outreach_messages", BUREAU_ROLES),
    NavItem(_("Sampled call-backs"), "outreach_callbacks", BUREAU_ROLES),
    NavItem(_("Notifications"), "outreach_notifications", ALL_ROLES, badge="outreach.selectors.unread_count"),
]
