"""Time the dispatch table over N persons (default 1,000,000) on PostgreSQL next to a fair
anchor: hand-written, set-based SQL of the same figures (its own PostgreSQL spelling of the
rules: the counting lists chosen in SQL, FILTER clauses, bool_or). Every run checks the two
equal, figure by figure (exit status 1 if not). The city table (every county and the total row) and one county, ORM
and SQL interleaved RUNS times; prints the median and the min of each and the ratio of the
medians (target: <= 1.5; city <= 8 s, county <= 2 s at 1M). DEBUG off.

    .venv/bin/python bench/dispatch_table.py [--persons 1000000] [--reuse]

The registry comes from bench/registry_generate.py (run in a database of its own:
BENCH_DATABASE_URL, default .../portal_bench_dispatch). ``add_lists`` then adds, set-based:
last year's records for most children; records paid after a list's date, on it, after the
cut-off, in another county of the city and outside it; birth-certificate files merged into
newborns' ID files (some carry the platform enrollment date, some are on the health lists);
platform dates; and the partner lists, several per partner with list dates before, inside
and after the counting window, so the counting rule matters. ``--reuse`` keeps a filled
database (``--relist`` regenerates only the lists and the variety).

``--stored`` times the stored figures instead (reporting.dispatch.stored): the background
computation of the city's figures once, then the page's read of the stored table for a city
user (median of RUNS).
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
os.environ.setdefault("DJANGO_DEBUG", "0")  # as production runs: no SQL log
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")

from registry_setup import setup_django, timed  # noqa: E402

CUTOFF = datetime.date(2026, 10, 31)
CITY = "350900"
COUNTY = "350902"
RUNS = 3
D = datetime.date

# Partners of every county and their lists: (organisation kind or None for the county's own
# uploads, source, import kind, ages [low, high), list dates). Of one partner's lists the
# latest dated on or before the cut-off and after 2025-10-31 counts; the county's own uploads
# each count. Which persons a list holds: see ``_LIST_MEMBERS``.
PARTNERS = (
    ("kindergarten", "kindergarten", "school_roster", (3, 6),
     [D(2025, 9, 30), D(2026, 3, 31), D(2026, 9, 30), D(2026, 11, 15)]),  # too old, replaced, counts, too new
    ("kindergarten", "kindergarten", "school_roster", (3, 6), [D(2025, 12, 31), D(2026, 11, 15)]),  # last year's
    ("school", "school", "school_roster", (6, 18), [D(2026, 2, 28), D(2026, 6, 30), D(2026, 11, 20)]),
    ("school", "school", "school_roster", (6, 18), [D(2025, 10, 31), D(2026, 9, 1)]),  # a year to the day: out
    ("school", "school", "school_roster", (6, 18), [D(2025, 8, 31)]),  # only a list too old to count
    ("health_center", "health", "health_list", (0, 6), [D(2026, 1, 31), D(2026, 8, 31)]),
    ("village_clinic", "health", "health_list", (0, 6), [D(2026, 7, 31), D(2026, 12, 1)]),
    (None, "school", "school_roster", (6, 18), [D(2026, 5, 31), D(2026, 9, 30)]),  # both count
    (None, "health", "health_list", (0, 6), [D(2026, 6, 30)]),
)
# A partner's children: persons of its ages whose id falls to it; its latest list holds them
# all but a few, an earlier or later list a share (children who came and left). Persons are
# dealt to the counties in turn (registry_generate.py), so the variety goes by id / 10: each
# county gets all of it.
_LIST_MEMBERS = "((p.id / 10) %% {partners} = {slot}) AND ({latest} OR (p.id / 10) %% 5 = 0) AND (p.id / 10) %% 23 <> 0"


def generate(persons):
    import registry_generate

    argv, sys.argv = sys.argv, ["registry_generate.py", "--persons", str(persons)]
    try:
        registry_generate.main()
    finally:
        sys.argv = argv
    add_lists()


def _execute(cursor, sql, params=None):
    cursor.execute(sql, params)
    return cursor.rowcount


def add_variety(cursor):
    """Records of last year, paid late, on a list's date, elsewhere; merged files; platform dates."""
    _execute(cursor, "DELETE FROM enrollment_enrollmentrecord WHERE year = 2025 OR id IN ("
                     "SELECT e.id FROM enrollment_enrollmentrecord e JOIN enrollment_person p ON p.id = e.person_id"
                     " WHERE p.merged_into_id IS NOT NULL)")
    _execute(cursor, "UPDATE enrollment_person SET platform_enrolled_on = NULL WHERE platform_enrolled_on IS NOT NULL")
    _execute(cursor, "DELETE FROM enrollment_person WHERE merged_into_id IS NOT NULL")
    # this year's records for nine in ten children of every county (registry_generate.py leaves
    # out every tenth id: one whole county, as the counties are dealt in turn)
    _execute(cursor, "DELETE FROM enrollment_enrollmentrecord WHERE year = 2026")
    _execute(cursor, """
        INSERT INTO enrollment_enrollmentrecord
            (person_id, year, scheme, area_code, paid_on, channel, in_concentrated_period, catastrophic_paid)
        SELECT id, 2026, 'resident', county_id, DATE '2025-10-15', 'tax', true, 0
        FROM enrollment_person WHERE (id / 10) % 10 <> 0 AND merged_into_id IS NULL""")
    # last year's records (the lists dated in 2025 look at them), paid the autumn before
    _execute(cursor, """
        INSERT INTO enrollment_enrollmentrecord
            (person_id, year, scheme, area_code, paid_on, channel, in_concentrated_period, catastrophic_paid)
        SELECT id, 2025, 'resident', county_id,
               CASE WHEN (id / 10) % 7 = 0 THEN DATE '2025-12-31' WHEN (id / 10) % 7 = 1 THEN DATE '2026-01-10'
                    ELSE DATE '2024-10-15' END, 'tax', true, 0
        FROM enrollment_person WHERE (id / 10) % 10 NOT IN (0, 9) AND birth_date < DATE '2025-01-01'""")
    updates = (
        ("area_code = '350100'", "(person_id / 10) % 20 = 1"),  # insured outside the city
        ("area_code = CASE WHEN area_code = '350902' THEN '350921' ELSE '350902' END", "(person_id / 10) % 20 = 3"),
        ("paid_on = DATE '2026-07-15'", "(person_id / 10) % 20 = 2"),  # after the June lists, before the cut-off
        ("paid_on = DATE '2026-11-05'", "(person_id / 10) % 20 = 4"),  # after the cut-off
        ("paid_on = DATE '2026-06-30'", "(person_id / 10) % 20 = 5"),  # on a list's date: insured on it
        ("paid_on = DATE '2026-09-30'", "(person_id / 10) % 20 = 6"),  # on the latest rosters' date
        ("paid_on = DATE '2026-10-31'", "(person_id / 10) % 20 = 7"),  # on the cut-off
    )
    for change, where in updates:
        _execute(cursor, f"UPDATE enrollment_enrollmentrecord SET {change} WHERE year = 2026 AND {where}")
    _execute(cursor, """UPDATE enrollment_person SET platform_enrolled_on = birth_date + 10
                        WHERE birth_date >= DATE '2025-11-01' AND (id / 10) % 3 = 1""")
    # birth-certificate files merged into a newborn's ID file; some carry the platform date
    _execute(cursor, """
        INSERT INTO enrollment_person
            (birth_certificate_no, name, birth_date, sex, county_id, hukou_area_code, residence_area_code,
             residence_permit, created_at, updated_at, residence_permit_no, status,
             merged_into_id, platform_enrolled_on)
        SELECT 'Q' || id, name, birth_date, sex, county_id, hukou_area_code, residence_area_code, false,
               created_at, updated_at, '', 'active', id,
               CASE WHEN (id / 10) % 2 = 0 THEN birth_date + 5 END
        FROM enrollment_person WHERE birth_date >= DATE '2025-11-01' AND (id / 10) % 3 <> 1 AND merged_into_id IS NULL""")
    _execute(cursor, """
        INSERT INTO enrollment_enrollmentrecord
            (person_id, year, scheme, area_code, paid_on, channel, in_concentrated_period, catastrophic_paid)
        SELECT id, 2026, 'resident', county_id, birth_date + 20, 'tax', false, 0
        FROM enrollment_person WHERE merged_into_id IS NOT NULL AND (id / 10) % 4 = 0""")


