"""Reads of the reporting app: every query starts from the user's scope."""
import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from enrollment.access.scoping import visible_to
from enrollment.access.selectors import counties_of
from enrollment.models import Role, User
from enrollment.registry import selectors as registry

from . import periods
from .dispatch import figures as dispatch_figures
from .models import DispatchFigures, ReportReminder, ReviewStatus, SubmittedReport

CITY_WIDE = (Role.CITY, Role.SUPERVISOR)


def areas_for(user):
    """The areas whose table a user may see: its counties, and its city for city staff and the
    city's supervisory departments."""
    counties = list(counties_of(user).order_by("code"))
    if user.role in CITY_WIDE:
        return [user.area, *counties]
    return counties


def figures_reader(user):
    """Whom the dashboard's counts are scoped for: a supervisory department sees the city's
    figures as the city bureau counts them (aggregates only; its own account reaches no
    person, case or task), everyone else as themselves."""
    if user.role != Role.SUPERVISOR:
        return user
    return User(role=Role.CITY, area_id=user.area_id, is_active=True)


def area_for(user, code=None, *, areas=None):
    """The requested area if the user may see it (404 otherwise); the user's own by default.

    ``areas`` are the user's areas when the caller has loaded them already (``areas_for``).
    """
    code = code or user.area_id
    for area in areas if areas is not None else areas_for(user):
        if area.pk == code:
            return area
    raise Http404


def county_codes(area):
    return [county.pk for county in dispatch_figures.counties_of(area)]


def people_behind(user, code, column_key, cutoff):
    """Persons behind one figure of the table, within the user's scope (404 for a bad key)."""
    if column_key not in dispatch_figures.COLUMN_BY_KEY:
        raise Http404
    area = area_for(user, code)
    persons = registry.person_list(user, today=cutoff)
    return area, dispatch_figures.people_behind(persons, column_key, county_codes(area), cutoff)


@dataclass
class StoredFigures:
    """What is stored for one table (a county, or a city's counties) at one cut-off."""

    figures: dict | None  # {county code: {column key: int}}, when every county has figures
    computed_at: datetime.datetime | None  # the oldest of the counties' computations
    queued_at: datetime.datetime | None  # a computation under way was requested then
    started_at: datetime.datetime | None  # ... and a worker started it then
    live: bool = False  # nothing stored: the figures were computed for this page, not kept

    @property
    def pending(self):
        return self.queued_at is not None


def stored_figures(user, area, cutoff, now=None):
    """The stored figures of the area's table (an area from ``area_for``), read within the
    user's scope. A computation is pending while it waits for a worker or runs (a request made
    while one runs stays queued after it ends); one requested and started more than
    ``PENDING_FOR`` ago is taken as lost."""
    now = now or timezone.now()
    codes = county_codes(area)
    rows = list(visible_to(DispatchFigures, user).filter(county__in=codes, cutoff=cutoff))
    done = {row.county_id: row for row in rows if row.figures is not None}
    complete = set(codes) <= set(done)
    pending = [row for row in rows if _under_way(row, since=now - DispatchFigures.PENDING_FOR)]
    figures = {code: done[code].figures for code in codes} if complete else None
    if figures is not None and not area.is_county:  # the city's total row, each child once
        city_row = DispatchFigures.objects.filter(county=area, cutoff=cutoff, figures__isnull=False).first()
        if city_row is not None and city_row.computed_at >= min(row.computed_at for row in done.values()):
            figures[area.pk] = city_row.figures
    return StoredFigures(
        figures=figures,
        computed_at=min((row.computed_at for row in done.values()), default=None) if complete else None,
        queued_at=min((row.queued_at for row in pending), default=None),
        started_at=min((row.started_at for row in pending if row.started_at), default=None),
    )


def _under_way(row, *, since):
    """Whether the row marks a computation requested, or started, after ``since``."""
    return row.queued_at is not None and max(row.queued_at, row.started_at or row.queued_at) > since


def submitted_reports(user):
    """Every version the user may see, returned ones included."""
    return visible_to(SubmittedReport, user).select_related("county", "submitted_by", "reviewed_by")


