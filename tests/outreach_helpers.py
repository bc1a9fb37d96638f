"""Builders for outreach tests: uninsured cases and tasks, every field visible. Cases and list
entries come from tests/factories.py (re-exported here for the outreach tests)."""
import datetime

from outreach.models import OutreachTask

from .factories import make_case, put_on_list

__all__ = ["make_case", "make_task", "put_on_list"]


def make_task(case, assignee, *, due_on=datetime.date(2024, 12, 15), status="open", **fields):
    return OutreachTask.objects.create(
        case=case, person=case.person, county_id=case.county_id, assignee=assignee,
        due_on=due_on, status=status, **fields,
    )
