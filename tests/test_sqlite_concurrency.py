"""The embedded SQLite default during a large import (issue 15): the database is in WAL mode
with a busy timeout, and signed-in users' pages answer while an import's transaction holds the
write lock (before, every request waited for it and failed with "database is locked")."""
import sqlite3

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif("config.sqlite" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
                       reason="the embedded SQLite set-up only"),
]


def test_the_database_is_in_wal_mode_with_a_busy_timeout():
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 30_000


def test_pages_answer_while_an_import_holds_the_write_lock(county_user_a, login, settings):
    client = login(county_user_a)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 500")  # a page that waits for the lock fails fast here
    importer = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    importer.execute("BEGIN IMMEDIATE")
    importer.execute("UPDATE enrollment_area SET name = name")  # the import's open transaction
    try:
        for name in ("home", "imports", "audit_log"):
            assert client.get(reverse(name)).status_code == 200, name
    finally:
        importer.rollback()
        importer.close()
        connection.close()  # the next test's connection gets the configured busy timeout back
