"""Reminders that Celery beat sends every day (and ``manage.py send_reminders`` by hand).

Each rule yields candidates (kind, subject, recipient, one line of text). A candidate already
in ``ReminderLog`` is dropped, so a reminder goes out once, however often the run repeats;
the rest are logged and delivered as one digest per recipient and kind.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from enrollment.models import BenefitParameterSet, Person, Role, User
from reporting.periods import next_due

from .delivery import Message, deliver
from .models import OutreachTask, ReminderLog, TaskStatus
from .selectors import (
    NEWBORN_DAYS,
    health_partner_of,
    newborn_days_by_county,
    newborn_deadline,
    uninsured_newborns,
)

NEWBORN_STEPS = (("newborn_30", 30, 8), ("newborn_7", 7, 0))  # kind, from days left, to
TASK_DUE_SOON_DAYS = 3
DISPATCH_NOTICE_DAYS = 7
_CHUNK = 500


@dataclass(frozen=True)
class Candidate:
    kind: str
    subject_key: str
    recipient_id: int
    county_id: str | None
    line: str


def _active_users(**filters):
    return User.objects.filter(is_active=True, **filters)


def _county_staff(county_ids):
    """county code -> pks of its county bureau users."""
    staff = defaultdict(list)
    rows = _active_users(role=Role.COUNTY, area_id__in=set(county_ids)).values_list("area_id", "pk")
    for area_id, pk in rows:
        staff[area_id].append(pk)
    return staff


def _organisation_users(organisation_ids):
    users = defaultdict(list)
    rows = _active_users(organisation_id__in=set(organisation_ids)).values_list("organisation_id", "pk")
    for organisation_id, pk in rows:
        users[organisation_id].append(pk)
    return users


def newborn_candidates(today):
    """Uninsured newborns of the birth or health lists 30 and 7 days before day 90."""
    windows = BenefitParameterSet.objects.aggregate(low=Min("newborn_days"), high=Max("newborn_days"))
    low = min(NEWBORN_DAYS, windows["low"] or NEWBORN_DAYS)
    high = max(NEWBORN_DAYS, windows["high"] or NEWBORN_DAYS)
    candidates = list(
        uninsured_newborns(
            Person.objects.all(),
            born_from=today - datetime.timedelta(days=high),
            born_to=today - datetime.timedelta(days=max(0, low - NEWBORN_STEPS[0][1])),
        ).values_list("pk", "name", "county_id", "birth_date")
    )
    days = newborn_days_by_county({row[2] for row in candidates}, today)
    babies = [row for row in candidates
              if 0 <= (newborn_deadline(row[3], days[row[2]]) - today).days <= NEWBORN_STEPS[0][1]]
    staff = _county_staff(row[2] for row in babies)
    partners = health_partner_of([row[0] for row in babies])
    partner_users = _organisation_users(org for orgs in partners.values() for org in orgs)
    for pk, name, county_id, birth_date in babies:
        deadline = newborn_deadline(birth_date, days[county_id])
        left = (deadline - today).days
        kind = next(kind for kind, start, end in NEWBORN_STEPS if end <= left <= start)
        line = _("%(name)s, born %(born)s: enroll by %(deadline)s (%(days)s days left)") % {
            "name": name, "born": birth_date, "deadline": deadline, "days": left}
        recipients = set(staff[county_id])
        for org in partners.get(pk, ()):
            recipients.update(partner_users[org])
        for recipient in recipients:
            yield Candidate(kind, f"person:{pk}", recipient, county_id, line)


def task_candidates(today):
    """Open tasks due within three days, and open tasks past their due date."""
    soon = today + datetime.timedelta(days=TASK_DUE_SOON_DAYS)
    tasks = list(
        OutreachTask.objects.filter(status=TaskStatus.OPEN, due_on__lte=soon)
        .values_list("pk", "person__name", "county_id", "assignee_id", "due_on")
    )
    users = _organisation_users(row[3] for row in tasks)
    for pk, name, county_id, assignee_id, due_on in tasks:
        kind = "task_overdue" if due_on < today else "task_due"
        line = _("%(name)s: outreach task due %(due)s") % {"name": name, "due": due_on}
        for recipient in users[assignee_id]:
            yield Candidate(kind, f"task:{pk}", recipient, county_id, line)


def dispatch_candidates(today):
    """County staff, in the week before each dispatch-table deadline (reporting's calendar)."""
    deadline = next_due(today).deadline
    if (deadline - today).days <= DISPATCH_NOTICE_DAYS:
        line = _("The children's enrollment dispatch table is due on %(deadline)s.") % {
            "deadline": deadline}
        for area_id, pk in _active_users(role=Role.COUNTY).values_list("area_id", "pk"):
            yield Candidate("dispatch", f"dispatch:{deadline}", pk, area_id, line)


def publicity_candidates(today):
    """Every user, once in September: the concentrated enrollment publicity month."""
    if today.month != 9:
        return
    line = _("September is the concentrated enrollment publicity month: plan the publicity "
             "and outreach of your area for the coming insurance year.")
    rows = _active_users().exclude(role="").values_list("pk", "area_id")
    for pk, area_id in rows:
        yield Candidate("publicity", f"publicity:{today.year}", pk, area_id, line)


RENEWAL_STEPS = (("renewal_30", 30, 8), ("renewal_7", 7, 0))  # kind, from days left, to


def renewal_candidates(today):
    """County staff, 30 and 7 days before their concentrated period ends: how many children
    insured last year have not renewed yet (issue 19, ``renewals``)."""
    from . import renewals

    counties = list(_active_users(role=Role.COUNTY).values_list("area_id", flat=True).distinct())
    for code, window in renewals.windows(counties, today).items():
        left = window.days_left(today)
        kind = next((kind for kind, start, end in RENEWAL_STEPS if end <= left <= start), None)
        if kind is None:
            continue
        count = Person.objects.filter(renewals.renewal_condition({code: window}), merged_into__isnull=True).count()
        if not count:
            continue
        line = _("%(count)s children insured in %(last)s have not renewed for %(year)s; the period ends on "
                 "%(end)s.") % {"count": count, "last": window.year - 1, "year": window.year, "end": window.end}
        for recipient in _county_staff([code])[code]:
            yield Candidate(kind, f"renewal:{window.year}", recipient, code, line)


RULES = (newborn_candidates, task_candidates, dispatch_candidates, publicity_candidates, renewal_candidates)


def _titles():
    return {
        "newborn_30": (_("Newborns: 30 days left to enroll (%(count)s)"), "outreach_newborns"),
        "newborn_7": (_("Newborns: 7 days left to enroll (%(count)s)"), "outreach_newborns"),
        "task_due": (_("Outreach tasks due soon (%(count)s)"), "outreach_tasks"),
        "task_overdue": (_("Outreach tasks overdue (%(count)s)"), "outreach_tasks"),
        "dispatch": (_("Dispatch table deadline"), "outreach_notifications"),
        "publicity": (_("Enrollment publicity month"), "outreach_notifications"),
        "renewal_30": (_("Renewals: 30 days left in the concentrated period"), "outreach_renewals"),
        "renewal_7": (_("Renewals: 7 days left in the concentrated period"), "outreach_renewals"),
    }


def _not_sent_yet(candidates):
    sent = set()
    keys = sorted({c.subject_key for c in candidates})
    kinds = {c.kind for c in candidates}
    for start in range(0, len(keys), _CHUNK):
        sent.update(ReminderLog.objects.filter(
            kind__in=kinds, subject_key__in=keys[start:start + _CHUNK]
        ).values_list("kind", "subject_key", "recipient_id"))
    unique = {(c.kind, c.subject_key, c.recipient_id): c for c in candidates}
    return [c for key, c in unique.items() if key not in sent]


def _digests(candidates, titles):
    grouped = defaultdict(list)
    for c in candidates:
        grouped[(c.recipient_id, c.kind)].append(c.line)
    users = User.objects.in_bulk({recipient for recipient, _kind in grouped})
    for (recipient, kind), lines in grouped.items():
        title, url_name = titles[kind]
        yield Message(recipient=users[recipient], kind=kind, title=title % {"count": len(lines)},
                      body="\n".join(sorted(lines)), url=reverse(url_name))


@transaction.atomic
def send_reminders(*, today=None, email_backend=None):
    """Send every reminder due on ``today`` that was not sent before. Returns
    ``{kind: number of recipients reached}``."""
    today = today or datetime.date.today()
    with translation.override(settings.LANGUAGE_CODE):
        candidates = _not_sent_yet([c for rule in RULES for c in rule(today)])
        ReminderLog.objects.bulk_create([
            ReminderLog(kind=c.kind, subject_key=c.subject_key, recipient_id=c.recipient_id,
                        county_id=c.county_id)
            for c in candidates
        ], batch_size=_CHUNK)
        messages = list(_digests(candidates, _titles()))
        deliver(messages, email_backend=email_backend)
    counts = defaultdict(int)
    for message in messages:
        counts[message.kind] += 1
    return dict(counts)


__all__ = ["send_reminders"]
