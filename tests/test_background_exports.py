"""Large person list exports (issue 15) run in a real Celery worker: the export link answers
at once with a page that offers the file when it is ready; the file holds every row, IDs
masked; only the requester reaches the page and the file, and the download is audited."""
import datetime

import pytest
from django.urls import reverse

from enrollment.models import AccessEvent, ExportJob, ExportStatus
from enrollment.registry import id_numbers

from .factories import make_person
from .registry_helpers import media_root  # noqa: F401
from .test_crash_safety import wait_for

ROWS = 5


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_large_export_is_written_by_a_worker_and_downloaded_when_ready(
    media_root, celery_worker, settings, county_a, county_user_a, county_user_b, city_user, login
):
    settings.EXPORT_BACKGROUND_ROWS = ROWS - 1
    people = [make_person(county_a, name=f"导出{n}", birth_date=datetime.date(2015, 6, n + 1))
              for n in range(ROWS)]
    client = login(county_user_a)
    response = client.get(reverse("person_export", args=["csv"]), follow=True)
    job = ExportJob.objects.get()
    assert response.redirect_chain[-1][0] == reverse("export_job", args=[job.pk])
    assert "正在后台生成" in response.content.decode()
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == ExportStatus.DONE, 120, "the export")

    page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert reverse("export_download", args=[job.pk]) in page
    job.refresh_from_db()
    download = client.get(reverse("export_download", args=[job.pk]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert all(p.name in text and id_numbers.mask(p.id_number) in text for p in people)
    assert not any(p.id_number in text for p in people)
    assert AccessEvent.objects.filter(user=county_user_a, action="export", record_count=ROWS).exists()
    for outsider in (county_user_b, city_user):
        assert login(outsider).get(reverse("export_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_small_export_is_still_answered_at_once(county_a, county_user_a, login):
    make_person(county_a, name="小名单")
    response = login(county_user_a).get(reverse("person_export", args=["csv"]))
    assert response.status_code == 200 and "小名单" in response.content.decode("utf-8-sig")
    assert not ExportJob.objects.exists()
