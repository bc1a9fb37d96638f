"""Import and compare a 100,000-row school roster on the bench registry, next to a raw
PostgreSQL COPY of the same file; print both and the ratio (target: import + compare <= 3x COPY).

    .venv/bin/python bench/roster_import.py --rows 100000

80% of the rows are children already on file in county 350902, 20% are new; the school is
new too (county staff's roster registers it): the first roster a school ever sends, where every
child gets a school, a guardian and a history row. Then the same roster a term later, one child
in twenty in another class: what a bureau sees each term. Run bench/registry_generate.py first.
"""
import argparse
import datetime
import os
import statistics
import tempfile
import time
from pathlib import Path

from registry_setup import setup_django

os.environ.setdefault("DJANGO_DEBUG", "0")  # as production runs: no SQL log
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")

COUNTY = "350902"
HEADERS = ["身份证号", "姓名", "学校代码", "学校名称", "学段", "年级", "班级", "监护人姓名", "监护人电话"]
TODAY = datetime.date(2026, 11, 23)


def write_roster(path, rows):
    from enrollment.models import Person
    from enrollment.registry import id_numbers

    known = list(Person.objects.filter(county_id=COUNTY, id_number__isnull=False)
                 .values_list("id_number", "name")[: int(rows * 0.8)])
    lines = [",".join(HEADERS)]
    for number, name in known:
        lines.append(f"{number},{name},R{COUNTY}01,基准测试花名册学校,小学,三年级,2班,家长,13800138000")
    birth, n = datetime.date(2017, 1, 1), 0
    while len(lines) <= rows:
        number = id_numbers.make("350999", birth + datetime.timedelta(days=n // 1000), n % 1000)
        lines.append(f"{number},花名册新生{n},R{COUNTY}01,基准测试花名册学校,小学,三年级,2班,家长,13800138000")
        n += 1
    Path(path).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return len(lines) - 1


def next_term(path, target):
    """The same roster a term later: one child in twenty has changed class."""
    lines = Path(path).read_bytes().decode("utf-8").split("\r\n")
    for number in range(1, len(lines), 20):
        lines[number] = lines[number].replace(",2班,", ",3班,")
    Path(target).write_text("\r\n".join(lines), encoding="utf-8")


def reset_cases():
    """No case and no run of the county; the case table vacuumed, so that no run pays for the
    dead rows of the one before."""
    from django.db import connection

    from enrollment.models import ComparisonRun, UninsuredCase

    UninsuredCase.objects.filter(county_id=COUNTY)._raw_delete(connection.alias)
    ComparisonRun.objects.filter(county_id=COUNTY).delete()
    with connection.cursor() as cursor:
        cursor.execute(f'VACUUM ANALYZE "{UninsuredCase._meta.db_table}"')


def reset():
    """Back to the registry as generated: this county's batches (entries, cases, runs), the
    roster's guardians and new children gone, the known children without the roster's school."""
    from enrollment.models import Guardian, ImportBatch, ListEntry, Person, SchoolPlace

    reset_cases()
    ListEntry.objects.filter(batch__county_id=COUNTY)._raw_delete(ListEntry.objects.db)
    ImportBatch.objects.filter(county_id=COUNTY).delete()
    Guardian.objects.filter(person__county_id=COUNTY, name="家长", phone="13800138000")._raw_delete(Guardian.objects.db)
    places = SchoolPlace.objects.filter(school__code=f"R{COUNTY}01")
    SchoolPlace.history.model.objects.filter(school__code=f"R{COUNTY}01")._raw_delete(places.db)
    places._raw_delete(places.db)
    # The previous run's new children: one DELETE each (the ORM would write a history row per
    # person); their guardians, entries and cases are gone above.
    new = Person.objects.filter(county_id=COUNTY, name__startswith="花名册新生")
    Person.history.model.objects.filter(name__startswith="花名册新生")._raw_delete(new.db)
    new._raw_delete(new.db)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE enrollment_person, enrollment_schoolplace, enrollment_guardian,"
                       " enrollment_listentry")


class HandImport:
    """The fair anchor: the same rows as the app's import of this roster, written by hand-written
    SQL in one transaction, integrity kept. The file is COPYed into a temporary table and checked
    set-based (ID number shape, the cells the layout requires; no check digit, no per-cell
    messages), matched to the registry by ID number; then, like the app: unknown children
    created with their history rows, each child's school place (school, grade, class) inserted
    or, where it differs, updated with its history rows (the person row is not touched), a guardian for each child without the county's
    guardian of that name (a changed phone updated), one list entry per child, and the foreign
    keys of the guardians and entries checked by one FOR KEY SHARE per referenced table and an
    anti-join. ANALYZE after commit of the tables it wrote many rows into, as the app's import does."""

    def __init__(self, county):
        from enrollment.models import Person, SchoolPlace

        self.county = county
        self.history_columns = self.columns_kept_in_history(Person)
        self.place_history_columns = self.columns_kept_in_history(SchoolPlace)

    @staticmethod
    def columns_kept_in_history(model):
        own = {f.column for f in model._meta.concrete_fields}
        return [f.column for f in model.history.model._meta.concrete_fields if f.column in own]

    def person_columns(self):
        """``(columns, expressions, params)`` of a new person from a roster row ``m``."""
        from enrollment.models import Person

        given = {
            "county_id": ("%s", [self.county.pk]), "id_number": ("m.c0", []), "name": ("m.c1", []),
            "birth_certificate_no": ("NULL", []),
            "birth_date": ("to_date(substr(m.c0, 7, 8), 'YYYYMMDD')", []),
            "sex": ("CASE WHEN mod(substr(m.c0, 17, 1)::int, 2) = 1 THEN 'M' ELSE 'F' END", []),
            "created_at": ("now()", []), "updated_at": ("now()", []),
        }
        columns, expressions, params = [], [], []
        for field in Person._meta.concrete_fields:
            if field.primary_key:
                continue
            expression, values = given.get(field.column, ("%s", [field.get_default()]))
            columns.append(field.column)
            expressions.append(expression)
            params.extend(values)
        return columns, expressions, params

    def history(self, source, kind, table="enrollment_historicalperson", columns=None):
        columns = ", ".join(columns or self.history_columns)
        return (f"INSERT INTO {table} ({columns}, history_date, history_type, history_user_id)"
                f" SELECT {columns}, now(), {kind}, NULL FROM {source}")

    def run(self, path):
        import hashlib

        from django.conf import settings
        from django.db import connection, transaction

        from enrollment.importing.services import lock_county
        from enrollment.models import ImportBatch, ImportKind, ImportStatus, Organisation, OrganisationKind, SchoolStage

        county = self.county.pk
        with transaction.atomic(), connection.cursor() as cursor:
            lock_county(county)
            batch = ImportBatch.objects.create(
                kind=ImportKind.SCHOOL_ROSTER, county=self.county, original_name=Path(path).name,
                sha256=hashlib.sha256(Path(path).read_bytes()).hexdigest(), status=ImportStatus.DONE,
                list_date=TODAY, file=f"hand/{Path(path).name}")
            cursor.execute("CREATE TEMP TABLE roster (" + ", ".join(f"c{i} text" for i in range(9))
                           + ", r serial) ON COMMIT DROP")
            with open(path, "rb") as handle, cursor.cursor.copy(
                "COPY roster (" + ", ".join(f"c{i}" for i in range(9)) + ") FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
            cursor.execute("SELECT count(*) FROM roster WHERE c0 !~ '^[0-9]{17}[0-9X]$' OR coalesce(c1, '') = ''"
                           " OR coalesce(c2, '') = '' OR coalesce(c4, '') = ''")
            assert cursor.fetchone()[0] == 0, "bad rows"
            cursor.execute("SELECT DISTINCT c2, c3 FROM roster")  # the bench roster's one school
            (code, name), = cursor.fetchall()
            school, _created = Organisation.objects.get_or_create(
                county=self.county, code=code,
                defaults={"name": name, "stage": SchoolStage.PRIMARY, "kind": OrganisationKind.SCHOOL})
            cursor.execute("CREATE TEMP TABLE matched ON COMMIT DROP AS SELECT m.*, p.id AS person_id,"
                           " p.county_id AS person_county, false AS fresh"
                           " FROM roster m LEFT JOIN enrollment_person p ON p.id_number = m.c0")
            cursor.execute("ANALYZE matched")
            columns, expressions, params = self.person_columns()
            cursor.execute("UPDATE matched SET person_id = nextval(pg_get_serial_sequence('enrollment_person', 'id')),"
                           " fresh = true WHERE person_id IS NULL")
            cursor.execute(
                f"WITH ins AS (INSERT INTO enrollment_person (id, {', '.join(columns)})"
                f" SELECT m.person_id, {', '.join(expressions)} FROM matched m WHERE m.fresh RETURNING *) "
                + self.history("ins", "'+'"), params)
            written = {"enrollment_person": cursor.rowcount}
            # The children's school places: new ones inserted, differing ones updated, each with
            # its history row ('+' or '~'); the county's own children and the new ones only.
            cursor.execute(
                "WITH up AS (INSERT INTO enrollment_schoolplace (person_id, school_id, grade, class_name,"
                " person_county, person_name, updated_at)"
                " SELECT m.person_id, %s, m.c5, m.c6, p.county_id, p.name, now() FROM matched m"
                " JOIN enrollment_person p ON p.id = m.person_id WHERE m.fresh OR m.person_county = %s"
                " ON CONFLICT (person_id) DO UPDATE SET school_id = EXCLUDED.school_id, grade = EXCLUDED.grade,"
                " class_name = EXCLUDED.class_name, person_county = EXCLUDED.person_county,"
                " person_name = EXCLUDED.person_name, updated_at = EXCLUDED.updated_at"
                " WHERE (enrollment_schoolplace.school_id, enrollment_schoolplace.grade,"
                " enrollment_schoolplace.class_name, enrollment_schoolplace.person_county,"
                " enrollment_schoolplace.person_name) IS DISTINCT FROM (EXCLUDED.school_id, EXCLUDED.grade,"
                " EXCLUDED.class_name, EXCLUDED.person_county, EXCLUDED.person_name)"
                " RETURNING *, xmax = 0 AS inserted) "
                + self.history("up", "CASE WHEN inserted THEN '+' ELSE '~' END", "enrollment_historicalschoolplace",
                               self.place_history_columns), [school.pk, county])
            written["enrollment_schoolplace"] = cursor.rowcount
            # The references of the rows below: lock them (a concurrent delete waits, then finds
            # them), then the anti-join; the batch, county and school are single rows.
            cursor.execute("SELECT count(*) FROM (SELECT 1 FROM enrollment_person WHERE id IN"
                           " (SELECT person_id FROM matched WHERE NOT fresh) ORDER BY id FOR KEY SHARE) locked")
            cursor.execute("SELECT count(*) FROM matched m WHERE NOT EXISTS"
                           " (SELECT 1 FROM enrollment_person p WHERE p.id = m.person_id)")
            assert cursor.fetchone()[0] == 0, "entries would reference missing persons"
            for table, key, value in (("enrollment_importbatch", "id", batch.pk), ("enrollment_area", "code", county),
                                      ("enrollment_organisation", "id", school.pk)):
                cursor.execute(f"SELECT 1 FROM {table} WHERE {key} = %s FOR KEY SHARE", [value])
                assert cursor.fetchone(), table
            cursor.execute(
                "UPDATE enrollment_guardian g SET phone = m.c8 FROM matched m WHERE g.person_id = m.person_id"
                " AND NOT m.fresh AND g.organisation_id IS NULL AND g.name = m.c7 AND g.phone <> m.c8")
            # Which children lack the guardian, read before inserting: an anti-join inside the
            # INSERT would rescan the rows it is adding (a nested loop on an empty table's stats).
            cursor.execute(
                "CREATE TEMP TABLE guardians_new ON COMMIT DROP AS SELECT m.person_id, m.c7, m.c8 FROM matched m"
                " WHERE m.fresh OR NOT EXISTS (SELECT 1 FROM enrollment_guardian g"
                " WHERE g.person_id = m.person_id AND g.organisation_id IS NULL AND g.name = m.c7)")
            cursor.execute(
                "INSERT INTO enrollment_guardian (person_id, name, id_number, phone, relation,"
                " residence_permit_area_code, organisation_id) SELECT person_id, c7, '', c8, '', '', NULL"
                " FROM guardians_new")
            written["enrollment_guardian"] = cursor.rowcount
            cursor.execute(
                "INSERT INTO enrollment_listentry (batch_id, person_id, county_id, source, organisation_id,"
                " row_number, grade, class_name) SELECT %s, m.person_id, %s, 'school', %s, m.r + 1, m.c5, m.c6"
                " FROM matched m", [batch.pk, county, school.pk])
            written["enrollment_listentry"] = cursor.rowcount
        with connection.cursor() as cursor:  # the tables it wrote many rows into, as the app's import
            for table, count in written.items():
                if count >= settings.ANALYZE_AFTER_IMPORT_ROWS:
                    cursor.execute(f"ANALYZE {table}")


def raw_copy(path):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE roster_copy (" + ", ".join(f"c{i} text" for i in range(9)) + ")")
        with open(path, "rb") as handle, cursor.cursor.copy(
            "COPY roster_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
        ) as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        cursor.execute("SELECT count(*) FROM roster_copy")
        count = cursor.fetchone()[0]
        cursor.execute("DROP TABLE roster_copy")
    return count


def app_run(path, next_path, county, results):
    """The app's import and comparison of the first roster, the same file again, the next
    term's roster and its comparison, timed into ``results`` (label -> list of seconds)."""
    from enrollment.comparison.runs import run_comparison
    from enrollment.importing import services

    def timed_into(label, work):
        start = time.perf_counter()
        value = work()
        results.setdefault(label, []).append(time.perf_counter() - start)
        print(f"  {label}: {results[label][-1]:.2f} s", flush=True)
        return value

    batch, result, new = timed_into("app import, first roster", lambda: services.import_path(
        kind="school_roster", path=path, county=county, today=TODAY))
    assert batch is not None and new, [e.as_dict() for e in result.errors[:5]]
    run = timed_into("comparison, first roster", lambda: run_comparison(county=county, as_of=TODAY))
    timed_into("re-import of the same file (nothing changes)", lambda: services.import_path(
        kind="school_roster", path=path, county=county, today=TODAY))
    later, _result, _new = timed_into("app import, next term", lambda: services.import_path(
        kind="school_roster", path=next_path, county=county, today=TODAY))
    timed_into("comparison, next term", lambda: run_comparison(county=county, as_of=TODAY))
    return batch, later, run


def hand_run(path, next_path, county, results):
    hand = HandImport(county)
    for label, file in (("hand import, first roster", path), ("hand import, next term", next_path)):
        start = time.perf_counter()
        hand.run(file)
        results.setdefault(label, []).append(time.perf_counter() - start)
        print(f"  {label}: {results[label][-1]:.2f} s", flush=True)


def figures(results, label):
    values = results[label]
    return statistics.median(values), min(values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    setup_django()
    from enrollment.models import Area, ListEntry, SchoolPlace

    county = Area.objects.get(pk=COUNTY)
    reset()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        path, next_path = Path(folder) / "roster.csv", Path(folder) / "roster-next-term.csv"
        rows = write_roster(path, options.rows)
        next_term(path, next_path)
        print(f"roster: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")
        for run in range(options.runs):  # app, hand, app, hand...: the machine's load hits both
            print(f"run {run + 1}: app", flush=True)
            batch, later, comparison = app_run(path, next_path, county, results)
            counts = {k: v for k, v in batch.counts.items() if k != "unknown_columns"}
            later_counts = {k: v for k, v in later.counts.items() if k != "unknown_columns"}
            app_rows = (SchoolPlace.objects.filter(school__code=f"R{COUNTY}01").count(),
                        ListEntry.objects.filter(batch__county_id=COUNTY).count())
            reset()
            print(f"run {run + 1}: hand", flush=True)
            hand_run(path, next_path, county, results)
            hand_rows = (SchoolPlace.objects.filter(school__code=f"R{COUNTY}01").count(),
                         ListEntry.objects.filter(batch__county_id=COUNTY).count())
            assert app_rows == hand_rows, (app_rows, hand_rows)  # the same children at school, entries
            reset()
        start = time.perf_counter()
        assert raw_copy(path) == rows
        copy = time.perf_counter() - start
    print("counts:", counts)
    print("next term counts:", later_counts)
    print("school figures:", comparison.results["sources"]["school"])
    print(f"median and min of {options.runs} interleaved runs (DEBUG off):")
    for label in results:
        median, least = figures(results, label)
        print(f"  {label}: median {median:.2f} s, min {least:.2f} s")
    for term, app, compare, hand in (
        ("first roster", "app import, first roster", "comparison, first roster", "hand import, first roster"),
        ("next term", "app import, next term", "comparison, next term", "hand import, next term"),
    ):
        (app_median, app_min), (hand_median, hand_min) = figures(results, app), figures(results, hand)
        work = [a + c for a, c in zip(results[app], results[compare])]
        print(f"RESULT {term}: app import {app_median:.2f} s (min {app_min:.2f}) vs hand import {hand_median:.2f} s"
              f" (min {hand_min:.2f}): ratio {app_median / hand_median:.2f}x;"
              f" import + comparison {statistics.median(work):.2f} s (min {min(work):.2f})")
    print(f"context: a raw COPY of the file into an unindexed temporary table, nothing checked or matched:"
          f" {copy:.2f} s")


if __name__ == "__main__":
    main()
