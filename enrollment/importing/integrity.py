"""The foreign keys of the rows an import writes in bulk, checked set-based.

``ListEntry`` and ``Guardian`` declare their foreign keys with ``db_constraint=False``: a
PostgreSQL constraint checks each inserted row on its own at commit (a roster of 100,000 rows
spent seconds in 500,000 single-row look-ups). What keeps them whole instead:

- An import checks the references of the rows it writes, inside its transaction, with one
  ``SELECT ... FOR KEY SHARE`` per referenced table (``check_references``): the rows found are
  locked until the import commits, so no one can delete them meanwhile; a referenced row not
  found (deleted before the import locked it) stops the import with an ``IntegrityError``
  naming the table, the column and the missing keys, and nothing is written.
- On PostgreSQL, a statement trigger on each referenced table (migration
  ``0019_issue20_set_based_references``) refuses a ``DELETE`` that leaves a list entry or a
  guardian pointing at a deleted row, whoever deletes and however (the ORM, raw SQL, psql).
  The lock above makes such a delete wait for the import; the trigger, reading after the wait,
  then sees the import's rows and refuses. A lock alone would not do: Django's deletion
  collects the related rows before it deletes the person, and would miss the import's.
- Django still cascades (``on_delete=CASCADE``) and protects (``PROTECT``) on ORM deletes; a
  merge re-points entries and guardians to a target person it locks first
  (``registry.merging``), and a correction that adds a guardian holds its person ``FOR UPDATE``.
- SQLite (development, tests) has no row locks: it serialises every writer, and the checks
  still run.
"""
from django.db import IntegrityError

from .bulk import _is_postgres, rows_where_in


def lock_rows(model, keys):
    """Lock the rows of ``model`` with primary keys ``keys`` against deletion and key change
    until the transaction ends (PostgreSQL ``FOR KEY SHARE``: others may still update them);
    returns the keys found. Elsewhere only finds them."""
    return {key for key, in locked_rows(model, keys, ())}


def locked_rows(model, keys, fields):
    """``lock_rows`` that also reads ``fields`` of the rows it locks: ``(key, *fields)``
    tuples, in key order."""
    keys = {key for key in keys if key is not None}
    if not _is_postgres():
        return sorted(rows_where_in(model, model._meta.pk.attname, keys, fields))
    # In key order: two imports lock in the same order.
    return rows_where_in(model, model._meta.pk.attname, keys, fields, suffix=" ORDER BY 1 FOR KEY SHARE")


def check_references(model, fields, rows, *, held=None):
    """Check and lock what ``rows`` (tuples in the order of ``fields``, attribute names such
    as ``person_id``) of ``model`` reference, one query per foreign key: raise
    ``IntegrityError`` when a referenced row does not exist. ``held``: ``{referenced model:
    keys}`` this transaction has already checked and locked, or created (no one else sees
    those, let alone deletes them); it gains the keys checked here, so that one import looks
    each person up once for its guardians and its entries."""
    held = {} if held is None else held
    for position, name in enumerate(fields):
        field = model._meta.get_field(name)
        if not (field.is_relation and field.many_to_one):
            continue
        target = field.related_model
        keys = {row[position] for row in rows} - {None} - held.get(target, set())
        missing = keys - lock_rows(target, keys)
        if missing:
            raise IntegrityError(
                f"{model._meta.db_table}.{field.column}: {len(missing)} rows reference missing "
                f"{target._meta.db_table} rows ({', '.join(map(str, sorted(missing)[:10]))})"
            )
        held.setdefault(target, set()).update(keys)
