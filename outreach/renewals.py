"""Renewal worklist (续保提醒): children insured in the county last insurance year and not yet
for the coming one, before and during the concentrated period.

- The coming year is ``campaign_year`` of the county's benefit parameters (the year whose
  concentrated period runs or comes next), so on 1 March 2026 the list is about 2027 and on
  31 December 2026 (the last day of the 2027 period, by default) still about 2027; from 1
  January 2027 it turns to 2028.
- "Insured last year in the county": a resident or employee record of the year before with
  the county as its area. "Not yet": no record of the coming year anywhere (a record of the
  coming year, however paid and wherever, takes the child off: the next enrollment import
  does it). A record of the wrong year (a back-payment for last year) keeps the child on.
- Children only: 18 or younger on 1 January of the coming year.
- What a lapse costs the child comes from the benefit rules (``lapse_cost``): the waiting
  months of paying the day after the period ends, those of missing the year and enrolling in
  the next period, and the continuous years and next year's cap raise that a break forfeits.

One query lists them (scoped by ``visible_to``); the costs are worked out for the rows shown
or exported, from the enrollments prefetched with them.
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext as _

from enrollment.access.rules import bureau_counties
from enrollment.access.scoping import visible_to
from enrollment.benefits.quotes import campaign_year, history_for, parameters_by_area, special_groups_of
from enrollment.benefits.rules import (
    RESIDENT,
    EnrollmentYear,
    concentrated_period,
    continuous_years,
    rewards,
    waiting_period,
)
from enrollment.models import EnrollmentRecord, Guardian, ListSource, Person, Role, UninsuredCase
from enrollment.registry.periods import years_before

from . import households
from .models import OutreachTask
from .services import ACTIVE_STATUSES, OutreachError, create_tasks

CHILD_MAX_AGE = 18
_CHUNK = 500


@dataclass(frozen=True)
class Window:
    county_id: str
    year: int  # the coming insurance year
    start: datetime.date
    end: datetime.date

    def days_left(self, today):
        return (self.end - today).days


def windows(county_ids, today):
    """county code -> its renewal ``Window`` on ``today`` (one query for the parameters)."""
    found = {}
    for code, params in parameters_by_area(county_ids, today).items():
        year = campaign_year(today, params)
        start, end = concentrated_period(year, params)
        found[code] = Window(code, year, start, end)
    return found


def user_windows(user, today):
    return windows(bureau_counties(user) or [], today)


def renewal_condition(windows_by_county):
    """A condition on Person: insured last year in one of the counties, not yet for the coming
    year, and still a child then."""
    condition = Q(pk__in=[])
    for code, window in windows_by_county.items():
        condition |= Q(
            Exists(EnrollmentRecord.objects.filter(person_id=OuterRef("pk"), year=window.year - 1, area_code=code)),
            ~Exists(EnrollmentRecord.objects.filter(person_id=OuterRef("pk"), year=window.year)),
            birth_date__gt=years_before(datetime.date(window.year, 1, 1), CHILD_MAX_AGE + 1),
        )
    return condition


def _county_guardian(field):
    return Subquery(
        Guardian.objects.filter(person_id=OuterRef("pk"), organisation__isnull=True)
        .exclude(**{field: ""}).order_by("pk").values(field)[:1]
    )


def children(user, *, today):
    """The renewal worklist of ``user`` (county or city staff) on ``today``."""
    found = user_windows(user, today)
    if not found:
        return Person.objects.none()
    years = {w.year for w in found.values()}
    return (
        visible_to(Person, user)
        .filter(renewal_condition(found))
        .annotate(
            renewal_area=Subquery(
                EnrollmentRecord.objects.filter(
                    person_id=OuterRef("pk"), year__in=[y - 1 for y in years], area_code__in=list(found),
                ).order_by("-year", "pk").values("area_code")[:1]
            ),
            guardian_name=_county_guardian("name"),
            guardian_phone=_county_guardian("phone"),
            has_task=Exists(OutreachTask.objects.filter(person_id=OuterRef("pk"), status__in=ACTIVE_STATUSES)),
        )
        .select_related("school_place__school")
        .prefetch_related(Prefetch("enrollments", queryset=EnrollmentRecord.objects.order_by("year")),
                          "special_groups")
        .order_by("school_place__school__name", "school_place__class_name", "name", "pk")
    )


@dataclass(frozen=True)
class LapseCost:
    late_waiting_months: int  # paid the day after the period ends
    skip_waiting_months: int  # no payment for the year; enrolled in the next period
    continuous_years: int  # the unbroken years a break would restart
    reward_lost: Decimal  # next year's cap raise the coming year would earn

    def text(self):
        parts = [_("paid late: %(late)s months of waiting; a missed year: %(skip)s months") % {
            "late": self.late_waiting_months, "skip": self.skip_waiting_months}]
        if self.continuous_years:
            parts.append(_("%(years)s continuous years restart") % {"years": self.continuous_years})
        if self.reward_lost:
            parts.append(_("cap raise of %(amount)s yuan lost") % {"amount": f"{self.reward_lost:,.0f}"})
        return _("; ").join(parts)


def lapse_cost(person, window, params):
    """What letting ``window.year`` lapse costs ``person`` (enrollments and special groups
    prefetched), under the county's ``params``."""
    history = history_for(person, params)
    groups = special_groups_of(person)
    common = dict(birth_date=person.birth_date, special_groups=groups)
    late = waiting_period(history, window.end + datetime.timedelta(days=1), params,
                          insurance_year=window.year, **common)
    next_start, _end = concentrated_period(window.year + 1, params)
    skip = waiting_period(history, next_start, params, insurance_year=window.year + 1, **common)
    renewed = [*history, EnrollmentYear(window.year, RESIDENT, paid_on=window.start, fund_paid=None)]
    lost = rewards(renewed, window.year + 1, params).total - rewards(history, window.year + 1, params).total
    return LapseCost(late.total_months, skip.total_months,
                     continuous_years(history, window.year - 1, params).years, lost)


