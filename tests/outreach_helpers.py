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
