"""Reads of the reporting app: every query starts from the user's scope."""
import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from enrollment.access.scoping import visible_to
from enrollment.access.selectors import counties_of
from enrollment.models import Role
from enrollment.registry import selectors as registry

from . import periods
from .dispatch import figures as dispatch_figures
from .models import DispatchFigures, SubmittedReport


def areas_for(user):
    """The areas whose table a bureau user may see: its counties, and its city for city staff."""
    counties = list(counties_of(user).order_by("code"))
    if user.role == Role.CITY:
        return [user.area, *counties]
    return counties


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
    return visible_to(SubmittedReport, user).select_related("county", "submitted_by")


def submitted_report(user, pk):
    report = submitted_reports(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def period_overview(user, today=None):
    """Per reporting period (newest first): each visible county's report or its status."""
    today = today or datetime.date.today()
    counties = list(counties_of(user).order_by("code"))
    reports = {(r.county_id, r.deadline): r for r in submitted_reports(user)}
    overview = []
    for period in reversed(periods.periods(today)):
        rows = []
        for county in counties:
            report = reports.get((county.pk, period.deadline))
            rows.append({"county": county, "report": report, "status": _status(period, report, today)})
        overview.append({"period": period, "rows": rows})
    return overview


def _status(period, report, today):
    if report is not None:
        return "late" if report.is_late else "submitted"
    if period.cutoff >= today:
        return "upcoming"
    return "overdue" if period.deadline < today else "due"


def trend(user, area):
    """Submitted figures per period for the area (a city's are summed over its counties)."""
    reports = submitted_reports(user).filter(county__in=county_codes(area)).order_by("deadline")
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
    reports = list(submitted_reports(user).filter(deadline=deadline).order_by("county_id"))
    table = dispatch_figures.build_table(area, period.cutoff, figures={r.county_id: r.figures for r in reports})
    return period, reports, table
