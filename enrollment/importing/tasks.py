"""Celery tasks of the registry app: thin wrappers that call the services."""
from celery import shared_task

from ..models import ImportBatch, ImportStatus
from . import services


def _batch(batch_id):
    return ImportBatch.objects.get(pk=batch_id)


@shared_task(name="enrollment.validate_import")
def validate_import(batch_id):
    batch = _batch(batch_id)
    try:
        services.validate_import(batch=batch)
    except Exception:
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.FAILED)
        raise
    return batch_id


@shared_task(name="enrollment.confirm_import")
def confirm_import(batch_id):
    try:
        services.confirm_or_reject(batch=_batch(batch_id))
    except Exception:
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.FAILED)
        raise
    return batch_id
