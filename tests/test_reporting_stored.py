"""Stored dispatch figures: computed in the background, shown with their time, scoped like
the live table, used by the exports, refreshed nightly by beat."""
import datetime
import io
import time

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from enrollment.access.scoping import visible_to
from reporting.dispatch import figures as dispatch
from reporting.dispatch import stored as stored_figures
from reporting.models import DispatchFigures

from .factories import enroll, make_person
from .registry_helpers import media_root  # noqa: F401
from .reporting_helpers import CUTOFF, EXPECTED_A, EXPECTED_B, EXPECTED_CITY, dispatch_world  # noqa: F401
from .test_reporting_views import _figures_in

D = datetime.date
AS_OF = "as_of=2024-06-30"
PAGE = f"/reporting/dispatch/?area=350902&{AS_OF}"
# The 立即重新计算 button (the page's help text names it too).
RECOMPUTE_BUTTON = 'action="/reporting/dispatch/recompute/"'


def _city_counties():
    from enrollment.models import Area

    return {county.pk for county in dispatch.counties_of(Area.objects.get(pk="350900"))}


def _add_insured_child(county):
    enroll(make_person(county, name="后补录儿童", birth_date=D(2016, 1, 1)), 2024, paid_on=D(2024, 6, 1))


@pytest.fixture
def large_areas(settings):
    """Every area counts as too large to compute while the user waits."""
    settings.DISPATCH_LIVE_LIMIT = 0


def _store(area_code="350902"):
    """What the button's task runs."""
    stored_figures.compute_area(area_code=area_code, cutoff=CUTOFF)


