"""A partner's to-do list, the first thing its home page shows (issue 17): overdue tasks, tasks
due this week, newborns whose enrollment window closes soon, and printed notices to hand out.
All reads go through the scoped selectors."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from enrollment.access.scoping import visible_to

from . import selectors
from .models import NoticeBatch, NoticeStatus, TaskStatus
from .roles import NEWBORN_ROLES, PRINTING_ROLES

SHOWN = 10  # rows of each part; the part links to its full list
DUE_SOON_DAYS = 7
NEWBORN_WARNING_DAYS = 14  # "near day 90": the window closes within two weeks
NOTICE_DAYS = 30  # printed notices of the last month are still to hand out


@dataclass
class Part:
    rows: list = field(default_factory=list)
    count: int = 0


def _part(queryset):
    rows = list(queryset[:SHOWN])
    return Part(rows, len(rows) if len(rows) < SHOWN else queryset.count())


def partner_todo(user, *, today=None):
    today = today or datetime.date.today()
    tasks = selectors.tasks(user)
    todo = {
        "overdue": _part(tasks.filter(selectors.overdue_condition(today))),
        "due_soon": _part(tasks.filter(status=TaskStatus.OPEN,
                                       due_on__range=(today, today + datetime.timedelta(days=DUE_SOON_DAYS)))),
        "newborns": None, "notices": None,
    }
    if user.role in NEWBORN_ROLES:
        todo["newborns"] = newborns_near_deadline(user, today)
    if user.role in PRINTING_ROLES:
        since = today - datetime.timedelta(days=NOTICE_DAYS)
        todo["notices"] = _part(visible_to(NoticeBatch, user).filter(
            status=NoticeStatus.DONE, created_at__date__gte=since).order_by("-created_at"))
    return todo


def newborns_near_deadline(user, today):
    """Uninsured newborns whose window (the county's newborn_days) is still open and closes
    within ``NEWBORN_WARNING_DAYS``; each row gets ``deadline`` and ``days_left``."""
    newborns = selectors.newborns(user, today=today)
    days = selectors.newborn_days_by_county(
        newborns.order_by().values_list("county_id", flat=True).distinct(), today)
    near = Q(pk__in=[])
    for county_id, window in days.items():
        near |= Q(county_id=county_id,
                  birth_date__range=(today - datetime.timedelta(days=window),
                                     today - datetime.timedelta(days=window - NEWBORN_WARNING_DAYS)))
    part = _part(newborns.filter(near))
    phones = selectors.guardian_contacts(user, [person.pk for person in part.rows])
    for person in part.rows:
        person.guardian_list = phones.get(person.pk, [])
        person.deadline = selectors.newborn_deadline(person.birth_date, days.get(person.county_id))
        person.days_left = (person.deadline - today).days
    return part
