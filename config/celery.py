"""The Celery application. Broker and schedule come from Django settings (CELERY_*)."""
import os
from pathlib import Path

from celery import Celery
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # each app's tasks.py
app.autodiscover_tasks(["enrollment.importing", "enrollment.registry"])  # tasks live with their subject

# The queue of each kind of work. A province deployment runs workers per queue (README), so that
# a page's export or a report is never queued behind a county's hundred-thousand-row import.
# Every task has its line here (tests/test_task_queues.py fails for one without).
QUEUE_OF_TASK = {
    "enrollment.validate_import": "imports",
    "enrollment.confirm_import": "imports",
    "enrollment.requeue_stale_imports": "imports",
    "reporting.compute_dispatch_figures": "reports",
    "reporting.refresh_dispatch_figures": "reports",
    "enrollment.write_export": "exports",
    "outreach.generate_notice_batch": "notices",
    "outreach.send_reminders": "messages",
    "outreach.send_guardian_messages": "messages",
    "outreach.send_guardian_message": "messages",
    "outreach.refresh_message_status": "messages",
    "portal.ping": "celery",
}


def route_by_kind(name, args, kwargs, options, task=None, **kw):
    """Celery router (CELERY_TASK_ROUTES): the task's queue, with the deployment's prefix."""
    queue = QUEUE_OF_TASK.get(name)
    if queue is None or queue == "celery":
        return None  # the default queue
    return {"queue": settings.CELERY_QUEUE_PREFIX + queue}


FILESYSTEM_BROKER_FOLDERS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


@app.on_after_configure.connect
def create_filesystem_broker_folders(sender, source, **kwargs):
    """kombu's filesystem transport reads and writes folders it does not create. Create them
    when the app is configured for it (a worker, beat, or a process sending a task), so that a
    fresh checkout works and importing settings stays free of side effects."""
    if not str(source.get("broker_url") or "").startswith("filesystem://"):
        return
    options = source.get("broker_transport_options") or {}
    for name in FILESYSTEM_BROKER_FOLDERS:
        if options.get(name):
            Path(options[name]).mkdir(parents=True, exist_ok=True)


@app.task(name="portal.ping")
def ping():
    """Answers "pong": lets tests and operators check that a worker is consuming."""
    return "pong"
