"""The comparison (数据比对) of a 100,000-row school roster on the bench registry, next to ONE
hand-written SQL statement that writes the same cases; interleaved, checked equal on every run;
prints the median, the min and the ratio (target: the app within 1.5x of the statement).

    .venv/bin/python bench/comparison.py [--rows 100000] [--runs 3] [--reuse]

The roster is bench/roster_import.py's first roster (80% children on file in county 350902,
20% new), imported through the app (which analyses the tables it wrote once it has committed).
Each run starts from no case and no comparison run of the county. The app's run computes the
figures of every source, writes the cases and counts duplicate enrollment; the statement only
writes the cases (one INSERT ... SELECT ... ON CONFLICT DO UPDATE, with the app's rules: one case
per child and insurance year, every source that found the child in ``sources``, the county whose
list found it, ``found_on`` the date compared, the child's latest still-uninsured list row).
``--reuse`` keeps a roster already imported by an earlier run. Run bench/registry_generate.py
first.
"""
import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import roster_import
from registry_setup import setup_django

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

COUNTY, TODAY = roster_import.COUNTY, roster_import.TODAY
CASE_COLUMNS = ("person_id", "insurance_year", "county_id", "source", "sources", "entry_id", "found_on", "reason",
                "reason_note", "insured_on", "closed_by_id")

# The hand-written statement: every condition of enrollment/comparison/listed.py, as joins and
# anti-joins the planner may turn into hash or nested-loop joins as it sees fit.
STATEMENT = """
WITH lists AS (
    SELECT id AS batch_id, list_date, EXTRACT(YEAR FROM list_date)::int AS list_year
    FROM enrollment_importbatch WHERE id = ANY(%(lists)s)
), still AS (
    SELECT e.person_id, e.source, MAX(e.id) AS entry_id
    FROM enrollment_listentry e
    JOIN lists l ON l.batch_id = e.batch_id
    JOIN enrollment_person p ON p.id = e.person_id
    WHERE e.county_id = %(county)s AND e.source = ANY(%(sources)s)
      AND p.merged_into_id IS NULL AND p.status = 'active'
      AND NOT EXISTS (SELECT FROM enrollment_enrollmentrecord r
                      WHERE r.person_id = e.person_id AND r.year = l.list_year AND r.paid_on <= l.list_date)
      AND NOT EXISTS (SELECT FROM enrollment_enrollmentrecord r
                      WHERE r.person_id = e.person_id AND r.year = %(year)s AND r.paid_on <= %(as_of)s)
      AND NOT COALESCE(p.platform_enrolled_on <= l.list_date
                       AND EXTRACT(YEAR FROM p.platform_enrolled_on) = l.list_year, false)
      AND NOT COALESCE(p.platform_enrolled_on <= %(as_of)s
                       AND EXTRACT(YEAR FROM p.platform_enrolled_on) = %(year)s, false)
      AND NOT EXISTS (SELECT FROM enrollment_person m WHERE m.merged_into_id = e.person_id
                      AND ((m.platform_enrolled_on <= l.list_date
                            AND EXTRACT(YEAR FROM m.platform_enrolled_on) = l.list_year)
                           OR (m.platform_enrolled_on <= %(as_of)s
                               AND EXTRACT(YEAR FROM m.platform_enrolled_on) = %(year)s)))
    GROUP BY e.person_id, e.source
), per_child AS (
    SELECT s.person_id,
           (ARRAY_AGG(s.source ORDER BY o.ord))[1] AS source,
           (ARRAY_AGG(s.entry_id ORDER BY o.ord))[1] AS entry_id,
           STRING_AGG(s.source, ',' ORDER BY o.ord) AS sources
    FROM still s JOIN UNNEST(%(sources)s::text[]) WITH ORDINALITY AS o(source, ord) ON o.source = s.source
    GROUP BY s.person_id
)
INSERT INTO enrollment_uninsuredcase AS c
    (person_id, entry_id, county_id, source, sources, insurance_year, found_on, reason, reason_note)
SELECT person_id, entry_id, %(county)s, source, sources, %(year)s, %(as_of)s, '', '' FROM per_child
ON CONFLICT (person_id, insurance_year) DO UPDATE SET sources = (
    SELECT STRING_AGG(x.s, ',' ORDER BY x.o) FROM (
        SELECT t.s, t.o
        FROM UNNEST(STRING_TO_ARRAY(COALESCE(NULLIF(c.sources, ''), c.source), ',')) WITH ORDINALITY AS t(s, o)
        UNION ALL
        SELECT t.s, 1000 + t.o FROM UNNEST(STRING_TO_ARRAY(EXCLUDED.sources, ',')) WITH ORDINALITY AS t(s, o)
        WHERE POSITION(t.s IN COALESCE(NULLIF(c.sources, ''), c.source)) = 0
    ) x)
WHERE EXISTS (SELECT FROM UNNEST(STRING_TO_ARRAY(EXCLUDED.sources, ',')) AS n(s) WHERE POSITION(n.s IN c.sources) = 0)
"""


def one_statement(county):
    from django.db import connection, transaction

    from enrollment.importing.selectors import counting_lists
    from enrollment.models.lists import COMPARED_SOURCES

    lists = counting_lists([county.pk], TODAY)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(STATEMENT, {"lists": list(lists), "county": county.pk, "sources": list(COMPARED_SOURCES),
                                   "year": TODAY.year, "as_of": TODAY})


def app(county):
    from enrollment.comparison.runs import run_comparison

    return run_comparison(county=county, as_of=TODAY)


def written_cases():
    from enrollment.models import UninsuredCase

    return set(UninsuredCase.objects.filter(county_id=COUNTY).values_list(*CASE_COLUMNS))


def import_roster(county, rows):
    """bench/roster_import.py's first roster, imported through the app after its reset."""
    from enrollment.importing import services

    roster_import.reset()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        rows = roster_import.write_roster(path, rows)
        start = time.perf_counter()
        batch, result, _new = services.import_path(kind="school_roster", path=path, county=county, today=TODAY)
        assert batch is not None, [e.as_dict() for e in result.errors[:5]]
        print(f"roster of {rows:,} rows imported in {time.perf_counter() - start:.1f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep a roster imported by an earlier run")
    options = parser.parse_args()
    setup_django()
    from django.conf import settings

    from enrollment.models import Area

    assert not settings.DEBUG
    county = Area.objects.get(pk=COUNTY)
    if not options.reuse:
        import_roster(county, options.rows)
    times = {"app": [], "statement": []}
    for run in range(options.runs):
        cases = {}
        for name, variant in (("app", app), ("statement", one_statement)):
            roster_import.reset_cases()
            start = time.perf_counter()
            variant(county)
            times[name].append(time.perf_counter() - start)
            cases[name] = written_cases()
            print(f"run {run + 1} {name}: {times[name][-1]:.2f} s, {len(cases[name]):,} cases", flush=True)
        assert cases["app"] == cases["statement"], (
            f"the cases differ: {len(cases['app'] - cases['statement'])} only the app's,"
            f" {len(cases['statement'] - cases['app'])} only the statement's")
    for name, values in times.items():
        print(f"{name}: median {statistics.median(values):.2f} s, min {min(values):.2f} s")
    medians = statistics.median(times["app"]) / statistics.median(times["statement"])
    mins = min(times["app"]) / min(times["statement"])
    print(f"RESULT comparison {medians:.2f}x the one statement (medians; mins {mins:.2f}x; target <= 1.5x);"
          f" load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
