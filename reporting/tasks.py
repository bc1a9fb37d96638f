"""Celery tasks of the reporting app: thin wrappers around ``stored_figures``."""
from celery import shared_task

from enrollment.registry.periods import parse_iso_date

from .dispatch import stored as stored_figures


@shared_task(name="reporting.compute_dispatch_figures")
def compute_dispatch_figures(area_code, cutoff):
    """Compute and store the dispatch figures of one area (county or city) as of ``cutoff``
    (ISO date); queued by the page's recompute button or a first visit to a large area."""
    return stored_figures.compute_area(area_code=area_code, cutoff=parse_iso_date(cutoff))


@shared_task(name="reporting.refresh_dispatch_figures")
def refresh_dispatch_figures(today=None):
    """Beat runs this every night (schedule in django-celery-beat, editable in the admin);
    ``today`` (ISO date) only for a run by hand."""
    return stored_figures.refresh_current(today=parse_iso_date(today))