def test_a_first_visit_shows_a_small_areas_live_figures_and_writes_nothing(
        dispatch_world, login, county_user_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        page = login(county_user_a).get(PAGE)
    assert _figures_in(page, "350902") == EXPECTED_A
    assert "实时数据" in page.content.decode() and RECOMPUTE_BUTTON in page.content.decode()
    assert queued == [] and not DispatchFigures.objects.exists()  # a GET computes for itself only


def test_stored_figures_are_shown_with_their_time(dispatch_world, login, county_user_a):
    _store()
    page = login(county_user_a).get(PAGE)
    stored = DispatchFigures.objects.get(county="350902", cutoff=CUTOFF)
    assert _figures_in(page, "350902") == EXPECTED_A == stored.figures
    assert f"计算于 {timezone.localtime(stored.computed_at):%Y-%m-%d %H:%M}" in page.content.decode()


def test_page_and_exports_show_the_stored_figures_until_recomputed(dispatch_world, login, county_user_a, county_a):
    client = login(county_user_a)
    _store()
    _add_insured_child(county_a)  # an import after the computation

    assert _figures_in(client.get(PAGE), "350902")["insured_total"] == 15
    sheet = load_workbook(io.BytesIO(client.get(f"/reporting/dispatch/export.xlsx?area=350902&{AS_OF}").content)).active
    assert sheet["B5"].value == 15

    stored_figures.compute_area(area_code="350902", cutoff=CUTOFF)  # what the task runs
    assert _figures_in(client.get(PAGE), "350902")["insured_total"] == 16
    sheet = load_workbook(io.BytesIO(client.get(f"/reporting/dispatch/export.xlsx?area=350902&{AS_OF}").content)).active
    assert sheet["B5"].value == 16


def test_a_city_table_is_the_stored_rows_of_its_counties(dispatch_world, login, city_user):
    _store()  # county A stored: the city's page, small, shows live figures and stores nothing
    page = login(city_user).get(f"/reporting/dispatch/?area=350900&{AS_OF}")
    assert _figures_in(page, "350921") == EXPECTED_B and "实时数据" in page.content.decode()
    assert _figures_in(page, "350900") == EXPECTED_CITY
    stored = DispatchFigures.objects.filter(cutoff=CUTOFF, figures__isnull=False)
    assert set(stored.values_list("county", flat=True)) == {"350902"}
    _store("350900")
    page = login(city_user).get(f"/reporting/dispatch/?area=350900&{AS_OF}")
    assert _figures_in(page, "350921") == EXPECTED_B and "计算于" in page.content.decode()
    assert _figures_in(page, "350900") == EXPECTED_CITY  # the stored total, each child once
    assert set(stored.values_list("county", flat=True)) == _city_counties() | {"350900"}


def test_a_large_area_without_figures_says_how_to_compute_and_the_button_queues_once(
        dispatch_world, login, city_user, large_areas, django_capture_on_commit_callbacks):
    client = login(city_user)
    with django_capture_on_commit_callbacks() as queued:
        html = client.get(f"/reporting/dispatch/?area=350900&{AS_OF}").content.decode()
        export = client.get(f"/reporting/dispatch/export.csv?area=350900&{AS_OF}", follow=True)
    assert queued == [] and not DispatchFigures.objects.exists()  # opening the page writes nothing
    assert "尚未计算" in html and RECOMPUTE_BUTTON in html and 'http-equiv="refresh"' not in html
    assert "请先点击按钮计算" in export.content.decode()

    with django_capture_on_commit_callbacks() as queued:
        client.post("/reporting/dispatch/recompute/", {"area": "350900", "as_of": "2024-06-30"})
        page = client.get(f"/reporting/dispatch/?area=350900&{AS_OF}")
    html = page.content.decode()
    assert len(queued) == 1  # one background computation for all the city's counties
    assert "正在后台计算" in html and "正在计算" in html and 'http-equiv="refresh"' in html
    assert "/reporting/dispatch/people/" not in html and RECOMPUTE_BUTTON not in html
    queued_counties = DispatchFigures.objects.filter(queued_at__isnull=False).values_list("county", flat=True)
    assert set(queued_counties) == _city_counties()

    with django_capture_on_commit_callbacks() as queued_again:
        client.get(f"/reporting/dispatch/?area=350900&{AS_OF}")
        export = client.get(f"/reporting/dispatch/export.csv?area=350900&{AS_OF}", follow=True)
    assert queued_again == []  # under way: not queued a second time
    assert "调度表仍在计算中" in export.content.decode()


def test_staff_recompute_in_the_background_with_a_button(
        dispatch_world, login, county_user_a, django_capture_on_commit_callbacks):
    client = login(county_user_a)
    _store()
    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/reporting/dispatch/recompute/", {"area": "350902", "as_of": "2024-06-30"})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert len(queued) == 1
    page = client.get(PAGE)
    html = page.content.decode()
    assert "调度表已开始在后台重新计算。" in html and "正在计算" in html and RECOMPUTE_BUTTON not in html
    assert _figures_in(page, "350902") == EXPECTED_A  # the stored figures stay shown meanwhile

    with django_capture_on_commit_callbacks() as queued_again:
        client.post("/reporting/dispatch/recompute/", {"area": "350902", "as_of": "2024-06-30"})
    assert queued_again == []


def test_a_computation_lost_for_an_hour_is_no_longer_shown_as_under_way(dispatch_world, login, county_user_a):
    client = login(county_user_a)
    _store()
    DispatchFigures.objects.update(queued_at=timezone.now() - datetime.timedelta(hours=2))
    html = client.get(PAGE).content.decode()
    assert "正在计算" not in html and RECOMPUTE_BUTTON in html


def test_stored_figures_are_scoped_like_the_live_table(dispatch_world, login, county_user_a, county_user_b,
                                                     school_user_a, django_capture_on_commit_callbacks):
    _store()
    client = login(county_user_b)
    with django_capture_on_commit_callbacks() as queued:
        assert client.get(PAGE).status_code == 404
        assert client.get(f"/reporting/dispatch/?area=350900&{AS_OF}").status_code == 404
        assert client.get(f"/reporting/dispatch/export.xlsx?area=350902&{AS_OF}").status_code == 404
        assert client.post("/reporting/dispatch/recompute/", {"area": "350902", "as_of": "2024-06-30"}).status_code == 404
        assert login(school_user_a).post("/reporting/dispatch/recompute/", {"area": "350902"}).status_code == 404
    assert queued == []
    assert DispatchFigures.objects.get(county="350902").queued_at is None
    assert not visible_to(DispatchFigures, county_user_b).filter(county="350902").exists()
    own = _figures_in(client.get(f"/reporting/dispatch/?{AS_OF}"), "350921")
    assert own == EXPECTED_B


def test_the_nightly_refresh_is_in_the_editable_beat_schedule(db):
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="reporting.refresh_dispatch_figures")
    assert entry.enabled and (entry.crontab.hour, entry.crontab.minute) == ("1", "30")


