"""Imports that meet (issue 15): two files of one county with overlapping new persons, confirmed
at the same moment, both land (the county's imports are serialised); a batch whose background
work fails says why on its page; a worker killed mid-write has its import taken up again by
the next worker without anyone clicking (on the filesystem broker and on Redis)."""
import threading

import pytest
from django.db import connection
from django.urls import reverse

from enrollment.importing import services, tasks
from enrollment.models import ImportBatch, ImportKind, ImportStatus, ListEntry, Person

from .registry_helpers import ROSTER_HEADERS, media_root, roster_rows, write_csv  # noqa: F401
from .test_crash_safety import assert_imported_exactly_once, killed_import, restart, wait_for


def staged(tmp_path, name, rows, county, school):
    path = write_csv(tmp_path / name, ROSTER_HEADERS, rows)
    with open(path, "rb") as handle:
        batch, _ = services.stage_upload(kind=ImportKind.SCHOOL_ROSTER, county=county, uploaded=handle,
                                         name=name, organisation=school)
    services.validate_import(batch=batch)
    assert batch.status == ImportStatus.READY, batch.errors
    return batch


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_overlapping_imports_of_a_county_both_land(media_root, tmp_path, county_a, school_a):
    first = staged(tmp_path, "一班.csv", roster_rows(300), county_a, school_a)
    second = staged(tmp_path, "二班.csv", roster_rows(300, start=150), county_a, school_a)  # 150 shared
    start, failures = threading.Barrier(2), []

    def confirm(batch):
        try:
            start.wait()
            services.confirm_import(batch=batch)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(batch,)) for batch in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert set(ImportBatch.objects.values_list("status", flat=True)) == {ImportStatus.DONE}
    assert Person.objects.count() == 450 and ListEntry.objects.count() == 600


@pytest.mark.django_db
def test_a_failed_background_import_shows_its_reason(media_root, tmp_path, county_a, school_a,
                                                      county_user_a, login):
    batch = staged(tmp_path, "一班.csv", roster_rows(5), county_a, school_a)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING, task_id="lost-file")
    batch.file.storage.delete(batch.file.name)  # the stored file vanished under the worker
    tasks.confirm_import.apply(args=(batch.pk,), task_id="lost-file")
    page = login(county_user_a).get(reverse("import_detail", args=[batch.pk])).content.decode()
    assert "失败" in page and "处理中断，未写入任何数据（FileNotFoundError" in page
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_sweeper_leaves_queued_and_running_imports_alone(media_root, tmp_path, county_a, school_a):
    from django_celery_results.models import TaskResult

    batch = staged(tmp_path, "一班.csv", roster_rows(5), county_a, school_a)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING, task_id="t-1")
    assert services.stale_batches(active_task_ids=set()) == []  # queued, not started yet
    TaskResult.objects.create(task_id="t-1", status="STARTED")
    assert services.stale_batches(active_task_ids={"t-1"}) == []  # a live worker runs it
    assert services.stale_batches(active_task_ids=set()) == [batch]  # its worker is gone


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_whose_worker_was_killed_is_taken_up_by_the_next_worker(
    celery_worker, county_user_a, school_a, login, settings
):
    batch = killed_import(celery_worker, login(county_user_a), school_a, settings)
    worker = restart(celery_worker)  # nobody clicks: the new worker finds the lost import
    try:
        wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.DONE, 600,
                 "the lost import to be taken up again")
    finally:
        worker.stop()
    assert_imported_exactly_once(batch)


@pytest.mark.django_db
def test_the_sweep_is_in_the_editable_beat_schedule():
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="enrollment.requeue_stale_imports")
    assert entry.enabled and (entry.interval.every, entry.interval.period) == (5, "minutes")


@pytest.mark.django_db
def test_a_small_import_waits_in_the_background_while_its_county_imports_another(
    media_root, tmp_path, county_a, school_a, county_user_a, login, django_capture_on_commit_callbacks
):
    running = staged(tmp_path, "全县.csv", roster_rows(3), county_a, school_a)
    ImportBatch.objects.filter(pk=running.pk).update(status=ImportStatus.IMPORTING)
    small = staged(tmp_path, "一班.csv", roster_rows(2, start=10), county_a, school_a)
    with django_capture_on_commit_callbacks() as queued:
        login(county_user_a).post(reverse("import_confirm", args=[small.pk]))
    assert len(queued) == 1 and ImportBatch.objects.get(pk=small.pk).status == ImportStatus.IMPORTING
