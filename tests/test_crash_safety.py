"""Crash safety: a real Celery worker killed with SIGKILL in the middle of a large import or a
PDF batch leaves no half-written data, and the job run again ends with exactly the right rows.

The work is started as users start it: an upload and a confirm through the import pages (large
files go to the worker), a notice batch through its service. The worker is killed as soon as
its task has started (the result backend records STARTED) and a moment has passed.
"""
import datetime
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_celery_results.models import TaskResult

from enrollment.models import Guardian, ImportBatch, ImportStatus, ListEntry, Person
from outreach.models import NoticeBatch, NoticeStatus

from .celery_worker import WorkerProcess
from .factories import make_id, make_person

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROWS = 20000
HEADER = "身份证号,姓名,学校代码,学校名称,学段,年级,班级,监护人姓名,监护人电话\n"


def large_roster(school, rows=ROWS):
    lines = []
    for i in range(rows):
        birth = datetime.date(2012, 1, 1) + datetime.timedelta(days=i % 2000)
        number = make_id_for(i, birth)
        lines.append(f"{number},学生{i:05d},{school.code},{school.name},小学,三年级,{i % 40}班,家长{i},139{i:08d}")
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8-sig")


def make_id_for(i, birth):
    from enrollment.registry import id_numbers

    return id_numbers.make("350902", birth, i // 2000 * 2 + 1)


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def started(task_name):
    return TaskResult.objects.filter(task_name=task_name, status="STARTED").order_by("-pk").first()


def restart(worker):
    """A new worker process consuming the same queue, as an operator would restart it."""
    from config.celery import app

    worker.app.conf.task_default_queue = worker.previous_queue
    settings.CELERY_QUEUE_PREFIX = worker.previous_prefix
    replacement = WorkerProcess(app)
    replacement.queue = worker.queue
    return replacement.start()


def registry_rows():
    return Person.objects.count(), ListEntry.objects.count(), Guardian.objects.count()


def killed_import(celery_worker, client, school, settings):
    """Upload a large roster, confirm it, and SIGKILL the worker in the middle of the write.
    Returns the batch; asserts that nothing of it was written."""
    settings.IMPORT_BACKGROUND_ROWS = 100
    response = client.post(reverse("imports"), {
        "kind": "school_roster", "file": SimpleUploadedFile("全县名册.csv", large_roster(school)),
    })
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.READY, 600,
             "the background validation")
    before = registry_rows()
    client.post(reverse("import_confirm", kwargs={"pk": batch.pk}))
    wait_for(lambda: started("enrollment.confirm_import"), 120, "the import task to start")
    # On PostgreSQL the whole import of 20,000 rows can take little more than a second: kill
    # while it reads, validates and writes inside its one transaction, well before the commit.
    time.sleep(0.3)
    celery_worker.kill()
    time.sleep(2)  # a COMMIT already sent would still land: let it, so the checks below see it
    batch.refresh_from_db()
    assert batch.status != ImportStatus.DONE, "the import finished before the kill: make ROWS larger"
    assert registry_rows() == before, "a killed import left half its rows"
    return batch


def assert_imported_exactly_once(batch):
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert Person.objects.filter(name__startswith="学生").count() == ROWS
    assert ListEntry.objects.filter(batch=batch).count() == ROWS
    assert Person.objects.values("id_number").distinct().count() == Person.objects.count()


def test_an_import_killed_mid_write_leaves_nothing_and_a_rerun_imports_every_row(
    celery_worker, county_user_a, school_a, login, settings
):
    batch = killed_import(celery_worker, login(county_user_a), school_a, settings)
    worker = restart(celery_worker)
    try:
        from enrollment.importing.tasks import confirm_import

        # What a retry does: the same task for the same batch, sent again (twice, as a
        # redelivery plus a retry would).
        confirm_import.apply_async((batch.pk,), queue=worker.queue).get(timeout=900)
        confirm_import.apply_async((batch.pk,), queue=worker.queue).get(timeout=300)
    finally:
        worker.stop()
    assert_imported_exactly_once(batch)


def test_after_a_crash_the_user_can_retry_the_import_from_the_page(
    celery_worker, county_user_a, school_a, login, settings
):
    client = login(county_user_a)
    batch = killed_import(celery_worker, client, school_a, settings)
    worker = restart(celery_worker)
    try:
        response = client.post(reverse("import_confirm", kwargs={"pk": batch.pk}), follow=True)
        refusals = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        assert not refusals, f"the retry is refused: {refusals}"
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.DONE, 300,
                 "the retried import")
    finally:
        worker.stop()
    assert_imported_exactly_once(batch)


NOTICES = 150


def test_a_notice_batch_killed_mid_render_leaves_no_file_and_a_rerun_prints_every_notice(
    celery_worker, county_user_a, school_a, county_a
):
    from outreach.notices import batches as notice_batches
    from outreach.tasks import generate_notice_batch

    people = [make_person(county_a, name=f"告知{i:03d}", school=school_a, class_name="三(2)班",
                          id_number=make_id("350902", datetime.date(2016, 1, 1) + datetime.timedelta(days=i)))
              for i in range(NOTICES)]
    batch = notice_batches.request_batch(
        user=county_user_a, persons=Person.objects.filter(pk__in=[p.pk for p in people]),
        scope="class", title="蕉城实验小学 三(2)班", pay_by=datetime.date(2026, 12, 31),
    )
    generate_notice_batch.apply_async((batch.pk,), queue=celery_worker.queue)
    wait_for(lambda: NoticeBatch.objects.get(pk=batch.pk).status == NoticeStatus.RUNNING, 120,
             "the notice batch to start")
    time.sleep(1.0)
    celery_worker.kill()
    batch.refresh_from_db()
    assert batch.status != NoticeStatus.DONE, "the batch finished before the kill: make NOTICES larger"
    assert not batch.file, "a killed batch has a file"

    worker = restart(celery_worker)
    try:
        generate_notice_batch.apply_async((batch.pk,), queue=worker.queue).get(timeout=900)
    finally:
        worker.stop()
    batch.refresh_from_db()
    assert batch.status == NoticeStatus.DONE and batch.total == NOTICES
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(batch.file.path).pages)
    assert all(f"告知{i:03d}" in text for i in range(NOTICES))