def add_lists():
    """The partner lists of every county (``PARTNERS``), the merged files on the health lists,
    and the variety of records (``add_variety``)."""
    from django.db import connection
    from django.utils import timezone

    from enrollment.models import Area, ImportBatch, Organisation
    from enrollment.registry.periods import years_before

    results = {}
    counties = sorted(Area.objects.filter(parent_id=CITY, level="county").values_list("code", flat=True))
    with connection.cursor() as cursor:
        for table in ("enrollment_uninsuredcase", "enrollment_listentry"):
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DELETE FROM enrollment_importbatch WHERE kind IN ('school_roster', 'health_list')")
    with timed("records of last year, paid late or elsewhere, merged files, platform dates", results), \
            connection.cursor() as cursor:
        add_variety(cursor)
    with timed("partner lists (INSERT ... SELECT per list)", results), connection.cursor() as cursor:
        for code in counties:
            for slot, (kind, source, import_kind, (low, high), dates) in enumerate(PARTNERS):
                organisation = None
                if kind:
                    organisation = Organisation.objects.get_or_create(
                        county_id=code, code=f"BENCH-{code}-{slot}",
                        defaults={"kind": kind, "name": f"基准{kind}{slot}"})[0].pk
                for number, list_date in enumerate(dates):
                    imported = timezone.make_aware(datetime.datetime.combine(list_date, datetime.time(9)))
                    batch = ImportBatch.objects.create(
                        kind=import_kind, county_id=code, organisation_id=organisation, file="imports/bench.csv",
                        original_name=f"{source}-{slot}-{number}.csv", sha256="0" * 64, status="done",
                        imported_at=imported + datetime.timedelta(days=3), list_date=list_date)
                    same_source = [s for s in PARTNERS if s[1] == source]
                    members = _LIST_MEMBERS.format(
                        partners=len(same_source), slot=same_source.index(PARTNERS[slot]),
                        latest="true" if number == len(dates) - 1 or list_date == D(2026, 9, 30) else "false")
                    cursor.execute(f"""
                        INSERT INTO enrollment_listentry
                            (batch_id, person_id, county_id, source, organisation_id, row_number, grade, class_name)
                        SELECT %s, p.id, %s, %s, %s, row_number() OVER (), '', ''
                        FROM enrollment_person p
                        WHERE p.county_id = %s AND p.merged_into_id IS NULL
                          AND p.birth_date <= %s AND p.birth_date > %s AND {members}""",
                                   [batch.pk, code, source, organisation, code, years_before(list_date, low),
                                    years_before(list_date, high)])
        # the birth-certificate files on the county's own health list (merged since: not counted)
        cursor.execute("""
            INSERT INTO enrollment_listentry
                (batch_id, person_id, county_id, source, organisation_id, row_number, grade, class_name)
            SELECT b.id, m.id, m.county_id, 'health', NULL, 1000000 + m.id, '', ''
            FROM enrollment_person m JOIN enrollment_importbatch b
              ON b.county_id = m.county_id AND b.kind = 'health_list' AND b.organisation_id IS NULL
            WHERE m.merged_into_id IS NOT NULL AND m.birth_date <= b.list_date""")
    with timed("VACUUM ANALYZE", results):
        cursor = connection.cursor()
        for table in ("person", "enrollmentrecord", "listentry", "importbatch"):
            cursor.execute(f"VACUUM ANALYZE enrollment_{table}")


