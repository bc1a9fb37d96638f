"""The navigation bar, per role. Each app lists its entries in its own ``navigation.py`` as
``ITEMS``; this context processor shows a user the entries of its role."""
from dataclasses import dataclass
from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models.accounts import BUREAU_ROLES, Role

NAVIGATION_MODULES = ("enrollment.navigation", "outreach.navigation", "reporting.navigation")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple


ITEMS = [
    NavItem(_("Home"), "home", tuple(Role.values)),
    NavItem(_("Persons"), "persons", tuple(Role.values)),
    NavItem(_("Imports"), "imports", (*BUREAU_ROLES, Role.SCHOOL, Role.HEALTH)),
    NavItem(_("Comparison"), "comparison", BUREAU_ROLES),
    NavItem(_("Uninsured reasons"), "cases", BUREAU_ROLES),
    NavItem(_("Audit log"), "audit_log", BUREAU_ROLES),
]


def _all_items():
    items = []
    for name in NAVIGATION_MODULES:
        try:
            items.extend(import_module(name).ITEMS)
        except ModuleNotFoundError:
            continue
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.role):
        return {"nav_items": []}
    entries = []
    for item in _all_items():
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url or (url != "/" and request.path.startswith(url))
        entries.append({"label": item.label, "url": url, "active": active})
    return {"nav_items": entries}
