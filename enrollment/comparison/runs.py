"""The comparison (数据比对): each partner list against enrollment as of a date.

Per source, by the one definition of ``listed`` (the same as the dispatch table's): the persons
on the counting lists (提供人数), insured here and insured only elsewhere on the date, found
uninsured on the list's date (比对未参保人数), insured after outreach (动员后参保人数) and still
uninsured. The still uninsured become ``UninsuredCase`` rows (the closed loop): one case per
child and insurance year, whatever number of lists found the child, with every source that
did. A run is refused, writing nothing, when no enrollment extract covers the insurance year
of its date: every child would read as uninsured. One pass over the lists (``onepass``) into
a temporary table, then one small query for the figures and an INSERT and an UPDATE per source
that found children still uninsured, whatever the size of the lists.
"""
import datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from ..importing.selectors import counting_lists
from ..models import EnrollmentRecord, ImportBatch, ImportKind, Scheme, UninsuredCase
from ..models.lists import COMPARED_SOURCES, ComparisonRun
from ..registry.periods import insurance_year
from . import listed, onepass
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


FIGURE_NAMES = tuple(listed.FIGURES)


def source_figures(cursor):
    """{source: {figure: persons}} of the ``comparison_flags`` just written, one small query."""
    figures = {source: dict.fromkeys(FIGURE_NAMES, 0) for source in COMPARED_SOURCES}
    cursor.execute(
        f"SELECT source, COUNT(*), {', '.join(f'SUM({name})' for name in FIGURE_NAMES[1:])}"
        f" FROM {onepass.TABLE} GROUP BY source")
    for source, *counts in cursor.fetchall():
        figures[source] = dict(zip(FIGURE_NAMES, (int(count) for count in counts)))
    return figures


def open_cases(cursor, source, *, county, year, found_on):
    """One case per child still uninsured on ``source``'s lists (per insurance year), written by
    one INSERT ... SELECT from ``comparison_flags``; a child's existing case (from another
    source or county) is left as it is, with its reason, and gets this source added to its
    sources. Returns the cases opened."""
    cases = UninsuredCase._meta.db_table
    cursor.execute(
        f'INSERT INTO "{cases}" (person_id, entry_id, county_id, source, sources, insurance_year, found_on,'
        f" reason, reason_note) SELECT person_id, case_entry, %s, %s, %s, %s, %s, '', ''"
        f" FROM {onepass.TABLE} WHERE source = %s AND case_entry IS NOT NULL"
        " ON CONFLICT DO NOTHING",
        [county.pk, source, source, year, found_on, source],
    )
    opened = cursor.rowcount
    persons = RawSQL(f"SELECT person_id FROM {onepass.TABLE} WHERE source = %s AND case_entry IS NOT NULL",
                     [source])
    add_case_source(UninsuredCase.objects.filter(insurance_year=year, person_id__in=persons), source)
    return opened


def duplicate_enrollments(county, year):
    """Persons (ids) of the county insured more than once in ``year`` (both schemes, or twice).
    A person has one record per scheme and year, so every such person has a record of a scheme
    other than the resident one, which few children have: those are read first, then each
    probed for another record, instead of counting every record of the year per person."""
    others = EnrollmentRecord.objects.filter(person_id=OuterRef("person_id"), year=year).exclude(pk=OuterRef("pk"))
    return (
        EnrollmentRecord.objects.filter(person__county=county, year=year, person__merged_into__isnull=True)
        .exclude(scheme=Scheme.RESIDENT)
        .filter(Exists(others))
        .values("person_id")
        .distinct()
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
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The grouping of a county's lists (100,000 rows, 25 MB) fits in memory instead of
            # spilling.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        if lists:
            onepass.write_flags(cursor, county=county.pk, lists=lists, cutoff=as_of)
            results["sources"] = source_figures(cursor)
            for source, figures in results["sources"].items():
                figures["cases_opened"] = (open_cases(cursor, source, county=county, year=year, found_on=as_of)
                                           if figures["still_uninsured"] else 0)
            cursor.execute(f"DROP TABLE {onepass.TABLE}")
        else:
            results["sources"] = {source: {**dict.fromkeys(FIGURE_NAMES, 0), "cases_opened": 0}
                                  for source in COMPARED_SOURCES}
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
