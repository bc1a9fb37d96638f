"""Reads of the import flow and of the lists that count. Every query that reaches a user
starts from ``scoping.visible_to``."""
from ..access.scoping import visible_to
from ..models import ImportBatch, ImportKind, ImportStatus
from ..registry.periods import years_before

LIST_KINDS = (ImportKind.SCHOOL_ROSTER, ImportKind.HEALTH_LIST, ImportKind.NEWBORNS)


def county_import_running(batch):
    """Whether another import of the batch's county is being written (internal: no user sees
    the answer's rows)."""
    return (ImportBatch.objects.filter(county_id=batch.county_id, status=ImportStatus.IMPORTING)
            .exclude(pk=batch.pk).exists())


def counting_lists(counties, cutoff):
    """The partner lists that count for the cut-off date ``cutoff``: {batch id: list date}.

    The one rule that the comparison, the dispatch table, its drill-down and its exports share.
    A list counts when its list date (数据截至日期, ``ImportBatch.list_date``) is on or before
    the cut-off and within a year of it (after the same day a year earlier). Of one partner's
    lists (county, list kind, uploading organisation) only the latest-dated counts, ties going
    to the later import: a school's roster replaced by its newer one no longer counts. County
    staff upload lists for many schools and clinics, so each of their imports counts on its own.
    When a list was received does not matter, so a table for a past cut-off recomputes the same
    whatever was imported since. One small query over the import batches: there are few."""
    batches = (
        ImportBatch.objects.filter(county__in=counties, kind__in=LIST_KINDS, status=ImportStatus.DONE,
                                   list_date__lte=cutoff, list_date__gt=years_before(cutoff, 1))
        .order_by("list_date", "imported_at", "pk")
        .values_list("pk", "county_id", "kind", "organisation_id", "list_date")
    )
    latest = {}
    for pk, county, kind, organisation, list_date in batches:
        # ordered by list date, then import: the partner's last list wins
        latest[(county, kind, organisation) if organisation is not None else pk] = (pk, list_date)
    return dict(sorted(latest.values()))


def import_batches(user):
    return visible_to(ImportBatch, user).select_related("uploaded_by__organisation", "uploaded_by__area", "organisation", "county")

