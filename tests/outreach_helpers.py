"""Builders for outreach tests: uninsured cases and tasks, every field visible."""
import datetime

from enrollment.models import UninsuredCase
from outreach.models import OutreachTask

from .factories import make_person


def make_case(county, *, person=None, source="school", year=2025, found_on=datetime.date(2024, 11, 1), **person_fields):
    person = person or make_person(county, **person_fields)
    return UninsuredCase.objects.create(
        person=person, county_id=person.county_id, source=source, insurance_year=year,
        found_on=found_on,
    )


def make_task(case, assignee, *, due_on=datetime.date(2024, 12, 15), status="open", **fields):
    return OutreachTask.objects.create(
        case=case, person=case.person, county_id=case.county_id, assignee=assignee,
        due_on=due_on, status=status, **fields,
    )


def put_on_list(person, source, *, organisation=None):
    """Record that a partner list (a birth one-stop or health list...) carries ``person``."""
    from enrollment.models import ImportBatch, ListEntry

    kind = {"newborn": "newborns", "health": "health_list"}.get(source, "school_roster")
    batch = ImportBatch.objects.create(
        kind=kind, county_id=person.county_id, organisation=organisation,
        original_name=f"{source}.csv", sha256=f"{person.pk:064d}", status="done",
    )
    return ListEntry.objects.create(
        batch=batch, person=person, county_id=person.county_id, source=source,
        organisation=organisation, row_number=1,
    )
