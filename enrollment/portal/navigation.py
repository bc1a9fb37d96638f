"""The side navigation, per role, in groups. Each app lists its entries in its own
``navigation.py`` as ``ITEMS``; this context processor shows a user the entries of its role,
grouped under the heading of their module (``MODULE_GROUPS``) unless an entry names its own."""
from dataclasses import dataclass
from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

MODULE_GROUPS = {
    "enrollment.navigation": _("Registry"),
    "outreach.navigation": _("Outreach"),
    "reporting.navigation": _("Reporting"),
}
TOOLS = _("Tools")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple
    group: str = None
    badge: str = None  # dotted path of a function(user) -> int shown beside the label when > 0


def _all_items():
    """(group, item) pairs in display order: the module groups, then the tools."""
    pairs = []
    for name, group in MODULE_GROUPS.items():
        try:
            items = import_module(name).ITEMS
        except ModuleNotFoundError:
            continue
        pairs.extend((group if item.group is None else item.group, item) for item in items)
    return [pair for pair in pairs if pair[0] != TOOLS] + [pair for pair in pairs if pair[0] == TOOLS]


def navigation(request):
    """``nav_groups``: [{"label", "items": [{"label", "url", "active", "badge"}]}] for the
    user's role."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.role):
        return {"nav_groups": []}
    groups = {}
    for group, item in _all_items():
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url or (url != "/" and request.path.startswith(url))
        badge = import_string(item.badge)(user) if item.badge else 0
        groups.setdefault(group, []).append(
            {"label": item.label, "url": url, "active": active, "badge": badge}
        )
    return {"nav_groups": [{"label": label, "items": items} for label, items in groups.items()]}

