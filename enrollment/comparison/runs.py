"""The comparison (数据比对): each partner list against enrollment as of a date.

Per source: the persons on the list (提供人数), insured here, insured only elsewhere (异地参保),
insured nowhere (比对未参保人数). The uninsured become ``UninsuredCase`` rows (the closed
loop); a case stays, with the reason staff give it, until an enrollment extract shows the
child insured (``services.close_insured_cases``). Everything is a handful of set-based
queries per source, whatever the size of the lists.
"""
import datetime

from django.db import connection, transaction
from django.db.models import Count, Max, Q

from ..importing.selectors import current_list_imports, list_window_start
from ..models import (
    EnrollmentRecord,
    ListEntry,
    Person,
    UninsuredCase,
)
from ..models.lists import COMPARED_SOURCES, ComparisonRun
from ..registry.periods import insurance_year
from ..registry.selectors import insured_as_of


def current_lists(county, as_of):
    """The county's lists that count on ``as_of``: the latest list of each partner received
    within a year before it (a list received after it still counts: partners send lists after
    the date they describe). A roster replaced by a newer one no longer counts, as in the
    dispatch table."""
    return current_list_imports([county.pk], since=list_window_start(as_of))


def listed_entries(county, source, batch_ids):
    """Entries of one source on the lists ``batch_ids`` (from ``current_lists``)."""
    return ListEntry.objects.filter(
        county=county, source=source, batch_id__in=batch_ids, person__merged_into__isnull=True,
    )


def source_figures(county, source, as_of, batch_ids):
    persons = Person.objects.filter(pk__in=listed_entries(county, source, batch_ids).values("person_id"))
    here = insured_as_of(as_of, area_code=county.pk)
    anywhere = insured_as_of(as_of)
    return persons.aggregate(
        on_list=Count("pk"),
        insured_here=Count("pk", filter=Q(here)),
        insured_elsewhere=Count("pk", filter=Q(anywhere) & ~Q(here)),
        uninsured=Count("pk", filter=~Q(anywhere)),
    )


def open_cases(county, source, as_of, batch_ids, *, found_on):
    """One case per uninsured person on the list (per source and insurance year), written by
    one INSERT ... SELECT; a case that exists already is left as it is, with its reason."""
    year = insurance_year(as_of)
    latest_entries = (
        listed_entries(county, source, batch_ids)
        .filter(~insured_as_of(as_of, person_ref="person_id"))
        .values("person_id")
        .annotate(entry_id=Max("pk"))
        .values_list("person_id", "entry_id")
    )
    select_sql, params = latest_entries.query.sql_with_params()
    cases = UninsuredCase._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{cases}" (person_id, entry_id, county_id, source, insurance_year, found_on,'
            f" reason, reason_note) SELECT listed.*, %s, %s, %s, %s, '', '' FROM ({select_sql}) AS listed"
            " WHERE true"  # SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT
            " ON CONFLICT DO NOTHING",
            [county.pk, source, year, found_on, *params],
        )
        return cursor.rowcount


def duplicate_enrollments(county, year):
    """Persons of the county insured more than once in ``year`` (both schemes, or twice)."""
    return (
        EnrollmentRecord.objects.filter(person__county=county, year=year, person__merged_into__isnull=True)
        .values("person_id")
        .annotate(records=Count("pk"))
        .filter(records__gt=1)
    )


@transaction.atomic
def run_comparison(*, county, as_of=None, user=None):
    """Compare every partner list of ``county`` with enrollment as of ``as_of``; open the
    cases of the uninsured; keep the figures as a ``ComparisonRun``."""
    as_of = as_of or datetime.date.today()
    results = {"year": insurance_year(as_of), "sources": {}}
    batch_ids = current_lists(county, as_of)
    for source in COMPARED_SOURCES:
        figures = source_figures(county, source, as_of, batch_ids)
        if figures["on_list"]:
            figures["cases_opened"] = open_cases(county, source, as_of, batch_ids, found_on=as_of)
        else:
            figures["cases_opened"] = 0
        results["sources"][source] = figures
    results["duplicate_enrollment"] = duplicate_enrollments(county, insurance_year(as_of)).count()
    return ComparisonRun.objects.create(county=county, as_of=as_of, run_by=user, results=results)