# The hand-written anchor. The counting lists in SQL (latest per partner; each of the county's
# own uploads); the entries grouped once per county, source and child over their days insured
# (found uninsured on some list of a year <=> not insured by the earliest of those list dates;
# likewise insured after outreach); each block read once for the counties and the total: no
# correlated probe, no COUNT(DISTINCT).
_LISTS = """
    SELECT id, list_date FROM (
        SELECT id, list_date, organisation_id,
               row_number() OVER (PARTITION BY county_id, kind, organisation_id
                                  ORDER BY list_date DESC, imported_at DESC, id DESC) AS latest
        FROM enrollment_importbatch
        WHERE county_id = ANY(%(counties)s) AND kind IN ('school_roster', 'health_list', 'newborns')
          AND status = 'done' AND list_date <= %(cutoff)s AND list_date > %(year_ago)s
    ) b WHERE organisation_id IS NULL OR latest = 1"""

HAND_ENTRIES = f"""
WITH lists AS ({_LISTS}),
days AS (  -- this year's records, last year's of the children on last year's lists, platform dates
    SELECT person_id, year, paid_on AS day, area_code FROM enrollment_enrollmentrecord
    WHERE year = %(year)s AND paid_on <= %(cutoff)s
    UNION ALL
    SELECT person_id, year, paid_on, area_code FROM enrollment_enrollmentrecord
    WHERE year = %(year)s - 1 AND paid_on <= %(cutoff)s AND person_id IN (
        SELECT le.person_id FROM enrollment_listentry le JOIN lists l ON l.id = le.batch_id
        WHERE extract(year FROM l.list_date) < %(year)s)
    UNION ALL
    SELECT coalesce(merged_into_id, id), extract(year FROM platform_enrolled_on)::int, platform_enrolled_on, NULL
    FROM enrollment_person WHERE platform_enrolled_on BETWEEN make_date(%(year)s - 1, 1, 1) AND %(cutoff)s
),
groups AS (  -- per county, source and child: the earliest list date of each year, days insured
    SELECT le.county_id, le.source, le.person_id,
           min(l.list_date) FILTER (WHERE extract(year FROM l.list_date) = %(year)s) AS listed_now,
           min(l.list_date) FILTER (WHERE extract(year FROM l.list_date) < %(year)s) AS listed_before,
           min(d.day) FILTER (WHERE d.year = %(year)s) AS first_now,
           max(d.day) FILTER (WHERE d.year = %(year)s) AS last_now,
           min(d.day) FILTER (WHERE d.year = %(year)s - 1) AS first_before,
           coalesce(bool_or(d.year = %(year)s AND d.area_code = le.county_id), false) AS here
    FROM enrollment_listentry le
    JOIN lists l ON l.id = le.batch_id
    LEFT JOIN days d ON d.person_id = le.person_id
    WHERE le.county_id = ANY(%(counties)s)
      AND NOT EXISTS (SELECT 1 FROM enrollment_person m WHERE m.id = le.person_id AND m.merged_into_id IS NOT NULL)
    GROUP BY le.county_id, le.source, le.person_id
),
children AS (
    SELECT county_id, source, person_id, here,
           coalesce(first_now > listed_now, listed_now IS NOT NULL)
           OR coalesce(first_before > listed_before, listed_before IS NOT NULL) AS uninsured,
           coalesce(first_now > listed_now, false)
           OR coalesce(last_now > listed_before AND coalesce(first_before > listed_before, true), false)
           AS after_outreach
    FROM groups
)
SELECT county_id, {{counts}} FROM children GROUP BY county_id
{{total}}"""
HAND_ENTRIES_TOTAL = """UNION ALL SELECT NULL, {counts} FROM (
    SELECT source, person_id, bool_or(uninsured) AS uninsured, bool_or(after_outreach) AS after_outreach,
           bool_or(here) AS here
    FROM children GROUP BY source, person_id) together"""

