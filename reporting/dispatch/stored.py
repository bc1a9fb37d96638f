"""Writes of the stored dispatch figures: computed in the background, on request or nightly.

The dispatch table of a city takes 12-16 s to compute at 1,000,000 persons on a shared 2-core
machine (bench/README.md, "Dispatch table at a million persons"), so the pages and exports
show figures stored per county and cut-off (``DispatchFigures``), with the time they were
computed. A Celery task computes an area's figures (``compute_area``) when staff ask
for it; beat refreshes the current period's figures of every county each night
(``refresh_current``). When nothing is stored for a table yet, a small area's figures are
computed for the page without being stored, and a large one waits for the button
(``table_for``): opening a page never computes or queues anything.
"""
import dataclasses

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from enrollment.models import Area, AreaLevel, Person

from .. import periods, selectors
from ..models import DispatchFigures
from . import figures as dispatch_figures


def live_limit():
    """Areas with at most this many person files are computed on the spot when nothing is
    stored (about 1.5 s at 100,000 persons on PostgreSQL): settings.DISPATCH_LIVE_LIMIT."""
    return settings.DISPATCH_LIVE_LIMIT


def is_small(area):
    """Whether the area's table is quick enough to compute while the user waits."""
    counties = selectors.county_codes(area)
    return Person.objects.filter(county_id__in=counties)[: live_limit() + 1].count() <= live_limit()


def _upsert(objects, fields):
    DispatchFigures.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=["county", "cutoff"], update_fields=fields,
    )


def store(counties, cutoff, *, started_at=None, city_totals=False):
    """Compute the figures of ``counties`` (Areas or codes) as of ``cutoff`` and store them,
    ending any computation marked as under way for them.

    ``computed_at`` is when the computation started (``started_at``, else now): the data it
    read. Only requests made before then are ended; one made while it ran (an import landing)
    stays queued for the run it queued. Figures a later-started run already stored are kept.
    ``city_totals`` (``counties`` are then Areas making up whole cities): each city's total
    row is stored too, each child counted once.
    """
    started_at = started_at or timezone.now()
    figures = _city_figures(counties, cutoff) if city_totals else dispatch_figures.compute(counties, cutoff)
    with transaction.atomic():
        rows = DispatchFigures.objects.select_for_update().filter(county__in=list(figures), cutoff=cutoff)
        newer = set(rows.filter(computed_at__gt=started_at).values_list("county", flat=True))
        _upsert(
            [DispatchFigures(county_id=code, cutoff=cutoff, figures=values, computed_at=started_at)
             for code, values in figures.items() if code not in newer],
            ["figures", "computed_at"],
        )
        _end_requests_until(rows, started_at)
    return figures


def _city_figures(counties, cutoff):
    """``{code: figures}`` of ``counties`` (Areas making up whole cities) and of each of their
    cities, the city's total row counting each child once (``dispatch_figures.compute_with_total``)."""
    by_city = {}
    for county in counties:
        by_city.setdefault(county.parent_id, []).append(county.pk)
    figures = {}
    for city, codes in by_city.items():
        if not city:
            figures.update(dispatch_figures.compute(codes, cutoff))
            continue
        county_figures, figures[city] = dispatch_figures.compute_with_total(codes, cutoff)
        figures.update(county_figures)
    return figures


def _end_requests_until(rows, started_at):
    """Clear the marks of the computations requested by ``started_at`` (those a run that
    started then covers)."""
    rows.filter(queued_at__lte=started_at).update(queued_at=None, started_at=None)


def _compute_marked(counties, cutoff, *, city_totals=False):
    """``store``, with the counties marked as being computed meanwhile (cleared on failure)."""
    codes = [getattr(county, "pk", county) for county in counties]
    now = timezone.now()
    _upsert([DispatchFigures(county_id=code, cutoff=cutoff, queued_at=now, started_at=now) for code in codes],
            ["started_at"])
    marked = DispatchFigures.objects.filter(county__in=codes, cutoff=cutoff)
    marked.filter(queued_at__isnull=True).update(queued_at=now)
    try:
        return store(counties if city_totals else codes, cutoff, started_at=now, city_totals=city_totals)
    except BaseException:
        _end_requests_until(marked, now)
        raise


def compute_area(*, area_code, cutoff):
    """The background computation of one area's table (a county, or a city's counties)."""
    area = Area.objects.get(pk=area_code)
    counties = dispatch_figures.counties_of(area)
    _compute_marked(counties, cutoff, city_totals=not area.is_county)
    return {"area": area_code, "cutoff": cutoff.isoformat(), "counties": len(counties)}


def refresh_current(*, today=None):
    """Beat's nightly run: every county's figures as of the cut-off the table opens on."""
    cutoff = periods.default_cutoff(today or timezone.localdate())
    counties = list(Area.objects.filter(level=AreaLevel.COUNTY).order_by("code"))
    _compute_marked(counties, cutoff, city_totals=True)
    return {"cutoff": cutoff.isoformat(), "counties": len(counties)}


def request_computation(*, area, cutoff, now=None):
    """Queue a background computation of the area's table; False (nothing queued) when one is
    already waiting for a worker for every county of it. One that has started has read its
    data already, so a request made while it runs (an import landing) queues a new one."""
    from ..tasks import compute_dispatch_figures

    now = now or timezone.now()
    codes = selectors.county_codes(area)
    with transaction.atomic():
        DispatchFigures.objects.bulk_create(
            [DispatchFigures(county_id=code, cutoff=cutoff) for code in codes], ignore_conflicts=True,
        )
        rows = DispatchFigures.objects.select_for_update().filter(county__in=codes, cutoff=cutoff)
        waiting = Q(queued_at__gt=now - DispatchFigures.PENDING_FOR, started_at__isnull=True)
        if codes and not rows.exclude(waiting).exists():
            return False
        rows.update(queued_at=now, started_at=None)
        transaction.on_commit(lambda: compute_dispatch_figures.delay(area.pk, cutoff.isoformat()))
    return True


def recompute_after_import(*, county_code, today=None):
    """An import landed in the county: queue a recomputation of its stored figures for the
    cut-off the table opens on, when there are some (with none, the next visit computes them)."""
    cutoff = periods.default_cutoff(today or timezone.localdate())
    if DispatchFigures.objects.filter(county_id=county_code, cutoff=cutoff, figures__isnull=False).exists():
        return request_computation(area=Area.objects.get(pk=county_code), cutoff=cutoff)
    return False


def table_for(*, user, area, cutoff):
    """The area's dispatch table from the stored figures, and what is stored (``StoredFigures``).

    ``area`` must come from ``selectors.area_for`` (the user's scope). Reading never writes:
    with nothing stored, a small area's figures are computed for the page (``live``) and not
    kept; a large one's table is None until staff ask for it (``request_computation``).
    """
    stored = selectors.stored_figures(user, area, cutoff)
    if stored.figures is None:
        if not is_small(area):
            return None, stored
        stored = dataclasses.replace(stored, computed_at=timezone.now(), live=True)
        return dispatch_figures.build_table(area, cutoff), stored
    return dispatch_figures.build_table(area, cutoff, figures=stored.figures), stored
