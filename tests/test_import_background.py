"""Large files are validated and imported by a real Celery worker; the page polls progress."""
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrollment.models import ImportBatch, Person

from .registry_helpers import ROSTER_HEADERS, media_root, roster_rows, write_csv  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def wait_until_done(client, url, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(url + "progress/").json()
        if state["done"]:
            return state
        assert 0 <= state["progress"] <= 100
        time.sleep(0.5)
    raise AssertionError("the worker did not finish in time")


def test_a_large_roster_goes_through_the_worker(media_root, celery_worker, settings, tmp_path, login,
                                                 county_user_a):
    settings.IMPORT_BACKGROUND_ROWS = 100
    client = login(county_user_a)
    path = write_csv(tmp_path / "big.csv", ROSTER_HEADERS, roster_rows(3000))
    response = client.post("/imports/", {"kind": "school_roster",
                                         "file": SimpleUploadedFile("big.csv", path.read_bytes())})
    url = response.url
    assert "data-progress-url" in client.get(url).content.decode()
    assert wait_until_done(client, url)["status"] == "ready"
    assert ImportBatch.objects.get().row_count == 3000 and Person.objects.count() == 0
    client.post(url + "confirm/")
    assert wait_until_done(client, url)["status"] == "done"
    assert Person.objects.count() == 3000