HAND_INSURED = """
WITH insured AS (
    SELECT DISTINCT r.area_code AS county_id, r.person_id, p.birth_date
    FROM enrollment_enrollmentrecord r JOIN enrollment_person p ON p.id = r.person_id
    WHERE r.year = %(year)s AND r.paid_on <= %(cutoff)s AND r.area_code = ANY(%(counties)s)
      AND p.merged_into_id IS NULL AND p.birth_date <= %(cutoff)s AND p.birth_date > %(born_19)s
)
SELECT county_id, count(*) AS insured_total, {bands} FROM insured GROUP BY county_id
{total}"""
HAND_INSURED_TOTAL = """UNION ALL SELECT NULL, count(*), {bands}
FROM (SELECT DISTINCT person_id, birth_date FROM insured) together"""

HAND_NEWBORNS = """
SELECT p.county_id, count(*) AS newborns FROM enrollment_person p
WHERE p.merged_into_id IS NULL AND p.county_id = ANY(%(counties)s)
  AND p.birth_date BETWEEN %(period_start)s AND %(cutoff)s
  AND (p.platform_enrolled_on <= %(cutoff)s OR EXISTS (
      SELECT 1 FROM enrollment_person m WHERE m.merged_into_id = p.id AND m.platform_enrolled_on <= %(cutoff)s))
GROUP BY {group}"""


