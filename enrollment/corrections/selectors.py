"""Reads of change requests, always through the scoping rule (``access.rules``)."""
from ..access.scoping import visible_to
from ..models import ChangeRequest, ChangeStatus, Guardian, Role
from . import fields as f


def change_requests(user):
    return visible_to(ChangeRequest, user).select_related("person", "proposed_by", "decided_by", "organisation")


def pending(user):
    return change_requests(user).filter(status=ChangeStatus.PENDING).order_by("proposed_at", "pk")


def of_person(user, person):
    return change_requests(user).filter(person=person).order_by("-proposed_at")


def guardians_for(user, person):
    """The guardians a user may propose changes to: the county's for county staff, the
    partner's own for a partner."""
    if user.role == Role.COUNTY:
        return list(Guardian.objects.filter(person=person, organisation__isnull=True))
    return list(Guardian.objects.filter(person=person, organisation_id=user.organisation_id))


def described(changes):
    """Each request with ``lines``: (what, old, new) as the history shows them."""
    for change in changes:
        change.lines = [(f.label(i["target"], i["field"]), f.shown(i["target"], i["field"], i["old"]),
                         f.shown(i["target"], i["field"], i["new"])) for i in change.items]
    return changes
