"""Set-based writes and reads that stay linear at a hundred thousand rows.

On PostgreSQL, inserts go through COPY, updates through COPY into a temporary table and one
``UPDATE ... FROM`` it, and look-ups of many keys through one ``= ANY(%s)`` query; elsewhere
(SQLite) Django's bulk_create / bulk_update and chunked ``__in`` queries do the same job.
"""
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

CHUNK = 5000
SEPARATOR = "\x1f"  # the ASCII unit separator, in no key an import looks up (see any_of)


def _is_postgres():
    return connection.vendor == "postgresql"


def chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def any_of(values):
    """``(sql, parameter)`` for ``= ANY(sql)`` over ``values`` on PostgreSQL: whole numbers as
    one array literal, texts joined by ``SEPARATOR`` and split by the server. psycopg adapts a
    list element by element in Python, a tenth of a second per 100,000 keys; anything else
    (a text holding the separator or empty, a date) still goes as a list."""
    if all(type(value) is int for value in values):
        return "%s::bigint[]", "{" + ",".join(map(str, values)) + "}"
    if all(type(value) is str and value and SEPARATOR not in value for value in values):
        return "string_to_array(%s, E'\\x1f')", SEPARATOR.join(values)
    return "%s", list(values)


def rows_where_in(model, key, values, fields, *, suffix=""):
    """``(key value, *fields)`` tuples of the rows of ``model`` whose ``key`` (attribute name)
    is one of ``values``: one query on PostgreSQL, chunks of ``__in`` elsewhere. ``suffix``:
    SQL appended to the PostgreSQL query (``integrity.locked_rows``'s row locks)."""
    values = list(values)
    if not values:
        return []
    if not _is_postgres():
        found = []
        for chunk in chunks(values):
            found.extend(model._base_manager.filter(**{f"{key}__in": chunk}).values_list(key, *fields))
        return found
    column = model._meta.get_field(key).column
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in (key, *fields))
    sql, parameter = any_of(values)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT {columns} FROM "{model._meta.db_table}" WHERE "{column}" = ANY({sql}){suffix}',
                       [parameter])
        return cursor.fetchall()


def _with_defaults(model, fields, rows):
    """Complete ``rows`` with the Python-side defaults of the concrete fields they lack (COPY
    sees no Django defaults, nor auto_now)."""
    given = set(fields)
    now = timezone.now()
    missing = []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.attname in given:
            continue
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            missing.append((model_field.attname, now))
        else:
            missing.append((model_field.attname, model_field.get_default()))
    names = (*fields, *(name for name, _ in missing))
    extra = tuple(value for _, value in missing)
    return names, (tuple(row) + extra for row in rows)


def copy_insert(model, fields, rows):
    """Insert ``rows`` (tuples in the order of ``fields``, attribute names such as
    ``person_id``). Returns the number of rows. No primary keys come back."""
    rows = list(rows)
    if not rows:
        return 0
    if not _is_postgres():
        model.objects.bulk_create([model(**dict(zip(fields, row))) for row in rows], batch_size=2000)
        return len(rows)
    fields, rows = _with_defaults(model, fields, rows)
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in fields)
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def insert_returning_pks(model, fields, rows):
    """Insert ``rows`` like ``copy_insert``; return their new primary keys, in order. On
    PostgreSQL the keys are drawn from the table's sequence first, then the rows are COPYed."""
    rows = list(rows)
    if not rows:
        return []
    if not _is_postgres():
        objects = [model(**dict(zip(fields, row))) for row in rows]
        model.objects.bulk_create(objects, batch_size=2000)
        return [obj.pk for obj in objects]
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [model._meta.db_table, pk.column, len(rows)])
        pks = [row[0] for row in cursor.fetchall()]
    copy_insert(model, (pk.attname, *fields), ((key, *row) for key, row in zip(pks, rows)))
    return pks


def update_values(model, fields, rows):
    """Set ``fields`` of the rows ``(pk, *values)``; values as stored (attribute names such as
    ``school_id``)."""
    rows = list(rows)
    if not rows:
        return 0
    if not _is_postgres():
        objects = []
        for pk, *values in rows:
            obj = model(pk=pk)
            for name, value in zip(fields, values):
                setattr(obj, name, value)
            objects.append(obj)
        model.objects.bulk_update(objects, list(fields), batch_size=2000)
        return len(rows)
    table, pk = model._meta.db_table, model._meta.pk
    assignments = ", ".join(f'"{f.column}" = s."{f.column}"' for f in map(model._meta.get_field, fields))
    with _staged(model, fields, rows) as (cursor, staging, _names):
        cursor.execute(f'ANALYZE "{staging}"')
        cursor.execute(f'UPDATE "{table}" SET {assignments} FROM "{staging}" AS s '
                       f'WHERE "{table}"."{pk.column}" = s."{pk.column}"')
    return len(rows)


