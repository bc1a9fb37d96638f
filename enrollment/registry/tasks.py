"""Celery tasks of the registry: thin wrappers that call the services."""
from celery import shared_task

from ..models import ExportJob
from . import exports


@shared_task(name="enrollment.write_export")
def write_export(job_id):
    exports.write_export(job=ExportJob.objects.select_related("user").get(pk=job_id))
    return job_id
