"""Reads of the person registry. Every query here starts from ``scoping.visible_to``."""
import datetime

from django.apps import apps
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, prefetch_related_objects

from ..access.rules import bureau_counties, tie_conditions
from ..access.scoping import get_visible_or_404, visible_to
from ..models import (
    CaseReferral,
    EnrollmentRecord,
    Organisation,
    Person,
    PersonMerge,
    SchoolPlace,
    SchoolTransfer,
    TieKind,
    UninsuredCase,
)
from ..models.organisations import EDUCATION_KINDS
from . import id_numbers
from .periods import insurance_year


def persons(user):
    return visible_to(Person, user)


def records_as_of(as_of, *, person_ref="pk", area_code=None):
    """The enrollment records of the outer person (``person_ref``) for the insurance year
    containing ``as_of``, paid on or before it (in ``area_code`` when given)."""
    records = EnrollmentRecord.objects.filter(
        person_id=OuterRef(person_ref), year=insurance_year(as_of), paid_on__lte=as_of
    )
    if area_code is not None:
        records = records.filter(area_code=area_code)
    return records


def insured_as_of(as_of, *, person_ref="pk", area_code=None):
    """``Exists``: insured as of ``as_of`` (``records_as_of``)."""
    return Exists(records_as_of(as_of, person_ref=person_ref, area_code=area_code))


def insured_this_year(today=None):
    """``Exists``: the person has an enrollment record for the current insurance year."""
    return insured_as_of(today or datetime.date.today())


def person_list(user, *, today=None):
    """The person list: scoped, with what the table shows, in the order of its index."""
    return (
        persons(user)
        .select_related("school_place__school", "county")
        .annotate(insured=insured_this_year(today))
        .order_by("county_id", "name", "id")
    )


def kept_first(persons, user):
    """``persons`` (scoped) split for counting: the files the user's own counties keep, then
    the others their ties bring in. The first part reads the county's own index and stops at
    the count's cap; the ties are only evaluated when it does not reach it."""
    counties = bureau_counties(user)
    if not counties:
        return [persons]
    return [persons.filter(county_id__in=counties), persons.exclude(county_id__in=counties)]


def rows_to_list(persons, parts, counts):
    """What the list reads: ``persons``, or the first of ``kept_first``'s ``parts`` alone when
    the others were counted (``counts``) and hold no row. Then the county's own index answers
    the filter, where the whole scope weighs every other county's child against the ties (a
    county's uninsured babies: 0.19 s at a million persons, 0.02 s read alone)."""
    if len(parts) > 1 and len(counts) == len(parts) and not any(counts[1:]):
        return parts[0]
    return persons


def person_export_rows(queryset, headers):
    """The export of a filtered person list, IDs masked, read in one streaming query."""
    yield headers
    fields = ("name", "id_number", "birth_certificate_no", "birth_date", "sex", "county__name",
              "school_place__school__name", "school_place__class_name", "insured")
    for name, number, certificate, birth, sex, county, school, class_name, insured in (
        queryset.values_list(*fields).iterator(chunk_size=5000)
    ):
        yield [name, id_numbers.mask(number) if number else "", certificate or "", birth, sex,
               county, school or "", class_name or "", "是" if insured else "否"]


def person_detail(user, pk):
    return get_visible_or_404(Person.objects.select_related("county", "school_place__school"), user, pk=pk)


def person_history(person):
    """Everything on file about a person, merged birth-certificate records included. The
    enrollments (newest first) and special groups are loaded onto ``person`` once: the benefit
    panel reads ``person.enrollments.all()`` and ``person.special_groups.all()`` from them."""
    prefetch_related_objects(
        [person],
        Prefetch("enrollments", queryset=EnrollmentRecord.objects.order_by("-year", "scheme")),
        "special_groups",
    )
    return {
        "enrollments": person.enrollments.all(),
        "entries": person.list_entries.select_related("batch", "organisation").order_by("-batch__uploaded_at"),
        "guardians": person.guardians.filter(organisation__isnull=True),
        "partner_guardians": person.guardians.filter(organisation__isnull=False).select_related("organisation"),
        "cases": person.uninsured_cases.select_related("reason_set_by").order_by("-insurance_year"),
        "special_groups": person.special_groups.all(),
        "history_changes": person.history.select_related("history_user__organisation", "history_user__area").order_by("-history_date")[:50],
        "school_changes": SchoolPlace.history.filter(person_id=person.pk)
        .select_related("school", "history_user__organisation", "history_user__area").order_by("-history_date")[:50],
        "merged_from": person.merged_from.all(),
    }


def schools_of(user):
    return visible_to(Organisation, user).filter(kind__in=EDUCATION_KINDS)



def person_ties(person, counties, enrollments):
    """``[(TieKind, [area codes])]`` of the ways the person is tied to counties, and the set
    of kinds through which one of ``counties`` (the user's) sees it, asked of the scoping rule's
    own conditions in one query. ``enrollments``: the person's records, loaded already
    (``person_history``)."""
    cases = UninsuredCase.objects.filter(person=person)
    referrals = CaseReferral.objects.filter(case__in=cases)
    found = {
        TieKind.KEEPER: [person.county_id],
        TieKind.REGISTRATION: [person.hukou_area_code] if person.hukou_area_code else [],
        TieKind.RESIDENCE: [person.residence_area_code] if person.residence_area_code else [],
        TieKind.SCHOOL: [person.school.county_id] if person.school_id else [],
        TieKind.LIST: sorted(set(person.list_entries.values_list("county_id", flat=True))),
        TieKind.INSURED: sorted({record.area_code for record in enrollments}),
        TieKind.CASE: sorted(set(cases.values_list("county_id", flat=True))
                             | {code for pair in referrals.values_list("from_county_id", "to_county_id")
                                for code in pair}),
    }
    ties = [(kind, codes) for kind, codes in found.items() if codes]
    if not counties:
        return ties, set()
    tied = Person.objects.filter(pk=person.pk).values(**{
        f"tie_{kind.value}": ExpressionWrapper(condition, output_field=BooleanField())
        for kind, condition in tie_conditions(counties).items()}).get()
    return ties, {TieKind(name.removeprefix("tie_")) for name, yes in tied.items() if yes}


def partner_view_of(person, user):
    """What a partner sees of a child: what its own lists and tasks carry, never the county's
    guardians, enrollment history or change history."""
    org = user.organisation_id
    task_model = apps.all_models["outreach"].get("outreachtask")
    return {
        "entries": person.list_entries.filter(Q(organisation_id=org) | Q(batch__organisation_id=org))
        .select_related("batch", "organisation").order_by("-batch__uploaded_at"),
        "guardians": person.guardians.filter(organisation_id=org),
        "tasks": task_model.objects.filter(person=person, assignee_id=org).order_by("-pk") if task_model else [],
        "school_shown": person.school_id == org,
    }


def transfers(user):
    return visible_to(SchoolTransfer, user).select_related("person", "from_school", "to_school", "decided_by")


def merges_of(person, user):
    """The merge trail of the file, as the user's counties may read it."""
    return visible_to(PersonMerge, user).filter(target=person).select_related("source", "merged_by")
