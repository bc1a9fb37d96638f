"""Celery tasks of the registry app: thin wrappers that call the services.

A batch handed to a worker keeps the id of its task (``queue``). A worker killed in the middle
loses its message on the filesystem broker, and on Redis keeps it unacknowledged until the
visibility timeout: ``requeue_stale_imports`` (when a worker starts, and every few minutes from
beat) queues again every running batch whose task started and is no longer active on any
worker. Running a batch twice is harmless: the write locks the batch and returns when it is done.
"""
import logging
import uuid

from celery import current_app, shared_task
from celery.signals import worker_ready

from ..models import ImportBatch, ImportStatus
from . import services

log = logging.getLogger(__name__)


@shared_task(name="enrollment.validate_import", bind=True)
def validate_import(self, batch_id):
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportStatus.VALIDATING:  # a late redelivery of work already done
        return batch_id
    with services.failure_recorded(batch_id, self.request.id):
        services.validate_import(batch=batch)
    return batch_id


@shared_task(name="enrollment.confirm_import", bind=True)
def confirm_import(self, batch_id):
    with services.failure_recorded(batch_id, self.request.id):
        services.confirm_or_reject(batch=ImportBatch.objects.get(pk=batch_id))
    return batch_id


TASK_OF_STATUS = {ImportStatus.VALIDATING: validate_import, ImportStatus.IMPORTING: confirm_import}


def queue(batch_id, status, *, queue_name=None):
    """Send the task that carries a batch in ``status`` (validating or importing), keeping its
    id on the batch so that the sweeper can tell a lost task from a running one."""
    task_id = uuid.uuid4().hex
    ImportBatch.objects.filter(pk=batch_id, status=status).update(task_id=task_id)
    options = {"queue": queue_name} if queue_name else {}
    TASK_OF_STATUS[status].apply_async((batch_id,), task_id=task_id, **options)


def active_task_ids(timeout=1.0):
    """Ids of the tasks every live worker is running or holds."""
    inspect = current_app.control.inspect(timeout=timeout)
    ids = set()
    for replies in (inspect.active() or {}, inspect.reserved() or {}):
        ids.update(task["id"] for tasks in replies.values() for task in tasks)
    return ids


@shared_task(name="enrollment.requeue_stale_imports", bind=True)
def requeue_stale_imports(self, queue_name=None):
    queue_name = queue_name or (self.request.delivery_info or {}).get("routing_key")
    return requeue_stale(queue_name=queue_name, also_active={self.request.id})


def requeue_stale(*, queue_name=None, also_active=frozenset()):
    """Queue again the running batches that lost their worker. The workers are asked what
    they run only when some batch's task has started (a broadcast waits a second)."""
    batches = services.stale_batches(active_task_ids=set(also_active))
    if batches:
        active = active_task_ids() | set(also_active)
        batches = [batch for batch in batches if batch.task_id not in active]
    for batch in batches:
        log.warning("Import batch %s lost its worker (%s): queued again", batch.pk, batch.status)
        queue(batch.pk, batch.status, queue_name=queue_name)
    return [batch.pk for batch in batches]


@worker_ready.connect
def requeue_on_start(sender=None, **kwargs):
    """A worker that starts (e.g. after a crash) takes up the imports its predecessor lost."""
    queues = sender.app.amqp.queues.consume_from if sender is not None else {}
    try:
        requeue_stale(queue_name=next(iter(queues), None))
    except Exception:  # never keep a worker from starting
        log.exception("Could not look for imports that lost their worker")