def _list_counts():
    counts = []
    for source, prefix, flags in (("kindergarten", "kg", ("uninsured", "after_outreach", "insured")),
                                  ("school", "school", ("uninsured", "after_outreach", "insured")),
                                  ("health", "health", ("uninsured", "after_outreach"))):
        counts.append(f"count(*) FILTER (WHERE source = '{source}') AS {prefix}_provided")
        for flag in flags:
            condition = "here" if flag == "insured" else flag
            counts.append(f"count(*) FILTER (WHERE source = '{source}' AND {condition}) AS {prefix}_{flag}")
    return ", ".join(counts)


def hand_written(counties, cutoff, with_total):
    """The figures {county code: {key: int}}, and {None: {...}} for the counties taken together
    (each child once) when ``with_total``. One query per block."""
    from django.db import connection, transaction

    from enrollment.registry.periods import years_before
    from reporting.dispatch.figures import AGE_BANDS, KEYS, newborn_period_start

    params = {"counties": counties, "cutoff": cutoff, "year": cutoff.year, "year_ago": years_before(cutoff, 1),
              "period_start": newborn_period_start(cutoff), **{f"born_{n}": years_before(cutoff, n) for n in range(20)}}
    bands = ", ".join(
        f"count(*) FILTER (WHERE birth_date <= %(born_{low})s AND birth_date > %(born_{high + (high == 18)})s)"
        f" AS age_{low}_{high}" for low, high in AGE_BANDS)
    counts = _list_counts()
    queries = (
        HAND_INSURED.format(bands=bands, total=HAND_INSURED_TOTAL.format(bands=bands) if with_total else ""),
        HAND_NEWBORNS.format(group="GROUPING SETS ((p.county_id), ())" if with_total else "p.county_id"),
        HAND_ENTRIES.format(counts=counts, total=HAND_ENTRIES_TOTAL.format(counts=counts) if with_total else ""),
    )
    figures = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # as the portal's connections (config/settings.py)
        for sql in queries:
            cursor.execute(sql, params)
            names = [column.name for column in cursor.description]
            for row in cursor.fetchall():
                values = dict(zip(names, row))
                figures.setdefault(row[0], {}).update(
                    {key: int(value or 0) for key, value in values.items() if key in KEYS})
    for values in figures.values():
        for key in KEYS:
            values.setdefault(key, 0)
    return figures


def orm_city(city):
    """The city table as the page computes it: every county and the total row."""
    from reporting.dispatch import figures as dispatch

    table = dispatch.build_table(city, CUTOFF)
    return {row.code if not row.is_total else None: row.figures for row in table.rows}


def orm_county(county):
    from reporting.dispatch import figures as dispatch

    return dispatch.compute([county], CUTOFF)


