"""Writes of the outreach app: assigning tasks, recording contacts and outcomes, and the
closed loop. Keyword-only functions, each one transaction; callers pass objects they got
through ``selectors`` (already scoped), and every function re-checks what it relies on."""
import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.access.scoping import visible_to
from enrollment.models import Role, UninsuredCase, UninsuredReason

from .models import ContactRecord, Notification, Outcome, OutreachTask, TaskChange, TaskStatus

ACTIVE_STATUSES = (TaskStatus.OPEN, TaskStatus.DONE)
# The uninsured reason a partner's outcome proposes, until county staff confirm or change it.
REASON_OF_OUTCOME = {
    Outcome.INSURED_ELSEWHERE: UninsuredReason.INSURED_ELSEWHERE,
    Outcome.UNWILLING: UninsuredReason.UNWILLING,
    Outcome.UNREACHABLE: UninsuredReason.UNREACHABLE,
    Outcome.MOVED_AWAY: UninsuredReason.MOVED_OR_DIED,
}
_CHUNK = 500


class OutreachError(ValueError):
    """A request the service refuses; ``message`` is shown to the user (Chinese)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def active_task_exists():
    """``Exists`` condition for an uninsured case that already has an unfinished task."""
    return Exists(
        OutreachTask.objects.filter(case_id=OuterRef("pk"), status__in=ACTIVE_STATUSES)
    )


@transaction.atomic
def create_tasks(*, user, cases, assignee, due_on, today=None):
    """Assign every open case of ``cases`` without an unfinished task to ``assignee``.

    Only county staff assign, only within their county, only to a partner of that county.
    Cases already being worked are skipped, so running the same assignment twice creates
    nothing new. Returns the number of tasks created.
    """
    today = today or datetime.date.today()
    if user.role != Role.COUNTY:
        raise OutreachError(_("Only county bureau staff assign outreach tasks."))
    if assignee.county_id != user.area_id:
        raise OutreachError(_("The partner “%(name)s” is not in your county.") % {"name": assignee.name})
    if due_on < today:
        raise OutreachError(_("The due date cannot be before today."))
    rows = (
        visible_to(cases, user)
        .filter(insured_on__isnull=True, county_id=assignee.county_id)
        .exclude(active_task_exists())
        .values_list("pk", "person_id", "county_id")
    )
    tasks = [
        OutreachTask(
            case_id=case_id, person_id=person_id, county_id=county_id, assignee=assignee,
            due_on=due_on, created_by=user,
        )
        for case_id, person_id, county_id in rows
    ]
    OutreachTask.objects.bulk_create(tasks, batch_size=_CHUNK)
    return len(tasks)


@transaction.atomic
def record_contact(*, user, task, date, method, outcome="", note="", today=None):
    """Record one contact with the family and, when given, the task's outcome.

    An outcome (even "enrolled") only says what the family told the partner: the task is then
    "outcome recorded", never "insured after outreach" — only an enrollment import sets that.
    """
    today = today or datetime.date.today()
    task = OutreachTask.objects.select_for_update().get(pk=task.pk)
    if not may_work(user, task):
        raise OutreachError(_("You cannot record contacts on this task."))
    if task.status == TaskStatus.INSURED:
        raise OutreachError(_("The child is insured after outreach: the task is closed."))
    if date > today:
        raise OutreachError(_("The contact date cannot be after today."))
    contact = ContactRecord.objects.create(
        task=task, date=date, method=method, outcome=outcome, note=note, by=user
    )
    if outcome:
        task.outcome = outcome
        task.status = TaskStatus.DONE
        task.save(update_fields=["outcome", "status"])
        _propose_reason(task, outcome, user)
    return contact


def _propose_reason(task, outcome, user):
    """Give the case the reason the outcome implies, when staff have not set one yet."""
    reason = REASON_OF_OUTCOME.get(outcome)
    if reason:
        UninsuredCase.objects.filter(pk=task.case_id, reason="", insured_on__isnull=True).update(
            reason=reason, reason_note=_("Outreach feedback: %(by)s") % {"by": user.organisation or user.get_username()},
            reason_set_by=user, reason_set_at=timezone.now(),
        )


@transaction.atomic
def change_task(*, user, task, assignee, due_on, reason, today=None):
    """County staff hand an unfinished task to another partner of their county and/or give it
    a new deadline; the change is kept with who, when, old → new and why."""
    today = today or datetime.date.today()
    task = OutreachTask.objects.select_for_update().get(pk=task.pk)
    if user.role != Role.COUNTY or task.county_id != user.area_id:
        raise OutreachError(_("Only the county's bureau staff change its tasks."))
    if task.status == TaskStatus.INSURED:
        raise OutreachError(_("The child is insured: the task is closed."))
    if assignee.county_id != user.area_id:
        raise OutreachError(_("The partner “%(name)s” is not in your county.") % {"name": assignee.name})
    if due_on < today:
        raise OutreachError(_("The due date cannot be before today."))
    if assignee.pk == task.assignee_id and due_on == task.due_on:
        raise OutreachError(_("Nothing changes: choose another partner or another due date."))
    if not reason.strip():
        raise OutreachError(_("Reason: write why the task changes."))
    change = TaskChange.objects.create(
        task=task, changed_by=user, old_assignee_id=task.assignee_id, new_assignee=assignee,
        old_due_on=task.due_on, new_due_on=due_on, reason=reason.strip()[:200],
    )
    if assignee.pk != task.assignee_id:  # the new partner hears of it in the portal
        from django.urls import reverse

        Notification.objects.bulk_create(
            Notification(recipient=recipient, kind="task_reassigned",
                         title=_("A task was handed to you: %(name)s") % {"name": task.person.name},
                         body=change.reason, url=reverse("outreach_task", args=[task.pk]))
            for recipient in assignee.users.filter(is_active=True)
        )
    task.assignee, task.due_on = assignee, due_on
    task.save(update_fields=["assignee", "due_on"])
    return change


def may_work(user, task):
    if user.role == Role.COUNTY:
        return task.county_id == user.area_id
    return user.is_partner and task.assignee_id == user.organisation_id


@transaction.atomic
def close_insured_tasks(*, case_ids, insured_on):
    """The closed loop: the unfinished tasks of cases an enrollment import found insured
    become "insured after outreach", closed on the payment date. The one place that status
    is ever set. ``insured_on`` maps case pk -> date (or ISO string). Returns tasks closed."""
    missing = [pk for pk in case_ids if pk not in insured_on and str(pk) not in insured_on]
    known = dict(
        UninsuredCase.objects.filter(pk__in=missing).values_list("pk", "insured_on")
    ) if missing else {}
    by_date = defaultdict(list)
    for case_id in case_ids:
        day = insured_on.get(case_id) or insured_on.get(str(case_id)) or known.get(case_id)
        if isinstance(day, str):
            day = datetime.date.fromisoformat(day)
        if day is not None:
            by_date[day].append(case_id)
    closed = 0
    for day, ids in by_date.items():
        for start in range(0, len(ids), _CHUNK):
            closed += OutreachTask.objects.filter(
                case_id__in=ids[start:start + _CHUNK], status__in=ACTIVE_STATUSES
            ).update(status=TaskStatus.INSURED, closed_on=day)
    return closed


def mark_notifications_read(*, user, ids=None):
    """Mark the user's notifications read (all of them when ``ids`` is None)."""
    queryset = Notification.objects.filter(recipient=user, read=False)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read=True)
