import pytest

from config.celery import app

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_real_worker_runs_tasks_and_stores_results(celery_worker):
    from django_celery_results.models import TaskResult

    result = app.send_task("portal.ping", queue=celery_worker.queue)
    assert result.get(timeout=60) == "pong"
    assert TaskResult.objects.get(task_id=result.id).status == "SUCCESS"
