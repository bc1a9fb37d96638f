"""A real Celery worker process for integration tests.

The worker runs ``celery -A config worker`` as a subprocess on the same broker the settings
name (kombu's filesystem transport by default, Redis when CELERY_BROKER_URL says so), on a
queue of its own, against the test database of this pytest process.
"""
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_database_url():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings.get("USER") or "")
    password = quote(settings.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "localhost"
    port = settings.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings['NAME']}"


class WorkerProcess:
    def __init__(self, app):
        self.app = app
        self.queue = f"test-{uuid.uuid4().hex[:10]}"
        self.process = None

    def start(self, timeout=90, kinds=None):
        """Start the worker on its own default queue and its own copies of the work queues
        (``kinds``: only these, e.g. ``["exports"]``; all by default)."""
        prefix = f"{self.queue}."
        kinds = settings.CELERY_WORK_QUEUES if kinds is None else kinds
        env = dict(os.environ, DATABASE_URL=test_database_url(), PYTHONUNBUFFERED="1", CELERY_QUEUE_PREFIX=prefix)
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--queues", ",".join([self.queue, *(prefix + kind for kind in kinds)]),
                "--concurrency", "1", "--loglevel", "INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            cwd=ROOT, env=env, start_new_session=True,
        )
        self.previous_queue = self.app.conf.task_default_queue
        self.previous_prefix = settings.CELERY_QUEUE_PREFIX
        self.app.conf.task_default_queue = self.queue
        settings.CELERY_QUEUE_PREFIX = prefix  # the router sends this process's tasks to the worker
        result = self.app.send_task("portal.ping", queue=self.queue)
        assert result.get(timeout=timeout) == "pong", "the Celery worker did not answer"
        return self

    def kill(self):
        """SIGKILL the whole worker (main process and its pool), as a crash would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self):
        self.app.conf.task_default_queue = self.previous_queue
        settings.CELERY_QUEUE_PREFIX = self.previous_prefix
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
