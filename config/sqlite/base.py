"""Django's SQLite backend, creating the database file's folder when it first connects
(SQLite creates the file but not its folder). Settings stay free of side effects."""
from pathlib import Path

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        database = str(conn_params.get("database", ""))
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        return super().get_new_connection(conn_params)
