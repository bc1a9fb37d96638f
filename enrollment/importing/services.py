"""Writes of the import flow: stage an upload, validate it, confirm the one atomic write.

Keyword-only functions; every write runs under ``transaction.atomic``.
"""
import datetime
import hashlib
import zipfile
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_celery_results.models import TaskResult

from ..access.audit import ID_NUMBER_IN_TEXT
from ..comparison.services import close_insured_cases
from ..models import ImportBatch, ImportKind, ImportStatus
from ..registry.id_numbers import mask
from ..signals import import_landed
from . import bulk, checks, feeds, matching, partners, readers, safety, validation, writers
from .layouts import FEED_KINDS, LAYOUTS
from .selectors import LIST_KINDS
from .validation import RowError

MAX_STORED_ERRORS = 5000
IMPORT_LOCK_SPACE = 150015  # the first key of the per-county advisory lock (PostgreSQL)


class ImportRejected(Exception):
    def __init__(self, batch, result):
        super().__init__(f"{batch}: {len(result.errors)} bad rows")
        self.batch, self.result = batch, result


def sha256_of(handle):
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def already_imported(*, kind, county, sha256):
    return ImportBatch.objects.filter(
        kind=kind, county=county, sha256=sha256, status=ImportStatus.DONE
    ).first()


@transaction.atomic
def stage_upload(*, kind, county, uploaded, name, user=None, organisation=None, list_date=None):
    """Store an uploaded file as a new batch. Returns ``(batch, created)``: a file already
    imported for this county and kind returns that batch and stores nothing. A partner list
    keeps ``list_date``, the day it describes (default: today); extracts keep none.
    Raises ``readers.FileProblem`` for a file too large, of the wrong type or a bad zip."""
    shown_name = safety.safe_name(name)
    uploaded.seek(0, 2)
    safety.check_size(uploaded.tell())
    uploaded.seek(0)
    if zipfile.is_zipfile(uploaded):
        safety.check_zip(uploaded)
    uploaded.seek(0)
    digest = sha256_of(uploaded)
    previous = already_imported(kind=kind, county=county, sha256=digest)
    if previous is not None:
        return previous, False
    batch = ImportBatch(
        kind=kind, county=county, organisation=organisation, uploaded_by=user,
        original_name=shown_name, sha256=digest,
        list_date=(list_date or datetime.date.today()) if kind in LIST_KINDS else None,
    )
    stored = safety.storage_name(shown_name)
    batch.file.save(stored, File(uploaded, name=stored), save=False)
    batch.save()
    return batch, True


def inspect_file(*, kind, path, county, organisation=None, today=None, progress=None):
    """Read and validate a file, and match its rows, without writing anything.
    Returns ``(validated, resolution)``."""
    today = today or datetime.date.today()
    layout = LAYOUTS[kind]
    school_code = organisation.code if organisation is not None and kind == ImportKind.SCHOOL_ROSTER else None
    try:
        table = readers.read_table(path)
    except readers.FileProblem as problem:
        return validation.Validated(errors=[RowError(0, "", problem.message)]), None
    try:
        result = validation.validate(
            layout, table, today=today, row_check=checks.checks_for(kind, school_code=school_code),
            progress=progress,
        )
    except readers.FileProblem as problem:
        return validation.Validated(errors=[RowError(0, "", problem.message)]), None
    resolution = None
    if result.ok and kind in FEED_KINDS:  # the registry's own feeds: see feeds.py
        resolution = feeds.resolve(kind, result.rows, county)
        headers = {c.name: c.header for c in layout.columns}
        result.errors.extend(RowError(row, headers[name], message) for row, name, message in resolution.errors)
    elif result.ok:
        identities = [matching.identity(row) for row in result.rows]
        resolution = matching.resolve(identities)
        if organisation is not None:  # a partner's list: see partners.py
            resolution.errors = partners.row_errors(identities, resolution, getattr(county, "pk", county))
        headers = {c.name: c.header for c in layout.columns}
        by_row = {clean["_row"]: clean for clean in result.rows}
        result.errors.extend(
            RowError(row, headers[name], message, validation.cell_text(by_row.get(row, {}).get(name))[:100])
            for row, name, message in resolution.errors
        )
        result.errors.sort(key=lambda e: e.row)
    return result, resolution


