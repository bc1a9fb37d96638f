"""Set-based writes that stay linear at a hundred thousand rows.

On PostgreSQL, inserts go through COPY and updates through COPY into a temporary table and
one ``UPDATE ... FROM`` it; elsewhere (SQLite) Django's bulk_create / bulk_update do the same job.
"""
from django.db import connection

CHUNK = 5000


def _is_postgres():
    return connection.vendor == "postgresql"


def copy_insert(model, fields, rows):
    """Insert ``rows`` (tuples in the order of ``fields``, attribute names such as
    ``person_id``). Returns the number of rows. No primary keys come back."""
    rows = list(rows)
    if not rows:
        return 0
    if not _is_postgres():
        model.objects.bulk_create([model(**dict(zip(fields, row))) for row in rows], batch_size=2000)
        return len(rows)
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows)


def update_rows(model, fields, objects):
    """Save ``fields`` of ``objects`` (model instances with a pk)."""
    objects = list(objects)
    if not objects:
        return 0
    if not _is_postgres():
        model.objects.bulk_update(objects, list(fields), batch_size=2000)
        return len(objects)
    table = model._meta.db_table
    db_fields = [model._meta.get_field(name) for name in fields]
    pk = model._meta.pk
    columns = [pk.column] + [f.column for f in db_fields]
    types = [pk.db_type(connection)] + [f.db_type(connection) for f in db_fields]
    staging = f"staging_{table}"
    assignments = ", ".join(f'"{f.column}" = s."{f.column}"' for f in db_fields)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS "{staging}"')
        cursor.execute(f'CREATE TEMP TABLE "{staging}" ('
                       + ", ".join(f'"{c}" {t}' for c, t in zip(columns, types)) + ") ON COMMIT DROP")
        with cursor.cursor.copy(f'COPY "{staging}" FROM STDIN') as copy:
            for obj in objects:
                copy.write_row([obj.pk] + [f.get_db_prep_save(getattr(obj, f.attname), connection)
                                           for f in db_fields])
        cursor.execute(f'UPDATE "{table}" SET {assignments} FROM "{staging}" AS s '
                       f'WHERE "{table}"."{pk.column}" = s."{pk.column}"')
        cursor.execute(f'DROP TABLE "{staging}"')
    return len(objects)


def history_snapshot(model, pks, history_type):
    """Write django-simple-history rows for ``pks`` as they now are, in one INSERT ... SELECT
    per chunk (``history_type``: "+" created, "~" changed)."""
    from django.utils import timezone

    pks = list(pks)
    historical = model.history.model
    own = {f.column for f in model._meta.concrete_fields}
    columns = [f.column for f in historical._meta.concrete_fields if f.column in own]
    names = ", ".join(f'"{c}"' for c in columns)
    table, history_table = model._meta.db_table, historical._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start:start + CHUNK]
            cursor.execute(
                f'INSERT INTO "{history_table}" ({names}, "history_date", "history_type", "history_change_reason")'
                f' SELECT {names}, %s, %s, NULL FROM "{table}" WHERE "{model._meta.pk.column}" IN '
                f'({", ".join(["%s"] * len(chunk))})',
                [timezone.now(), history_type, *chunk],
            )
    return len(pks)
