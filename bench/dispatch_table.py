"""Time the city dispatch table over N persons (default 1,000,000) on PostgreSQL, next to one
hand-written SQL aggregate of the same figures; print both, check they agree, print the ratio
(target: ORM <= 1.5 x hand-written SQL).

    .venv/bin/python bench/dispatch_table.py [--persons 1000000] [--reuse]

The registry comes from bench/registry_generate.py (imported, run in a database of its own:
BENCH_DATABASE_URL, default .../portal_bench_dispatch); partner lists, uninsured cases,
platform dates and a few records elsewhere or paid late are then added set-based
(INSERT ... SELECT). ``--reuse`` skips generation when the database is already filled.

``--stored`` times the stored figures instead (reporting.dispatch.stored): the background
computation of the city's figures once (what the task and beat run), then the page's read of
the stored table for a city user (median of 5), which is what a user clicking waits for.
"""
import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://portal:portal@127.0.0.1:5432/portal_bench_dispatch")

from registry_setup import setup_django, timed  # noqa: E402

CUTOFF = datetime.date(2026, 10, 31)
CITY = "350900"
RUNS = 5


def generate(persons):
    import registry_generate

    argv, sys.argv = sys.argv, ["registry_generate.py", "--persons", str(persons)]
    try:
        registry_generate.main()
    finally:
        sys.argv = argv
    add_lists_and_cases()


