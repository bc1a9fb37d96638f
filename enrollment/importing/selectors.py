"""Reads of the import flow and of the lists that count. Every query that reaches a user
starts from ``scoping.visible_to``."""
import datetime

from django.db.models.functions import Coalesce
from django.utils import timezone

from ..access.scoping import visible_to
from ..models import ImportBatch, ImportKind, ImportStatus

LIST_KINDS = (ImportKind.SCHOOL_ROSTER, ImportKind.HEALTH_LIST, ImportKind.NEWBORNS)


def county_import_running(batch):
    """Whether another import of the batch's county is being written (internal: no user sees
    the answer's rows)."""
    return (ImportBatch.objects.filter(county_id=batch.county_id, status=ImportStatus.IMPORTING)
            .exclude(pk=batch.pk).exists())


LIST_WINDOW_DAYS = 365  # a partner's list counts for a year (a school year)


def list_window_start(day):
    """The first moment a list may have been received and still count on ``day``: within
    LIST_WINDOW_DAYS before the end of ``day``."""
    return timezone.make_aware(datetime.datetime.combine(
        day - datetime.timedelta(days=LIST_WINDOW_DAYS - 1), datetime.time()))


def current_list_imports(counties, *, since, until=None):
    """Ids of the partner lists that count: for each county, list kind and uploading partner,
    the latest finished import received at or after ``since`` (and before ``until``, when
    given): a school's roster replaced by its newer one no longer counts. County staff upload
    lists for many schools and clinics, so each of their imports counts on its own. One small
    query over the import batches: there are few of them."""
    batches = (
        ImportBatch.objects.filter(county__in=counties, kind__in=LIST_KINDS, status=ImportStatus.DONE)
        .annotate(at=Coalesce("imported_at", "uploaded_at"))
        .filter(at__gte=since, **({"at__lt": until} if until is not None else {}))
        .order_by("at", "pk")
        .values_list("pk", "county_id", "kind", "organisation_id")
    )
    latest = {}
    for pk, county, kind, organisation in batches:
        # ordered by time: the partner's last list wins
        latest[(county, kind, organisation) if organisation is not None else pk] = pk
    return sorted(latest.values())


def import_batches(user):
    return visible_to(ImportBatch, user).select_related("uploaded_by__organisation", "uploaded_by__area", "organisation", "county")