def _wait_until_stored(cutoff, seconds=120):
    """The stored figures {county: figures} once no computation is under way (or after ``seconds``)."""
    deadline = time.monotonic() + seconds
    rows = DispatchFigures.objects.filter(cutoff=cutoff)
    while time.monotonic() < deadline and (not rows.exists() or rows.filter(queued_at__isnull=False).exists()):
        time.sleep(0.3)
    return {row.county_id: row.figures for row in rows}


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # areas come from a migration
def test_a_real_worker_stores_the_same_figures_as_the_live_computation(
        celery_worker, dispatch_world, login, city_user, county_a, settings):
    from enrollment.models import Area
    from reporting.tasks import refresh_dispatch_figures

    settings.DISPATCH_LIVE_LIMIT = 0  # the page cannot compute: the button queues
    counties = sorted(_city_counties())
    live = dispatch.compute(counties, CUTOFF)
    assert live["350902"] == EXPECTED_A and live["350921"] == EXPECTED_B

    client = login(city_user)
    city_page = f"/reporting/dispatch/?area=350900&{AS_OF}"
    assert "尚未计算" in client.get(city_page).content.decode()  # the page queues nothing
    client.post("/reporting/dispatch/recompute/", {"area": "350900", "as_of": "2024-06-30"})
    assert "正在后台计算" in client.get(city_page).content.decode()  # queued for the worker
    assert _wait_until_stored(CUTOFF) == live | {"350900": EXPECTED_CITY}  # and the city's total, each child once
    page = client.get(city_page)
    assert _figures_in(page, "350902") == EXPECTED_A and "计算于" in page.content.decode()

    _add_insured_child(county_a)
    client.post("/reporting/dispatch/recompute/", {"area": "350900", "as_of": "2024-06-30"})
    recomputed = _wait_until_stored(CUTOFF)
    assert recomputed == dispatch.compute(counties, CUTOFF) | {"350900": dispatch.total(counties, CUTOFF)}
    assert recomputed["350902"]["insured_total"] == EXPECTED_A["insured_total"] + 1

    _add_insured_child(county_a)
    # Beat's nightly run on 5 July 2024 computes the period due on 11 July (data as of 30 June).
    result = refresh_dispatch_figures.apply_async(("2024-07-05",), queue=celery_worker.queue).get(timeout=120)
    assert result == {"cutoff": "2024-06-30", "counties": Area.objects.filter(level="county").count()}
    refreshed = {row.county_id: row.figures for row in DispatchFigures.objects.filter(cutoff=CUTOFF, county__in=counties)}
    assert refreshed == dispatch.compute(counties, CUTOFF)
    assert refreshed["350902"]["insured_total"] == EXPECTED_A["insured_total"] + 2
    assert not DispatchFigures.objects.filter(queued_at__isnull=False).exists()


def test_an_import_queues_a_recomputation_of_its_countys_stored_figures(
        media_root, tmp_path, county_a, county_b, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from reporting import periods

    from .registry_helpers import ROSTER_HEADERS, roster_rows, write_csv

    cutoff = periods.default_cutoff(timezone.localdate())
    stored_figures.store([county_a], cutoff)
    roster = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(2))
    with django_capture_on_commit_callbacks() as after_import:
        call_command("import_file", "school_roster", str(roster), "--county", "350902")
    with django_capture_on_commit_callbacks() as queued:
        for callback in after_import:
            callback()
    assert len(queued) == 1  # the background computation
    assert DispatchFigures.objects.get(county=county_a, cutoff=cutoff).queued_at is not None

    other = write_csv(tmp_path / "xiapu.csv", ROSTER_HEADERS, roster_rows(2, school_code="S3509210001", start=10))
    with django_capture_on_commit_callbacks() as after_import:  # nothing stored for Xiapu yet
        call_command("import_file", "school_roster", str(other), "--county", "350921")
    with django_capture_on_commit_callbacks() as queued:
        for callback in after_import:
            callback()
    assert queued == [] and not DispatchFigures.objects.filter(county=county_b).exists()


