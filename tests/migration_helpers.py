"""Tests of data migrations: run the migrations to a state and read its models."""
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets):
    """Migrate the test database to ``targets`` ([(app, migration name)]); returns the apps
    registry of that state, whose models the test reads and writes."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
