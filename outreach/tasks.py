"""Celery tasks: thin wrappers around the services."""
import datetime
import logging

from celery import shared_task
from celery.signals import worker_ready

from . import guardian_sms, reminders, sms
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


@shared_task(name="outreach.send_guardian_message", bind=True, max_retries=guardian_sms.MAX_RETRIES)
def send_guardian_message(self, message_id):
    """Send one message to a guardian, once (see ``guardian_sms.deliver``); gateway errors are
    retried after 1, 2, 4 … minutes, and the message is failed after the last retry."""
    try:
        return guardian_sms.deliver(message_id)
    except sms.GatewayError as error:
        if self.request.retries >= self.max_retries:
            guardian_sms.give_up(message_id, error)
            return "failed"
        raise self.retry(exc=error, countdown=min(60 * 2 ** self.request.retries, 3600))


@shared_task(name="outreach.send_guardian_messages")
def send_guardian_messages(today=None):
    """Beat runs this every day: renewal, uninsured and newborn texts (at most weekly each)."""
    day = datetime.date.fromisoformat(today) if today else None
    return guardian_sms.scheduled_run(today=day)


@shared_task(name="outreach.refresh_message_status")
def refresh_message_status():
    """Beat runs this every hour: delivery reports, and messages whose worker was lost."""
    return {"changed": guardian_sms.refresh_statuses(), "requeued": len(guardian_sms.requeue_stuck())}


@worker_ready.connect
def requeue_messages_on_start(sender=None, **kwargs):
    """A worker that starts takes up the messages a killed predecessor left."""
    try:
        guardian_sms.requeue_stuck()
    except Exception:  # never keep a worker from starting
        logging.getLogger(__name__).exception("Could not look for messages that lost their worker")
