"""The comparison (数据比对): each partner list against enrollment as of a date.

Per source, by the one definition of ``listed`` (the same as the dispatch table's): the persons
on the counting lists (提供人数), insured here and insured only elsewhere on the date, found
uninsured on the list's date (比对未参保人数), insured after outreach (动员后参保人数) and still
uninsured. The still uninsured become ``UninsuredCase`` rows (the closed loop): one case per
child and insurance year, whatever number of lists found the child, with every source that
did. A run is refused, writing nothing, when no enrollment extract covers the insurance year
of its date: every child would read as uninsured. A handful of set-based queries per source,
whatever the size of the lists.
"""
import datetime

from django.db import connection, transaction
from django.db.models import Count, Max, Q

from ..importing.selectors import counting_lists
from ..models import EnrollmentRecord, ImportBatch, ImportKind, PersonStatus, UninsuredCase
from ..models.lists import COMPARED_SOURCES, ComparisonRun
from ..registry.periods import insurance_year
from . import listed
from .services import add_case_source


class ComparisonRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def extract_covers(county, year):
    """Whether the enrollment data hold insurance year ``year`` for ``county``: a record of that
    year from one of the county's extracts, or insured in the county."""
    return EnrollmentRecord.objects.filter(
        Q(batch__county=county, batch__kind=ImportKind.ENROLLMENT) | Q(area_code=county.pk), year=year,
    ).exists()


def source_figures(county, source, as_of, lists):
    rows = listed.entries([county.pk], lists, source)
    return rows.aggregate(**{
        name: Count("person_id", filter=condition(lists, as_of), distinct=True)
        for name, condition in listed.FIGURES.items()
    })


def open_cases(county, source, as_of, lists, *, found_on):
    """One case per child still uninsured (per insurance year), written by one INSERT ...
    SELECT; a child's existing case (from another source or county) is left as it is, with its
    reason, and gets this source added to its sources. Returns the cases opened."""
    year = insurance_year(as_of)
    still = (
        listed.figure_entries([county.pk], lists, source, "still_uninsured", as_of)
        .filter(person__status=PersonStatus.ACTIVE)  # no case (nor reminders) for a departed child
        .values("person_id")
        .annotate(entry_id=Max("pk"))
        .values_list("person_id", "entry_id")
    )
    select_sql, params = still.query.sql_with_params()
    cases = UninsuredCase._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{cases}" (person_id, entry_id, county_id, source, sources, insurance_year, found_on,'
            f" reason, reason_note) SELECT listed.*, %s, %s, %s, %s, %s, '', '' FROM ({select_sql}) AS listed"
            " WHERE true"  # SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT
            " ON CONFLICT DO NOTHING",
            [county.pk, source, source, year, found_on, *params],
        )
        opened = cursor.rowcount
    persons = (listed.figure_entries([county.pk], lists, source, "still_uninsured", as_of)
               .filter(person__status=PersonStatus.ACTIVE).values("person_id"))
    add_case_source(UninsuredCase.objects.filter(insurance_year=year, person_id__in=persons), source)
    return opened


def duplicate_enrollments(county, year):
    """Persons of the county insured more than once in ``year`` (both schemes, or twice)."""
    return (
        EnrollmentRecord.objects.filter(person__county=county, year=year, person__merged_into__isnull=True)
        .values("person_id")
        .annotate(records=Count("pk"))
        .filter(records__gt=1)
    )


def _lists_used(lists):
    names = dict(ImportBatch.objects.filter(pk__in=list(lists)).values_list("pk", "original_name"))
    return [{"id": pk, "name": names.get(pk, ""), "list_date": day.isoformat()} for pk, day in lists.items()]


@transaction.atomic
def run_comparison(*, county, as_of=None, user=None):
    """Compare every counting list of ``county`` with enrollment as of ``as_of``; open the
    cases of the still uninsured; keep the figures as a ``ComparisonRun``. Raises
    ``ComparisonRefused`` (nothing written) when no extract covers the year of ``as_of``."""
    as_of = as_of or datetime.date.today()
    year = insurance_year(as_of)
    if not extract_covers(county, year):
        raise ComparisonRefused(
            f"尚未导入覆盖{year}参保年度的参保数据，无法比对：名单上的儿童都会被误判为未参保。"
            f"请先导入{year}年度的参保数据，或选择已有参保数据的日期。")
    lists = counting_lists([county.pk], as_of)
    results = {"year": year, "sources": {}, "lists": _lists_used(lists)}
    for source in COMPARED_SOURCES:
        figures = source_figures(county, source, as_of, lists)
        figures["cases_opened"] = open_cases(county, source, as_of, lists, found_on=as_of) if figures["on_list"] else 0
        results["sources"][source] = figures
    results["duplicate_enrollment"] = duplicate_enrollments(county, year).count()
    return ComparisonRun.objects.create(county=county, as_of=as_of, run_by=user, results=results)


def people_of_run(persons, run, source, figure):
    """The persons behind one figure of ``run``, ``persons`` already scoped: recomputed with the
    lists the run compared (kept on the run), so a list dated before the run's date but
    received after the run does not change its people; a run without them (older than list
    dates) takes the lists that count on its date."""
    kept = run.results.get("lists")
    lists = ({item["id"]: datetime.date.fromisoformat(item["list_date"]) for item in kept}
             if kept is not None else counting_lists([run.county_id], run.as_of))
    rows = listed.figure_entries([run.county_id], lists, source, figure, run.as_of)
    return persons.filter(pk__in=rows.values("person_id"))