class CostBook:
    """Lapse costs of the rows of one page or export, with each county's parameters read once."""

    def __init__(self, windows_by_county, today):
        self.windows = windows_by_county
        self.params = parameters_by_area(list(windows_by_county), today)
        self.today = today

    def window(self, person):
        return self.windows.get(getattr(person, "renewal_area", None) or person.county_id) or next(
            iter(self.windows.values()))

    def days_left(self, person):
        return self.window(person).days_left(self.today)

    def cost(self, person):
        window = self.window(person)
        return lapse_cost(person, window, self.params[window.county_id])


def _case_per_child(*, user, person_ids, windows_by_county, today):
    """The open case of each child for the coming year: an existing one, else a new renewal
    case (source 续保提醒) handled by the county that insured the child last year."""
    rows = list(
        Person.objects.filter(pk__in=person_ids).annotate(
            renewal_area=Subquery(EnrollmentRecord.objects.filter(
                person_id=OuterRef("pk"), area_code__in=list(windows_by_county),
                year__in=[w.year - 1 for w in windows_by_county.values()],
            ).order_by("-year").values("area_code")[:1])
        ).values_list("pk", "renewal_area")
    )
    new = []
    for pk, area in rows:
        window = windows_by_county.get(area)
        if window is None:
            continue
        new.append(UninsuredCase(person_id=pk, county_id=area, source=ListSource.RENEWAL,
                                 insurance_year=window.year, found_on=today))
    years = {w.year for w in windows_by_county.values()}
    existing = set(UninsuredCase.objects.filter(
        person_id__in=person_ids, insurance_year__in=years).values_list("person_id", flat=True))
    UninsuredCase.objects.bulk_create([c for c in new if c.person_id not in existing],
                                      batch_size=_CHUNK, ignore_conflicts=True)
    return UninsuredCase.objects.filter(person_id__in=person_ids, insurance_year__in=years,
                                        insured_on__isnull=True)


@transaction.atomic
def create_renewal_tasks(*, user, persons, assignee, due_on, per_household=False, today=None):
    """Tasks for the children of ``persons`` (a queryset of the user's worklist) to
    ``assignee``; with ``per_household`` one child per household (the eldest) gets the task,
    which lists its siblings. Returns (tasks created, children covered)."""
    today = today or datetime.date.today()
    if user.role != Role.COUNTY:
        raise OutreachError(_("Only county bureau staff assign outreach tasks."))
    found = user_windows(user, today)
    person_ids = set(
        visible_to(persons, user).filter(renewal_condition(found)).values_list("pk", flat=True)
    )
    chosen = person_ids
    if per_household:
        births = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "birth_date"))
        chosen = {min(group, key=lambda pk: (births[pk], pk)) for group in households.group(person_ids)}
    cases = _case_per_child(user=user, person_ids=chosen, windows_by_county=found, today=today)
    created = create_tasks(user=user, cases=cases, assignee=assignee, due_on=due_on, today=today)
    return created, len(person_ids)
