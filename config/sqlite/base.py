"""Django's SQLite backend for the embedded set-up: creates the database file's folder when it
first connects (SQLite creates the file but not its folder; settings stay free of side
effects), and puts the database in WAL mode, where readers are never blocked by a writer: a
large import's one transaction no longer locks every other user out. Writers wait for each
other up to the busy timeout (the ``timeout`` option, ``SQLITE_BUSY_TIMEOUT``)."""
from pathlib import Path

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        database = str(conn_params.get("database", ""))
        on_disk = database and database != ":memory:" and not database.startswith("file:")
        if on_disk:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        connection = super().get_new_connection(conn_params)
        if on_disk:
            connection.execute("PRAGMA journal_mode=WAL")  # kept in the file: once is enough, again is cheap
            connection.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a commit does not wait for fsync
        return connection
