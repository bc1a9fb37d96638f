"""The Celery application. Broker and schedule come from Django settings (CELERY_*)."""
import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # each app's tasks.py
app.autodiscover_tasks(["enrollment.importing", "enrollment.registry"])  # tasks live with their subject

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
