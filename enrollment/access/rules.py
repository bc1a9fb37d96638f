"""Scoping rules of the registry app's models (see ``scoping.py``)."""
from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from ..models import (
    AccessEvent,
    Area,
    CaseReferral,
    ChangeRequest,
    ComparisonRun,
    EnrollmentRecord,
    ExportJob,
    ImportBatch,
    ListEntry,
    MaternityClaim,
    Organisation,
    Person,
    PersonMerge,
    Role,
    SchoolPlace,
    SchoolTransfer,
    TieKind,
    UninsuredCase,
    WithholdingRecord,
)
from . import scoping

scoping.register(ImportBatch)(scoping.by_area("county", "organisation"))
scoping.register(ComparisonRun)(scoping.by_area("county"))
scoping.register(WithholdingRecord)(scoping.by_area("county"))
# A change request is its county's; a partner sees its own organisation's proposals.
scoping.register(ChangeRequest)(scoping.by_area("county", "organisation"))
scoping.register(MaternityClaim)(scoping.by_area("county"))


@scoping.register(Area)
def area_rule(user):
    if user.role in (Role.CITY, Role.SUPERVISOR):
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
    if user.role == Role.SCHOOL:  # its own students: the (school, person) index of the places
        condition = Exists(SchoolPlace.objects.filter(person_id=person_ref, school_id=org)) | condition
    task_model = apps.all_models["outreach"].get("outreachtask")
    if task_model is not None:
        condition = condition | Exists(
            task_model.objects.filter(person_id=person_ref, assignee_id=org)
        )
    return Q(condition, **{f"{prefix}county_id": user.area_id})


def bureau_counties(user):
    """The county codes a bureau user works in (``None`` for anybody else)."""
    if user.role == Role.CITY:
        return scoping.city_counties_of(user)
    if user.role == Role.COUNTY:
        return [user.area_id]
    return None


def tie_conditions(counties, prefix=""):
    """``{TieKind: Q}`` on Person (or on a model leading to it by ``prefix``): the person is tied
    to one of ``counties`` that way. One file per child for the whole city: a county sees the
    children it keeps, registers, houses, schools, lists, insures or handles a case of."""
    person_ref = OuterRef(f"{prefix[:-2]}_id" if prefix else "pk")
    cases = UninsuredCase.objects.filter(person_id=person_ref).filter(
        Q(county_id__in=counties) | Q(referrals__to_county_id__in=counties)
        | Q(referrals__from_county_id__in=counties))
    return {
        TieKind.KEEPER: Q(**{f"{prefix}county_id__in": counties}),
        TieKind.REGISTRATION: Q(**{f"{prefix}hukou_area_code__in": counties}),
        TieKind.RESIDENCE: Q(**{f"{prefix}residence_area_code__in": counties}),
        TieKind.SCHOOL: Q(Exists(SchoolPlace.objects.filter(person_id=person_ref, school__county_id__in=counties))),
        TieKind.LIST: Q(Exists(ListEntry.objects.filter(person_id=person_ref, county_id__in=counties))),
        TieKind.INSURED: Q(Exists(EnrollmentRecord.objects.filter(person_id=person_ref, area_code__in=counties))),
        TieKind.CASE: Q(Exists(cases)),
    }


def tied_to(counties, prefix=""):
    condition = Q()
    for tie in tie_conditions(counties, prefix).values():
        condition |= tie
    return condition


@scoping.register(Person)
def person_rule(user):
    counties = bureau_counties(user)
    condition = tied_to(counties) if counties is not None else partner_person_condition(user)
    return None if condition is None else condition & Q(merged_into__isnull=True)


def _through_person(user):
    counties = bureau_counties(user)
    if counties is not None:
        return tied_to(counties, "person__")
    return partner_person_condition(user, "person__")


scoping.register(EnrollmentRecord)(_through_person)


@scoping.register(UninsuredCase)
def case_rule(user):
    """A case is the county's that handles it (the one whose list found the child, or the one
    that accepted it by referral); the counties of its referrals read it too (the trail)."""
    counties = bureau_counties(user)
    if counties is None:
        return partner_person_condition(user, "person__")
    referrals = CaseReferral.objects.filter(between_counties("from_county", "to_county")(user))
    return Q(county_id__in=counties) | Q(Exists(referrals.filter(case_id=OuterRef("pk"))))


def between_counties(first_field, second_field):
    """A rule for rows between two counties (a referral, a merge): bureau staff of either read it."""

    def rule(user):
        counties = bureau_counties(user)
        if counties is None:
            return None
        return Q(**{f"{first_field}_id__in": counties}) | Q(**{f"{second_field}_id__in": counties})

    return rule


scoping.register(CaseReferral)(between_counties("from_county", "to_county"))
scoping.register(PersonMerge)(between_counties("source_county", "target_county"))
scoping.register(SchoolTransfer)(scoping.by_area("county"))


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