def sql_city(counties):
    return hand_written(counties, CUTOFF, with_total=True)


def check_equal(label, orm, sql):
    """Exit with status 1 unless both give every figure alike."""
    codes = sorted(set(orm) | set(sql), key=str)
    wrong = [code for code in codes if orm.get(code) != sql.get(code)]
    for code in wrong:
        print(f"MISMATCH {label} {code or 'total'}:",
              {key: (orm.get(code, {}).get(key), sql.get(code, {}).get(key))
               for key in set(orm.get(code, {})) | set(sql.get(code, {}))
               if orm.get(code, {}).get(key) != sql.get(code, {}).get(key)})
    if wrong:
        sys.exit(1)


def timed_run(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def measure_stored(city):
    from enrollment.models import Role, User
    from reporting.dispatch import stored as stored_figures

    start = time.perf_counter()
    stored_figures.compute_area(area_code=city.pk, cutoff=CUTOFF)
    compute_seconds = time.perf_counter() - start
    reader = User(username="bench-city", role=Role.CITY, area=city, is_active=True)  # never saved
    times = []
    for _ in range(RUNS):
        seconds, (table, stored) = timed_run(lambda: stored_figures.table_for(user=reader, area=city, cutoff=CUTOFF))
        times.append(seconds)
    assert table is not None and stored.computed_at is not None, "the page did not read the stored figures"
    print(f"background computation (task / nightly beat run): {compute_seconds * 1000:8.1f} ms")
    print(f"page read of the stored table (what a user waits): {statistics.median(times) * 1000:8.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the bench database if already filled")
    parser.add_argument("--relist", action="store_true", help="with --reuse: regenerate the lists and variety")
    parser.add_argument("--stored", action="store_true", help="time the stored figures, not the live table")
    options = parser.parse_args()
    setup_django()
    from django.conf import settings

    from enrollment.models import Area, ListEntry, Person
    from reporting.dispatch import figures as dispatch

    assert not settings.DEBUG
    if not (options.reuse and Person.objects.exists()):
        generate(options.persons)
    elif options.relist or not ListEntry.objects.exists():
        add_lists()
    city = Area.objects.get(pk=CITY)
    counties = [county.pk for county in dispatch.counties_of(city)]
    print(f"registry: {Person.objects.count():,} person files, {ListEntry.objects.count():,} list entries"
          f" ({len(dispatch.current_batches(counties, CUTOFF))} counting lists); city {city.name},"
          f" {len(counties)} counties, cut-off {CUTOFF}; {RUNS} interleaved runs; load {os.getloadavg()[0]:.2f}")
    if options.stored:
        measure_stored(city)
        return
    county = Area.objects.get(pk=COUNTY)
    variants = {
        "city, ORM (figures.build_table)": lambda: orm_city(city),
        "city, hand SQL": lambda: sql_city(counties),
        f"county {county.pk}, ORM (figures.compute)": lambda: orm_county(county),
        f"county {county.pk}, hand SQL": lambda: hand_written([county.pk], CUTOFF, with_total=False),
    }
    times = {label: [] for label in variants}
    for _ in range(RUNS):
        results = {}
        for label, function in variants.items():
            seconds, results[label] = timed_run(function)
            times[label].append(seconds)
        labels = list(variants)
        check_equal("city", results[labels[0]], results[labels[1]])
        check_equal("county", results[labels[2]], results[labels[3]])
    total = results[labels[0]][None]
    print("city total:", ", ".join(f"{key}={value}" for key, value in total.items()))
    for label in variants:
        print(f"{label:40s} median {statistics.median(times[label]):6.2f} s   min {min(times[label]):6.2f} s")
    for orm_label, sql_label in ((labels[0], labels[1]), (labels[2], labels[3])):
        ratio = statistics.median(times[orm_label]) / statistics.median(times[sql_label])
        print(f"ratio {orm_label.split(',')[0]} ORM / SQL: {ratio:.2f} (target <= 1.5)")
    print(f"every run equal, figure by figure; load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