@contextmanager
def _staged(model, fields, rows):
    """A temporary table of ``model``'s primary key and ``fields`` holding ``rows`` (COPYed),
    dropped after the block: yields the cursor, the table's name and its quoted column list."""
    db_fields = [model._meta.get_field(name) for name in fields]
    pk = model._meta.pk
    columns = [pk.column] + [f.column for f in db_fields]
    types = [pk.db_type(connection)] + [f.db_type(connection) for f in db_fields]
    staging = f"staging_{model._meta.db_table}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS "{staging}"')
        cursor.execute(f'CREATE TEMP TABLE "{staging}" ('
                       + ", ".join(f'"{c}" {t}' for c, t in zip(columns, types)) + ") ON COMMIT DROP")
        with cursor.cursor.copy(f'COPY "{staging}" FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        yield cursor, staging, ", ".join(f'"{c}"' for c in columns)
        cursor.execute(f'DROP TABLE "{staging}"')


def set_changed(record, values):
    """Set ``values`` ({attribute: value}) on ``record`` when any differs, and say whether one
    did: an unchanged row gets no write, so the same list imported again changes nothing."""
    if all(getattr(record, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(record, name, value)
    return True


def update_rows(model, fields, objects):
    """Save ``fields`` of ``objects`` (model instances with a pk)."""
    db_fields = [model._meta.get_field(name) for name in fields]
    if not _is_postgres():  # bulk_update prepares the values itself
        return update_values(model, [f.attname for f in db_fields], (
            (obj.pk, *(getattr(obj, f.attname) for f in db_fields)) for obj in objects))
    return update_values(model, [f.attname for f in db_fields], (
        (obj.pk, *(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in db_fields))
        for obj in objects
    ))


def history_snapshot(model, pks, history_type, *, user_id=None):
    """Write django-simple-history rows for ``pks`` as they now are, in one INSERT ... SELECT
    (chunks of them on SQLite). ``history_type``: "+" created, "~" changed; ``user_id``: who
    made the change (the uploader of an import), shown in the file's history."""
    pks = list(pks)
    if not pks:
        return 0
    historical = model.history.model
    own = {f.column for f in model._meta.concrete_fields}
    columns = [f.column for f in historical._meta.concrete_fields if f.column in own]
    names = ", ".join(f'"{c}"' for c in columns)
    table, history_table = model._meta.db_table, historical._meta.db_table
    insert = (f'INSERT INTO "{history_table}" ({names}, "history_date", "history_type", "history_change_reason",'
              f' "history_user_id") SELECT {names}, %s, %s, NULL, %s FROM "{table}" WHERE "{model._meta.pk.column}"')
    now = timezone.now()
    with connection.cursor() as cursor:
        if _is_postgres():
            sql, parameter = any_of(pks)
            cursor.execute(insert + f" = ANY({sql})", [now, history_type, user_id, parameter])
        else:
            for chunk in chunks(pks):
                cursor.execute(insert + f' IN ({", ".join(["%s"] * len(chunk))})',
                               [now, history_type, user_id, *chunk])
    return len(pks)


def analyze(models=None):
    """Refresh the planner statistics of ``models``' tables (of the whole database when
    None). Run after a bulk load has committed: until then PostgreSQL estimates a fresh batch's
    rows as one and picks nested loops for the comparison and the dispatch table (autovacuum
    comes minutes later), and SQLite, which never analyses by itself, may probe each person's
    list entries through the county index (the home page's person count took 7 s instead of
    30 ms on the demo database)."""
    with connection.cursor() as cursor:
        if models is None:
            cursor.execute("ANALYZE")
        for model in models or ():
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def upsert_values(model, fields, rows):
    """Insert the rows ``(pk, *values)`` of ``fields``, or set ``fields`` where the primary key
    is taken: one ``INSERT ... ON CONFLICT (pk) DO UPDATE`` (from a COPYed temporary table on
    PostgreSQL; Django's ``bulk_create(update_conflicts=True)`` on SQLite). For tables keyed by
    their owner, such as ``SchoolPlace`` by its person. Returns the number of rows."""
    rows = list(rows)
    if not rows:
        return 0
    pk = model._meta.pk
    if not _is_postgres():
        objects = [model(**{pk.attname: key}, **dict(zip(fields, values))) for key, *values in rows]
        model.objects.bulk_create(objects, batch_size=2000, update_conflicts=True,
                                  unique_fields=[pk.name], update_fields=list(fields))
        return len(rows)
    table = model._meta.db_table
    assignments = ", ".join(f'"{f.column}" = EXCLUDED."{f.column}"' for f in map(model._meta.get_field, fields))
    with _staged(model, fields, rows) as (cursor, staging, names):
        cursor.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM "{staging}" '
                       f'ON CONFLICT ("{pk.column}") DO UPDATE SET {assignments}')
    return len(rows)
