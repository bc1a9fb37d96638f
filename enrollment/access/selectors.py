"""Reads of the access subject: the audit trail and the areas a user may choose among."""
from ..models import AccessEvent, Area
from .scoping import visible_to


def access_events(user):
    return visible_to(AccessEvent, user).select_related("user__organisation", "user__area", "county", "person")


def counties_of(user):
    """The counties a bureau user may choose among (a county user: just its own)."""
    return visible_to(Area, user).filter(level="county")


def area_names(codes):
    """{code: name} of the divisions among ``codes`` (public reference data, not scoped)."""
    return dict(Area.objects.filter(pk__in=[code for code in codes if code]).values_list("pk", "name"))

