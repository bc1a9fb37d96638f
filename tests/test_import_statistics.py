"""After a large import the planner knows the new rows: the tables it wrote are analysed once
the import has committed (a fresh batch estimated at one row makes the comparison and the
dispatch table pick nested loops), and a small import leaves the statistics to PostgreSQL's
autovacuum. SQLite never analyses by itself: there every import refreshes them."""
import datetime

import pytest
from django.db import connection

from enrollment.importing import services
from enrollment.models import ImportKind, ListEntry, Person

from .registry_helpers import ROSTER_HEADERS, media_root, roster_rows, write_csv  # noqa: F401

TODAY = datetime.date(2026, 9, 7)


def estimated_rows(model):
    """What the planner's statistics say the table holds: ``None`` before any ANALYZE."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            tuples = cursor.fetchone()[0]
            return None if tuples < 0 else int(tuples)
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
        row = cursor.fetchone()
        return int(row[0].split()[0]) if row else None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's autovacuum analyses small changes")
@pytest.mark.django_db
def test_on_sqlite_every_import_refreshes_the_statistics(
        county_a, tmp_path, settings, django_capture_on_commit_callbacks):
    settings.ANALYZE_AFTER_IMPORT_ROWS = 10_000
    with django_capture_on_commit_callbacks(execute=True):
        import_roster(tmp_path, county_a, 30)
    assert estimated_rows(ListEntry) == 30


def import_roster(tmp_path, county, rows, *, name="roster.csv"):
    path = tmp_path / name
    write_csv(path, ROSTER_HEADERS, roster_rows(rows))
    batch, validated, _new = services.import_path(kind=ImportKind.SCHOOL_ROSTER, path=path, county=county,
                                                  today=TODAY)
    assert batch is not None, validated.errors[:3]
    return batch


@pytest.mark.django_db
def test_a_large_import_refreshes_the_statistics_of_the_tables_it_wrote(
        county_a, tmp_path, settings, django_capture_on_commit_callbacks):
    settings.ANALYZE_AFTER_IMPORT_ROWS = 300
    assert estimated_rows(ListEntry) in (None, 0)
    with django_capture_on_commit_callbacks(execute=True):
        import_roster(tmp_path, county_a, 300)
    assert estimated_rows(ListEntry) == 300


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite never analyses by itself")
@pytest.mark.django_db
def test_a_small_import_leaves_the_statistics_to_autovacuum(
        county_a, tmp_path, settings, django_capture_on_commit_callbacks):
    settings.ANALYZE_AFTER_IMPORT_ROWS = 301
    before = estimated_rows(ListEntry)
    with django_capture_on_commit_callbacks(execute=True):
        import_roster(tmp_path, county_a, 300)
    assert estimated_rows(ListEntry) == before


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite never analyses by itself")
@pytest.mark.django_db
def test_a_table_the_import_barely_changed_keeps_its_statistics(
        county_a, tmp_path, settings, django_capture_on_commit_callbacks):
    """The next term's roster: the same 300 children, five new ones, 305 new list entries.
    The entries are analysed; the registry, which gained five persons, is left to autovacuum
    (on a million persons its ANALYZE would cost the import a quarter of a second)."""
    settings.ANALYZE_AFTER_IMPORT_ROWS = 300
    with django_capture_on_commit_callbacks(execute=True):
        import_roster(tmp_path, county_a, 300)
    persons = estimated_rows(Person)
    assert persons == Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        import_roster(tmp_path, county_a, 305, name="next-term.csv")
    assert Person.objects.count() == persons + 5
    assert estimated_rows(Person) == persons
    assert estimated_rows(ListEntry) == 605