def _start_then_land_an_import(county, requests):
    """A ``dispatch.compute`` that, once it has read the data, lets an import land in ``county``
    and makes ``requests`` (what its after-import receiver and staff's button would do)."""
    compute = dispatch.compute
    seen = {}

    def compute_then_import_lands(counties, cutoff):
        figures = compute(counties, cutoff)  # the worker has read the data ...
        _add_insured_child(county)  # ... and an enrollment extract lands now
        seen["import_at"] = timezone.now()
        seen["queued"] = [request() for request in requests]
        return figures

    return compute_then_import_lands, seen


def test_an_import_landing_while_a_computation_runs_is_queued_again_not_lost(
        dispatch_world, county_a, county_user_a, monkeypatch, django_capture_on_commit_callbacks):
    from reporting import selectors

    stored_figures.store([county_a], CUTOFF)  # figures exist (e.g. last night's)
    started = timezone.now()
    running, seen = _start_then_land_an_import(county_a, [
        lambda: stored_figures.recompute_after_import(county_code="350902", today=D(2024, 7, 5)),
        lambda: stored_figures.request_computation(area=county_a, cutoff=CUTOFF),  # the 立即重新计算 button
    ])
    monkeypatch.setattr(dispatch, "compute", running)
    with django_capture_on_commit_callbacks() as queued:
        stored_figures.compute_area(area_code="350902", cutoff=CUTOFF)  # the running task
    monkeypatch.undo()

    assert seen["queued"] == [True, False]  # the import queues a new run; the button then finds it queued
    assert len(queued) == 1
    row = DispatchFigures.objects.get(county="350902", cutoff=CUTOFF)
    assert started <= row.computed_at < seen["import_at"]  # the time of the data it read
    assert row.figures == EXPECTED_A
    assert row.queued_at > seen["import_at"]  # still queued: the page keeps saying 正在计算
    assert selectors.stored_figures(county_user_a, county_a, CUTOFF).pending

    stored_figures.compute_area(area_code="350902", cutoff=CUTOFF)  # the queued run
    row.refresh_from_db()
    assert row.figures["insured_total"] == EXPECTED_A["insured_total"] + 1
    assert row.computed_at > seen["import_at"] and row.queued_at is None
    assert not selectors.stored_figures(county_user_a, county_a, CUTOFF).pending


def test_a_computation_shows_as_under_way_while_it_runs(dispatch_world, county_a, county_user_a, monkeypatch):
    from reporting import selectors

    stored_figures.store([county_a], CUTOFF)
    compute = dispatch.compute
    seen = {}

    def compute_and_look(counties, cutoff):
        seen["stored"] = selectors.stored_figures(county_user_a, county_a, CUTOFF)
        return compute(counties, cutoff)

    monkeypatch.setattr(dispatch, "compute", compute_and_look)
    stored_figures.compute_area(area_code="350902", cutoff=CUTOFF)
    assert seen["stored"].pending and seen["stored"].started_at is not None
    assert not selectors.stored_figures(county_user_a, county_a, CUTOFF).pending


def test_a_run_that_ends_after_a_later_one_keeps_the_later_figures(dispatch_world, county_a, monkeypatch):
    compute = dispatch.compute
    later = {}

    def slow_run_overtaken(counties, cutoff):
        figures = compute(counties, cutoff)  # the first worker has read the data ...
        monkeypatch.setattr(dispatch, "compute", compute)
        _add_insured_child(county_a)  # ... an import lands, and a second worker runs to the end
        stored_figures.compute_area(area_code="350902", cutoff=CUTOFF)
        later["row"] = DispatchFigures.objects.get(county="350902", cutoff=CUTOFF)
        return figures

    monkeypatch.setattr(dispatch, "compute", slow_run_overtaken)
    stored_figures.compute_area(area_code="350902", cutoff=CUTOFF)

    row = DispatchFigures.objects.get(county="350902", cutoff=CUTOFF)
    assert row.figures["insured_total"] == EXPECTED_A["insured_total"] + 1 == later["row"].figures["insured_total"]
    assert row.computed_at == later["row"].computed_at and row.queued_at is None