def live_reports(user):
    """The version of each county and period that counts: awaiting review or accepted."""
    return submitted_reports(user).exclude(status=ReviewStatus.RETURNED)


def submitted_report(user, pk):
    report = submitted_reports(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def versions_of(user, report):
    """Every version of the report's county and period, newest first."""
    return list(submitted_reports(user).filter(county=report.county_id, deadline=report.deadline)
                .order_by("-version"))


def last_version(user, county_code, deadline):
    """The county's latest version of the period, or None."""
    return submitted_reports(user).filter(county=county_code, deadline=deadline).order_by("-version").first()


def period_overview(user, today=None):
    """Per reporting period (newest first): each visible county's report (its live version,
    else its last returned one), the status of its submission, the review, and the city's
    催报 (the last one, and how many)."""
    today = today or datetime.date.today()
    counties = list(counties_of(user).order_by("code"))
    reports = {}
    for report in submitted_reports(user).order_by("version"):  # the live or last version wins
        key = (report.county_id, report.deadline)
        if key not in reports or reports[key].status == ReviewStatus.RETURNED:
            reports[key] = report
    reminders = {}
    for reminder in visible_to(ReportReminder, user).order_by("sent_at"):
        entry = reminders.setdefault((reminder.county_id, reminder.deadline), {"count": 0})
        entry.update(count=entry["count"] + 1, last=reminder.sent_at)
    overview = []
    for period in reversed(periods.periods(today)):
        rows = []
        for county in counties:
            report = reports.get((county.pk, period.deadline))
            live = report if report is not None and report.status != ReviewStatus.RETURNED else None
            rows.append({"county": county, "report": report, "status": _status(period, live, today),
                         "reminded": reminders.get((county.pk, period.deadline))})
        overview.append({"period": period, "rows": rows,
                         "submitted": sum(1 for row in rows if row["status"] in ("submitted", "late")),
                         "late": [row["county"] for row in rows if row["status"] == "overdue"]})
    return overview


def _status(period, report, today):
    if report is not None:
        return "late" if report.is_late else "submitted"
    if period.cutoff >= today:
        return "upcoming"
    return "overdue" if period.deadline < today else "due"


def late_counties(user, period, today):
    """The user's counties whose table of ``period`` is late on ``today``: the deadline has
    passed and no version is awaiting review or accepted (a returned one is not submitted)."""
    if period.deadline >= today:
        return []
    done = live_reports(user).filter(deadline=period.deadline).values("county_id")
    return list(counties_of(user).exclude(pk__in=done).order_by("code"))


def trend(user, area):
    """Submitted figures per period for the area (a city's are summed over its counties):
    the live version of each county, returned ones left out."""
    reports = live_reports(user).filter(county__in=county_codes(area)).order_by("deadline")
    points = {}
    for report in reports:
        point = points.setdefault(report.cutoff, dict.fromkeys(dispatch_figures.KEYS, 0))
        for key in dispatch_figures.KEYS:
            point[key] += int(report.figures.get(key, 0))
    return points


def period_table(user, deadline):
    """The submitted tables of one period stacked for the user's area (city: its counties and a
    total of those submitted), with the reports behind it; 404 for a day that is no deadline."""
    period = periods.period_for(deadline)
    if period is None:
        raise Http404
    area = area_for(user)
    reports = list(live_reports(user).filter(deadline=deadline).order_by("county_id"))
    table = dispatch_figures.build_table(area, period.cutoff, figures={r.county_id: r.figures for r in reports})
    return period, reports, table


def open_reminders(user):
    """The city's last 催报 of each period the county has still not submitted (for its home)."""
    live = set(live_reports(user).values_list("county_id", "deadline"))
    latest = {}
    for reminder in visible_to(ReportReminder, user).order_by("sent_at"):
        latest[(reminder.county_id, reminder.deadline)] = reminder
    return [reminder for key, reminder in sorted(latest.items(), key=lambda item: item[0][1])
            if key not in live]