def validate_import(*, batch, today=None):
    """Validate a stored batch; the report (every bad row) is kept on the batch."""
    batch.status = ImportStatus.VALIDATING
    batch.save(update_fields=["status"])
    rows_expected = readers.count_rows(batch.file.path)  # lines, for the progress bar only

    def progress(rows_done):
        if rows_expected:
            ImportBatch.objects.filter(pk=batch.pk).update(progress=min(99, rows_done * 100 // rows_expected))

    result, _ = inspect_file(
        kind=batch.kind, path=batch.file.path, county=batch.county,
        organisation=batch.organisation, today=today, progress=progress,
    )
    _store_report(batch, result, ImportStatus.READY if result.ok else ImportStatus.INVALID)
    return result


def _store_report(batch, result, status):
    batch.status = status
    batch.row_count = result.row_count
    batch.error_count = len(result.errors)
    batch.errors = [e.as_dict() for e in result.errors[:MAX_STORED_ERRORS]]
    batch.counts = {**batch.counts, "unknown_columns": result.unknown_columns}
    batch.progress = 100 if status != ImportStatus.VALIDATING else batch.progress
    batch.save(update_fields=["status", "row_count", "error_count", "errors", "counts", "progress"])


@transaction.atomic
def confirm_import(*, batch, today=None):
    """The one atomic write of a validated batch. Validates again (the registry may have
    changed since the report); any bad row rejects the whole file and nothing is written."""
    today = today or datetime.date.today()
    lock_county(batch.county_id)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportStatus.DONE:
        return batch
    duplicate = already_imported(kind=batch.kind, county=batch.county_id, sha256=batch.sha256)
    if duplicate is not None:
        return duplicate
    result, resolution = inspect_file(
        kind=batch.kind, path=batch.file.path, county=batch.county,
        organisation=batch.organisation, today=today,
    )
    if not result.ok:
        transaction.set_rollback(True)
        raise ImportRejected(batch, result)
    counts, person_of_row = writers.write(batch.kind, result.rows, batch, resolution, today=today)
    if batch.kind == ImportKind.ENROLLMENT:
        counts.update(close_insured_cases(person_ids=set(person_of_row.values())))
    batch.counts = {**batch.counts, **counts, "unknown_columns": result.unknown_columns}
    batch.row_count, batch.error_count, batch.errors = result.row_count, 0, []
    batch.status, batch.progress, batch.imported_at = ImportStatus.DONE, 100, timezone.now()
    batch.save()
    # SQLite never analyses by itself: there every table an import wrote is analysed.
    least = 1 if connection.vendor == "sqlite" else settings.ANALYZE_AFTER_IMPORT_ROWS
    if tables := writers.tables_written(counts, at_least=least):
        transaction.on_commit(partial(bulk.analyze, tables))
    import_landed.send(sender=ImportBatch, batch=batch)
    return batch


def lock_county(county_id):
    """Serialise the writes of one county's imports, inside the caller's transaction: two
    files with overlapping new persons then never race to create the same rows; the second
    waits, then finds the first's persons and updates them. PostgreSQL: a transaction-level
    advisory lock keyed by the county code. SQLite: every write transaction starts IMMEDIATE,
    which already serialises all writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK_SPACE, int(county_id)])


RUNNING = (ImportStatus.VALIDATING, ImportStatus.IMPORTING)


@contextmanager
def failure_recorded(batch_id, task_id):
    """Run a batch's background work; when it fails, the batch says so and why, unless another
    task has taken the batch over since (a sweeper's re-run)."""
    try:
        yield
    except Exception as error:
        detail = ID_NUMBER_IN_TEXT.sub(lambda m: mask(m.group()), f"{type(error).__name__}: {error}")[:300]
        reason = _("The work stopped and nothing was written (%(detail)s). Start it again; if it "
                   "fails again, tell the system administrator.") % {"detail": detail}
        ImportBatch.objects.filter(pk=batch_id, status__in=RUNNING, task_id__in=[task_id, ""]).update(
            status=ImportStatus.FAILED, progress=0, error_count=1, errors=[RowError(0, "", reason).as_dict()],
        )
        raise


def stale_batches(*, active_task_ids):
    """Running batches whose task started (or died) and is not running on any live worker:
    the worker was killed. Batches still waiting in the queue are left alone."""
    running = list(ImportBatch.objects.filter(status__in=RUNNING).exclude(task_id="")
                   .exclude(task_id__in=active_task_ids))
    started = set(TaskResult.objects.filter(task_id__in=[b.task_id for b in running],
                                            status__in=["STARTED", "FAILURE", "RETRY"])
                  .values_list("task_id", flat=True))
    return [batch for batch in running if batch.task_id in started]


def mark_rejected(*, batch, result):
    """After ``ImportRejected`` (whose transaction rolled back): keep the report on the batch."""
    _store_report(batch, result, ImportStatus.INVALID)


def confirm_or_reject(*, batch, today=None):
    """Confirm a batch; a file that turned bad since its report keeps the new report instead."""
    try:
        return confirm_import(batch=batch, today=today)
    except ImportRejected as rejected:
        mark_rejected(batch=batch, result=rejected.result)
        return batch


def import_path(*, kind, path, county, user=None, organisation=None, today=None, list_date=None):
    """The command-line import: nothing at all is written when any row is bad.
    Returns ``(batch or None, validated, new)``: ``batch`` is None when the file was rejected;
    ``new`` is False when the same file had been imported before (nothing changed). The file
    is read and checked once, inside the one transaction of the write."""
    staged = []
    try:
        with transaction.atomic():
            with open(path, "rb") as handle:
                batch, created = stage_upload(kind=kind, county=county, uploaded=handle, name=str(path),
                                              user=user, organisation=organisation,
                                              list_date=list_date or today)
            if created:
                staged.append(batch.file.name)
                batch = confirm_import(batch=batch, today=today)
    except readers.FileProblem as problem:
        _delete_stored(staged)
        return None, validation.Validated(errors=[RowError(0, "", problem.message)]), False
    except ImportRejected as rejected:
        _delete_stored(staged)
        return None, rejected.result, False
    except BaseException:  # the transaction rolled back: the stored file must not outlive it
        _delete_stored(staged)
        raise
    result = validation.Validated(row_count=batch.row_count,
                                  unknown_columns=batch.counts.get("unknown_columns", []))
    return batch, result, created


def _delete_stored(names):
    for name in names:
        ImportBatch.file.field.storage.delete(name)
