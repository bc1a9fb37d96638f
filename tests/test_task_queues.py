"""Work is queued by kind, so that a province adds workers per queue and a user's export never
waits behind a county's large import."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_celery_results.models import TaskResult

from config.celery import app
from enrollment.models import ExportJob, ExportStatus, ImportBatch, ImportStatus

from .celery_worker import WorkerProcess
from .factories import make_person
from .registry_helpers import ROSTER_HEADERS, media_root, roster_rows, write_csv  # noqa: F401
from .test_crash_safety import wait_for


def queue_of(task_name):
    return app.amqp.router.route({}, task_name)["queue"].name


def test_every_task_of_the_portal_has_the_queue_of_its_kind():
    app.loader.import_default_modules()
    ours = sorted(name for name in app.tasks if not name.startswith("celery."))
    assert {name: queue_of(name) for name in ours} == {
        "enrollment.confirm_import": "imports",
        "enrollment.requeue_stale_imports": "imports",
        "enrollment.validate_import": "imports",
        "enrollment.write_export": "exports",
        "outreach.generate_notice_batch": "notices",
        "outreach.refresh_message_status": "messages",
        "outreach.send_guardian_message": "messages",
        "outreach.send_guardian_messages": "messages",
        "outreach.send_reminders": "messages",
        "portal.ping": "celery",
        "reporting.compute_dispatch_figures": "reports",
        "reporting.refresh_dispatch_figures": "reports",
    }


def test_a_prefix_lets_two_deployments_share_a_broker(settings):
    settings.CELERY_QUEUE_PREFIX = "lishui."
    assert queue_of("enrollment.confirm_import") == "lishui.imports"
    assert queue_of("portal.ping") == "celery"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_is_served_while_an_import_waits_for_its_own_workers(
        media_root, settings, tmp_path, county_a, county_user_a, login):
    worker = WorkerProcess(app).start(kinds=["exports"])  # no worker for imports
    try:
        settings.IMPORT_BACKGROUND_ROWS = settings.EXPORT_BACKGROUND_ROWS = 1
        make_person(county_a, name="导出甲", birth_date=datetime.date(2015, 6, 1))
        make_person(county_a, name="导出乙", birth_date=datetime.date(2015, 6, 2))
        client = login(county_user_a)
        path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(50))
        client.post(reverse("imports"), {"kind": "school_roster",
                                         "file": SimpleUploadedFile("roster.csv", path.read_bytes())})
        client.get(reverse("person_export", args=["csv"]))
        wait_for(lambda: ExportJob.objects.get().status == ExportStatus.DONE, 120, "the export")
        batch = ImportBatch.objects.get()  # still waiting in "imports": no worker has started it
        assert batch.status == ImportStatus.VALIDATING and batch.row_count == 0
        assert not TaskResult.objects.filter(task_id=batch.task_id).exists()
    finally:
        worker.stop()
