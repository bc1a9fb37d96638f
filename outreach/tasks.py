"""Celery tasks: thin wrappers around the services."""
import datetime

from celery import shared_task

from . import reminders
from .notices import batches as notice_batches


@shared_task(name="outreach.send_reminders")
def send_reminders(today=None):
    """Beat runs this every day (schedule in django-celery-beat, editable in the admin);
    ``today`` (ISO date) only for a run by hand."""
    day = datetime.date.fromisoformat(today) if today else None
    return reminders.send_reminders(today=day)


@shared_task(name="outreach.generate_notice_batch")
def generate_notice_batch(batch_id):
    return notice_batches.generate(batch_id=batch_id)
