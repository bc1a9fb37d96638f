"""Scoping rules of the outreach app (see ``enrollment/scoping.py``)."""
from django.db.models import Q

from enrollment.access import scoping

from .models import ContactRecord, CountyContact, NoticeBatch, Notification, OutreachTask, ReminderLog, TaskChange

scoping.register(OutreachTask)(scoping.by_area("county", "assignee"))
scoping.register(ContactRecord)(scoping.by_area("task__county", "task__assignee"))
scoping.register(TaskChange)(scoping.by_area("task__county", "task__assignee"))
scoping.register(NoticeBatch)(scoping.by_area("county", "organisation"))


@scoping.register(CountyContact)
def county_contact_rule(user):
    """Everyone in a county may read its bureau's contact (it is printed for families)."""
    if user.is_bureau:
        return scoping.by_area("county")(user)
    return Q(county_id=user.area_id)


def _own_rows(user):
    return Q(recipient_id=user.pk)


scoping.register(Notification)(_own_rows)
scoping.register(ReminderLog)(_own_rows)

# Issue 19: messages to guardians and call-back samples belong to the county that made them.
from .models import Callback, CallbackSample, GuardianMessage, GuardianPreference  # noqa: E402

scoping.register(GuardianMessage)(scoping.by_area("county"))
scoping.register(GuardianPreference)(scoping.by_area("county"))
scoping.register(CallbackSample)(scoping.by_area("county"))
scoping.register(Callback)(scoping.by_area("sample__county"))