def add_lists_and_cases():
    """Lists of the three sources per county, cases for the uninsured on them, and variety."""
    from django.db import connection
    from django.utils import timezone

    from enrollment.models import Area, ImportBatch

    results = {}
    counties = list(Area.objects.filter(parent_id=CITY, level="county").values_list("code", flat=True))
    imported = timezone.make_aware(datetime.datetime(2026, 9, 15, 10))
    with connection.cursor() as cursor:
        for table in ("enrollment_uninsuredcase", "enrollment_listentry", "enrollment_importbatch"):
            cursor.execute(f"DELETE FROM {table}")  # not TRUNCATE ... CASCADE: records point to batches
    batches = {}
    for code in counties:
        for source, kind in (("kindergarten", "school_roster"), ("school", "school_roster"), ("health", "health_list")):
            batches[(code, source)] = ImportBatch.objects.create(
                kind=kind, county_id=code, file="imports/bench.csv", original_name=f"{source}.csv",
                sha256="0" * 64, status="done", imported_at=imported,
            ).pk
    # Kindergarten and school rosters are separate uploads of one county: give them distinct
    # uploading groups by marking the kindergarten one as uploaded a minute earlier is not
    # enough (the latest per county, kind and organisation wins), so the school roster is
    # uploaded by the county's bench school.
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE enrollment_importbatch b SET organisation_id = o.id FROM enrollment_organisation o
            WHERE o.code = 'BENCH-' || b.county_id AND b.original_name = 'school.csv'""")
    ages = {"kindergarten": (3, 6), "school": (6, 18), "health": (0, 6)}
    with timed("list entries (INSERT ... SELECT)", results), connection.cursor() as cursor:
        for (code, source), batch in batches.items():
            low, high = ages[source]
            cursor.execute("""
                INSERT INTO enrollment_listentry (batch_id, person_id, county_id, source, row_number, grade, class_name)
                SELECT %s, id, county_id, %s, id, '', '' FROM enrollment_person
                WHERE county_id = %s AND birth_date <= %s AND birth_date > %s AND (%s <> 'health' OR id %% 2 = 0)
            """, [batch, source, code, _years_before(low), _years_before(high), source])
    with timed("records elsewhere / paid late, platform dates, cases", results), connection.cursor() as cursor:
        cursor.execute("UPDATE enrollment_enrollmentrecord SET area_code = '350100' WHERE person_id % 20 = 1")
        cursor.execute("UPDATE enrollment_enrollmentrecord SET paid_on = DATE '2026-11-05' WHERE person_id % 20 = 2")
        cursor.execute("""
            UPDATE enrollment_person SET platform_enrolled_on = birth_date + 10
            WHERE birth_date >= DATE '2026-01-01' AND id % 3 <> 0""")
        cursor.execute("""
            INSERT INTO enrollment_uninsuredcase
                (person_id, county_id, source, entry_id, insurance_year, found_on, reason, reason_note, insured_on)
            SELECT DISTINCT ON (le.person_id, le.source) le.person_id, le.county_id, le.source, le.id, 2026,
                   DATE '2026-09-20', '', '', CASE WHEN le.person_id %% 40 = 0 THEN DATE '2026-10-10' END
            FROM enrollment_listentry le
            WHERE NOT EXISTS (SELECT 1 FROM enrollment_enrollmentrecord e WHERE e.person_id = le.person_id
                              AND e.year = 2026 AND e.paid_on <= %s)
            ORDER BY le.person_id, le.source""", [CUTOFF])
        cursor.execute("ANALYZE enrollment_person, enrollment_enrollmentrecord, enrollment_listentry,"
                       " enrollment_uninsuredcase, enrollment_importbatch")


def _years_before(years):
    from enrollment.registry.periods import years_before

    return years_before(CUTOFF, years)


HAND_WRITTEN = """
WITH current_batches AS (
    SELECT DISTINCT ON (county_id, kind, organisation_id) id
    FROM enrollment_importbatch
    WHERE county_id = ANY(%(counties)s) AND kind IN ('school_roster', 'health_list', 'newborns')
      AND COALESCE(imported_at, uploaded_at) < %(end)s AND COALESCE(imported_at, uploaded_at) >= %(start)s
    ORDER BY county_id, kind, organisation_id, COALESCE(imported_at, uploaded_at) DESC, id DESC
),
persons AS (
    SELECT p.county_id,
           count(*) FILTER (WHERE h.here) AS insured_total,
           count(*) FILTER (WHERE h.here AND p.birth_date > %(b1)s) AS age_0_1,
           count(*) FILTER (WHERE h.here AND p.birth_date <= %(b1)s AND p.birth_date > %(b3)s) AS age_1_3,
           count(*) FILTER (WHERE h.here AND p.birth_date <= %(b3)s AND p.birth_date > %(b6)s) AS age_3_6,
           count(*) FILTER (WHERE h.here AND p.birth_date <= %(b6)s AND p.birth_date > %(b9)s) AS age_6_9,
           count(*) FILTER (WHERE h.here AND p.birth_date <= %(b9)s AND p.birth_date > %(b12)s) AS age_9_12,
           count(*) FILTER (WHERE h.here AND p.birth_date <= %(b12)s AND p.birth_date > %(b15)s) AS age_12_15,
           count(*) FILTER (WHERE h.here AND p.birth_date <= %(b15)s) AS age_15_18,
           count(*) FILTER (WHERE p.birth_date >= %(jan1)s AND (p.platform_enrolled_on <= %(cutoff)s
               OR EXISTS (SELECT 1 FROM enrollment_person m WHERE m.merged_into_id = p.id
                          AND m.platform_enrolled_on <= %(cutoff)s))) AS newborns
    FROM enrollment_person p
    LEFT JOIN LATERAL (
        SELECT true AS here FROM enrollment_enrollmentrecord e
        WHERE e.person_id = p.id AND e.year = %(year)s AND e.paid_on <= %(cutoff)s AND e.area_code = p.county_id
        LIMIT 1
    ) h ON true
    WHERE p.merged_into_id IS NULL AND p.county_id = ANY(%(counties)s)
      AND p.birth_date <= %(cutoff)s AND p.birth_date > %(b19)s
    GROUP BY p.county_id
),
entries AS (
    SELECT le.county_id,
           count(DISTINCT le.person_id) FILTER (WHERE le.source = 'kindergarten') AS kg_provided,
           count(DISTINCT le.person_id) FILTER (WHERE le.source = 'kindergarten' AND NOT i.anywhere) AS kg_uninsured,
           count(DISTINCT le.person_id) FILTER (WHERE le.source = 'kindergarten' AND i.here) AS kg_insured,
           count(DISTINCT le.person_id) FILTER (WHERE le.source = 'school') AS school_provided,
           count(DISTINCT le.person_id) FILTER (WHERE le.source = 'school' AND NOT i.anywhere) AS school_uninsured,
           count(DISTINCT le.person_id) FILTER (WHERE le.source = 'school' AND i.here) AS school_insured,
           count(DISTINCT le.person_id) FILTER (WHERE le.source = 'health') AS health_provided,
           count(DISTINCT le.person_id) FILTER (WHERE le.source = 'health' AND NOT i.anywhere) AS health_uninsured
    FROM enrollment_listentry le
    JOIN current_batches b ON b.id = le.batch_id
    JOIN enrollment_person p ON p.id = le.person_id AND p.merged_into_id IS NULL
    LEFT JOIN LATERAL (
        SELECT COALESCE(bool_or(true), false) AS anywhere, COALESCE(bool_or(e.area_code = le.county_id), false) AS here
        FROM enrollment_enrollmentrecord e
        WHERE e.person_id = le.person_id AND e.year = %(year)s AND e.paid_on <= %(cutoff)s
    ) i ON true
    WHERE le.county_id = ANY(%(counties)s)
    GROUP BY le.county_id
),
cases AS (
    SELECT c.county_id,
           count(DISTINCT c.person_id) FILTER (WHERE c.source = 'kindergarten') AS kg_after_outreach,
           count(DISTINCT c.person_id) FILTER (WHERE c.source = 'school') AS school_after_outreach,
           count(DISTINCT c.person_id) FILTER (WHERE c.source = 'health') AS health_after_outreach
    FROM enrollment_uninsuredcase c
    JOIN enrollment_person p ON p.id = c.person_id AND p.merged_into_id IS NULL
    WHERE c.county_id = ANY(%(counties)s) AND c.insurance_year = %(year)s
      AND c.found_on <= %(cutoff)s AND c.insured_on <= %(cutoff)s
    GROUP BY c.county_id
)
SELECT a.code, persons.*, entries.*, cases.*
FROM enrollment_area a
LEFT JOIN persons ON persons.county_id = a.code
LEFT JOIN entries ON entries.county_id = a.code
LEFT JOIN cases ON cases.county_id = a.code
WHERE a.code = ANY(%(counties)s)
ORDER BY a.code
"""


def hand_written(counties, cutoff):
    from django.db import connection, transaction

    from enrollment.registry.periods import years_before
    from reporting.dispatch.figures import KEYS, _end_of

    params = {
        "counties": counties, "cutoff": cutoff, "year": cutoff.year, "jan1": datetime.date(cutoff.year, 1, 1),
        "end": _end_of(cutoff), "start": _end_of(cutoff - datetime.timedelta(days=365)),
        **{f"b{n}": years_before(cutoff, n) for n in (1, 3, 6, 9, 12, 15, 19)},
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # the same session setting as reporting.dispatch.figures
        cursor.execute(HAND_WRITTEN, params)
        names = [column.name for column in cursor.description]
        figures = {}
        for row in cursor.fetchall():
            values = dict(zip(names, row))  # later duplicates (county_id) do not matter
            figures[row[0]] = {key: int(values.get(key) or 0) for key in KEYS}
    return figures


def measure(function):
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure_stored(city):
    from enrollment.models import Role, User
    from reporting.dispatch import stored as stored_figures

    start = time.perf_counter()
    stored_figures.compute_area(area_code=city.pk, cutoff=CUTOFF)
    compute_seconds = time.perf_counter() - start
    reader = User(username="bench-city", role=Role.CITY, area=city, is_active=True)  # never saved
    read_seconds, (table, stored) = measure(lambda: stored_figures.table_for(user=reader, area=city, cutoff=CUTOFF))
    assert table is not None and stored.computed_at is not None, "the page did not read the stored figures"
    print("city total:", ", ".join(f"{key}={value}" for key, value in table.rows[-1].figures.items()))
    print(f"background computation (task / nightly beat run): {compute_seconds * 1000:8.1f} ms")
    print(f"page read of the stored table (what a user waits): {read_seconds * 1000:8.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the bench database if already filled")
    parser.add_argument("--stored", action="store_true", help="time the stored figures, not the live table")
    options = parser.parse_args()
    setup_django()
    from enrollment.models import Area, ListEntry, Person
    from reporting.dispatch import figures as dispatch

    if not (options.reuse and Person.objects.exists()):
        generate(options.persons)
    elif not ListEntry.objects.exists():
        add_lists_and_cases()
    city = Area.objects.get(pk=CITY)
    counties = [county.pk for county in dispatch.counties_of(city)]
    print(f"registry: {Person.objects.count():,} persons; city {city.name}, {len(counties)} counties, "
          f"cut-off {CUTOFF}; median of {RUNS} runs")
    if options.stored:
        measure_stored(city)
        return
    orm_seconds, table = measure(lambda: dispatch.build_table(city, CUTOFF))
    sql_seconds, figures = measure(lambda: hand_written(counties, CUTOFF))
    orm_figures = {row.code: row.figures for row in table.rows if not row.is_total}
    if orm_figures != figures:
        for code in counties:
            if orm_figures[code] != figures[code]:
                print("MISMATCH", code, orm_figures[code], figures[code])
        sys.exit(1)
    total = table.rows[-1].figures
    print("city total:", ", ".join(f"{key}={value}" for key, value in total.items()))
    print(f"ORM (reporting.dispatch.figures.build_table): {orm_seconds * 1000:8.1f} ms")
    print(f"hand-written SQL aggregate:           {sql_seconds * 1000:8.1f} ms")
    print(f"ratio ORM / SQL: {orm_seconds / sql_seconds:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
