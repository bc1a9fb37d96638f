"""Scoping rules of the registry app's models (see ``scoping.py``)."""
from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from ..models import (
    AccessEvent,
    Area,
    ComparisonRun,
    EnrollmentRecord,
    ExportJob,
    ImportBatch,
    ListEntry,
    Organisation,
    Person,
    Role,
    UninsuredCase,
)
from . import scoping

scoping.register(ImportBatch)(scoping.by_area("county", "organisation"))
scoping.register(ComparisonRun)(scoping.by_area("county"))


@scoping.register(Area)
def area_rule(user):
    if user.role == Role.CITY:
        return Q(pk=user.area_id) | Q(parent_id=user.area_id)
    return Q(pk=user.area_id)


@scoping.register(Organisation)
def organisation_rule(user):
    if user.is_bureau:
        return scoping.by_area("county")(user)
    return Q(pk=user.organisation_id) if user.organisation_id else None


def _partner_list_entries(user):
    org = user.organisation_id
    return ListEntry.objects.filter(Q(organisation_id=org) | Q(batch__organisation_id=org))


@scoping.register(ListEntry)
def list_entry_rule(user):
    if user.is_bureau:
        return scoping.by_area("county")(user)
    if not user.organisation_id:
        return None
    return Q(pk__in=_partner_list_entries(user).values("pk"), county_id=user.area_id)


def partner_person_condition(user, prefix=""):
    """Persons a partner works with: its own students, people on the lists it uploaded or is
    named on, and people in the outreach tasks assigned to it. ``prefix`` leads from the
    queried model to the person (``"person__"`` for enrollment records, cases...)."""
    org = user.organisation_id
    if not org:
        return None
    person_ref = OuterRef(f"{prefix}pk" if not prefix else f"{prefix[:-2]}_id")
    condition = Exists(_partner_list_entries(user).filter(person_id=person_ref))
    if user.role == Role.SCHOOL:
        condition = Q(**{f"{prefix}school_id": org}) | condition
    task_model = apps.all_models["outreach"].get("outreachtask")
    if task_model is not None:
        condition = condition | Exists(
            task_model.objects.filter(person_id=person_ref, assignee_id=org)
        )
    return Q(condition, **{f"{prefix}county_id": user.area_id})


@scoping.register(Person)
def person_rule(user):
    if user.is_bureau:
        condition = scoping.by_area("county")(user)
    else:
        condition = partner_person_condition(user)
    return None if condition is None else condition & Q(merged_into__isnull=True)


def _through_person(user):
    if user.is_bureau:
        return scoping.by_area("person__county")(user)
    return partner_person_condition(user, "person__")


scoping.register(EnrollmentRecord)(_through_person)
scoping.register(UninsuredCase)(_through_person)


@scoping.register(AccessEvent)
def access_event_rule(user):
    """The audit trail is for bureau staff only. City staff read their city's events (its
    staff's reads across counties) and their counties'; county staff read their county's
    events and the city's, which are reads that may reach their county's children."""
    if user.role == Role.CITY:
        return Q(county_id__in=[user.area_id, *scoping.city_counties_of(user)])
    if user.role == Role.COUNTY:
        return Q(county_id__in=[code for code in (user.area_id, user.area.parent_id) if code])
    return None


@scoping.register(ExportJob)
def export_job_rule(user):
    """A background export is its requester's alone, as the download it replaces was."""
    return Q(user_id=user.pk)
