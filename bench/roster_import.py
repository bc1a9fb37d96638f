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
import tempfile
from pathlib import Path

from registry_setup import setup_django, timed

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


def reset():
    from enrollment.models import ComparisonRun, Guardian, ImportBatch, Person, UninsuredCase

    Guardian.objects.filter(person__county_id=COUNTY, name="家长", phone="13800138000").delete()
    Person.objects.filter(school__code=f"R{COUNTY}01").update(school=None, grade="", class_name="")
    UninsuredCase.objects.filter(county_id=COUNTY).delete()
    ComparisonRun.objects.filter(county_id=COUNTY).delete()
    ImportBatch.objects.filter(county_id=COUNTY).delete()
    # The previous run's new children: one DELETE each (the ORM would write a history row per
    # person); their guardians, entries and cases are gone above.
    new = Person.objects.filter(county_id=COUNTY, name__startswith="花名册新生")
    Person.history.model.objects.filter(name__startswith="花名册新生")._raw_delete(new.db)
    new._raw_delete(new.db)


def entries_floor(batch):
    """The least any import must write: this roster's list entries COPYed again into the list
    table (its indexes and foreign keys, committed), then removed. Returns the seconds."""
    import time

    from django.db import connection, transaction

    from enrollment.models import ImportBatch, ListEntry

    columns = ("person_id", "county_id", "source", "organisation_id", "row_number", "grade", "class_name")
    rows = list(ListEntry.objects.filter(batch=batch).values_list(*columns))
    copy = ImportBatch.objects.create(kind=batch.kind, county_id=batch.county_id, sha256="floor" + batch.sha256[5:],
                                      original_name="floor.csv", file=batch.file.name)
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY enrollment_listentry (batch_id, {', '.join(columns)}) FROM STDIN") as stream:
            for row in rows:
                stream.write_row((copy.pk, *row))
    seconds = time.perf_counter() - start
    ListEntry.objects.filter(batch=copy)._raw_delete(connection.alias)
    copy.delete()
    return seconds


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    options = parser.parse_args()
    setup_django()
    from enrollment.comparison.runs import run_comparison
    from enrollment.importing import services
    from enrollment.models import Area

    county = Area.objects.get(pk=COUNTY)
    reset()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        rows = write_roster(path, options.rows)
        print(f"roster: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")
        with timed("raw COPY of the file", results):
            assert raw_copy(path) == rows
        with timed("import (read, validate, match, write)", results):
            batch, result, new = services.import_path(kind="school_roster", path=path, county=county,
                                                      today=TODAY)
            assert batch is not None and new, [e.as_dict() for e in result.errors[:5]]
        with timed("comparison", results):
            run = run_comparison(county=county, as_of=TODAY)
        with timed("re-import of the same file (nothing changes)", results):
            services.import_path(kind="school_roster", path=path, county=county, today=TODAY)
        next_path = Path(folder) / "roster-next-term.csv"
        next_term(path, next_path)
        with timed("next term's roster: import", results):
            later, _result, _new = services.import_path(kind="school_roster", path=next_path, county=county,
                                                        today=TODAY)
        with timed("next term's roster: comparison", results):
            run_comparison(county=county, as_of=TODAY)
    floor = entries_floor(batch)
    print("counts:", {k: v for k, v in batch.counts.items() if k != "unknown_columns"})
    print("school figures:", run.results["sources"]["school"])
    work = results["import (read, validate, match, write)"] + results["comparison"]
    copy = results["raw COPY of the file"]
    print(f"RESULT import+compare {work:.2f} s vs COPY {copy:.2f} s: ratio {work / copy:.1f}x (target <= 3x)")
    term = results["next term's roster: import"] + results["next term's roster: comparison"]
    print("next term counts:", {k: v for k, v in later.counts.items() if k != "unknown_columns"})
    print(f"RESULT next term's roster import+compare {term:.2f} s: ratio {term / copy:.1f}x")
    print(f"FLOOR the list entries alone, COPYed into the list table with its indexes and foreign keys:"
          f" {floor:.2f} s = {floor / copy:.1f}x the raw COPY")


if __name__ == "__main__":
    main()
