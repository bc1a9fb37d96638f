"""Reporting periods, and submitted tables frozen as sent."""
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting import periods, services
from reporting.models import SubmittedReport

from .factories import enroll, make_person
from .reporting_helpers import EXPECTED_A, dispatch_world  # noqa: F401

D = datetime.date


def test_the_notice_deadlines_and_their_cut_offs():
    got = [(p.deadline, p.cutoff) for p in periods.periods(D(2026, 11, 23))]
    assert got == [
        (D(2024, 7, 11), D(2024, 6, 30)), (D(2024, 11, 11), D(2024, 10, 31)),
        (D(2025, 3, 11), D(2025, 2, 28)), (D(2025, 11, 11), D(2025, 10, 31)),
        (D(2026, 3, 11), D(2026, 2, 28)), (D(2026, 11, 11), D(2026, 10, 31)),
        (D(2027, 3, 11), D(2027, 2, 28)),
    ]


@pytest.mark.parametrize("today, due", [
    (D(2024, 5, 20), D(2024, 7, 11)), (D(2024, 7, 11), D(2024, 7, 11)), (D(2024, 7, 12), D(2024, 11, 11)),
    (D(2026, 11, 23), D(2027, 3, 11)), (D(2028, 3, 1), D(2028, 3, 11)),
])
def test_what_is_due_next(today, due):
    assert periods.next_due(today).deadline == due


def test_a_day_that_is_not_a_deadline_is_no_period():
    assert periods.period_for(D(2025, 3, 12)) is None
    assert periods.period_for(D(2028, 2, 11)) is None
    assert periods.period_for(D(2028, 3, 11)).cutoff == D(2028, 2, 29)


# What the confirmation form asks besides the figures: the narrative report and the form's lines.
FORM = {"progress": "完成学校名单比对", "unit": "蕉城区医疗保障局", "checked_by": "林主任", "phone": "0593-2822100"}


def _submit(login, user, deadline="2024-07-11"):
    return login(user).post(f"/reporting/periods/{deadline}/submit/", FORM)


def test_submitted_table_is_frozen_against_later_imports(dispatch_world, login, county_user_a, county_a):
    response = _submit(login, county_user_a)
    report = SubmittedReport.objects.get()
    assert response["Location"] == f"/reporting/reports/{report.pk}/"
    assert report.figures == EXPECTED_A and report.submitted_by == county_user_a
    assert report.cutoff == D(2024, 6, 30)

    late = make_person(county_a, name="后补录儿童", birth_date=D(2016, 1, 1))  # a later extract
    enroll(late, 2024, paid_on=D(2024, 6, 1))
    live = login(county_user_a).get("/reporting/dispatch/?as_of=2024-06-30").content.decode()
    assert f'/people/350902/insured_total/?as_of=2024-06-30" title="查看该数字对应的人员名单">16<' in live

    page = login(county_user_a).get(f"/reporting/reports/{report.pk}/")
    assert page.context["table"].rows[0].figures == EXPECTED_A
    sheet = load_workbook(io.BytesIO(
        login(county_user_a).get(f"/reporting/reports/{report.pk}/export.xlsx").content)).active
    assert sheet["B5"].value == 15
    pdf = login(county_user_a).get(f"/reporting/reports/{report.pk}/export.pdf").content
    text = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "数据按报送时冻结" in text


def test_a_period_is_submitted_once(dispatch_world, login, county_user_a):
    _submit(login, county_user_a)
    page = login(county_user_a).post("/reporting/periods/2024-07-11/submit/", follow=True)
    assert "本期调度表已报送，不能重复报送。" in page.content.decode()
    assert SubmittedReport.objects.count() == 1


def test_a_period_opens_the_day_after_its_cut_off(county_user_a):
    on_cutoff = timezone.make_aware(datetime.datetime(2024, 6, 30, 12))
    with pytest.raises(ValidationError):
        services.submit_report(user=county_user_a, deadline=D(2024, 7, 11), now=on_cutoff)
    with pytest.raises(ValidationError):
        services.submit_report(user=county_user_a, deadline=D(2024, 7, 12))
    day_after = timezone.make_aware(datetime.datetime(2024, 7, 1, 9))
    report = services.submit_report(user=county_user_a, deadline=D(2024, 7, 11), now=day_after)
    assert not report.is_late


def test_only_county_staff_submit(dispatch_world, login, city_user, school_user_a):
    assert _submit(login, city_user).status_code == 404
    assert _submit(login, school_user_a).status_code == 404
    assert not SubmittedReport.objects.exists()


def test_who_sees_a_submitted_report(dispatch_world, login, county_user_a, county_user_b, city_user,
                                     health_user_a):
    _submit(login, county_user_a)
    report = SubmittedReport.objects.get()
    assert login(city_user).get(f"/reporting/reports/{report.pk}/").status_code == 200
    for outsider in (county_user_b, health_user_a):
        assert login(outsider).get(f"/reporting/reports/{report.pk}/").status_code == 404
        assert login(outsider).get(f"/reporting/reports/{report.pk}/export.pdf").status_code == 404


def test_periods_page_shows_what_is_due_and_what_was_sent(dispatch_world, login, county_user_a, city_user):
    _submit(login, county_user_a)
    html = login(city_user).get("/reporting/periods/").content.decode()
    assert "下次报送截止日为" in html
    assert "逾期报送" in html  # county A, sent in 2026 for July 2024
    assert "已逾期未报送" in html  # county B and the later periods
    assert "报送并冻结" not in html  # city staff read only
    assert "报送并冻结" in login(county_user_a).get("/reporting/periods/").content.decode()


def test_city_rolls_up_the_submitted_tables_of_a_period(dispatch_world, login, county_user_a, city_user):
    _submit(login, county_user_a)
    enroll(make_person(dispatch_world.b_child.county, name="后补录", birth_date=D(2016, 5, 5)), 2024,
           paid_on=D(2024, 6, 1))  # in county B, which has not submitted: not in the roll-up
    page = login(city_user).get("/reporting/periods/2024-07-11/")
    rows = {row.code: row for row in page.context["table"].rows}
    assert rows["350902"].figures == EXPECTED_A
    assert rows["350921"].is_missing and "未报送" in page.content.decode()
    assert rows["350900"].figures == EXPECTED_A  # the total counts submitted counties only
    sheet = load_workbook(io.BytesIO(login(city_user).get("/reporting/periods/2024-07-11/export.xlsx").content)).active
    values = {row[0]: row[1:] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert values["蕉城区"] == tuple(EXPECTED_A.values()) and values["霞浦县"][0] == "未报送"
    assert values["合计"] == tuple(EXPECTED_A.values())


def test_period_roll_up_is_scoped(dispatch_world, login, county_user_a, county_user_b, school_user_a):
    _submit(login, county_user_a)
    page = login(county_user_b).get("/reporting/periods/2024-07-11/")
    assert [row.code for row in page.context["table"].rows] == ["350921"]
    assert page.context["table"].rows[0].is_missing and "蕉城区" not in page.content.decode()
    assert login(school_user_a).get("/reporting/periods/2024-07-11/").status_code == 404
    assert login(county_user_a).get("/reporting/periods/2024-07-12/").status_code == 404


@pytest.mark.parametrize("url", [
    "/reporting/periods/not-a-date/", "/reporting/periods/2024-02-30/", "/reporting/periods/2024-07-11x/export.csv",
])
def test_a_badly_typed_date_in_the_address_is_404(dispatch_world, login, county_user_a, url):
    assert login(county_user_a).get(url).status_code == 404
    assert login(county_user_a).post("/reporting/periods/2024-13-11/submit/").status_code == 404


@pytest.mark.parametrize("query", ["as_of=30.06.2024", "as_of=", "as_of=0001-01-01"])
def test_a_badly_typed_date_in_the_query_is_a_400_in_chinese(dispatch_world, login, county_user_a, query):
    response = login(county_user_a).get(f"/reporting/dispatch/people/350902/age_0_1/?{query}")
    assert response.status_code == 400 and "参数“as_of”无效" in response.content.decode()


def test_reporting_reads_typed_dates_with_the_one_parser():
    """Dates from query strings and URLs go through enrollment.registry.periods.parse_iso_date only."""
    from pathlib import Path

    import reporting
    hand_parsed = [path.name for path in Path(reporting.__file__).parent.glob("*.py")
                   if "fromisoformat" in path.read_text()]
    assert hand_parsed == []


def test_submitting_asks_for_confirmation_showing_the_figures_first(dispatch_world, login, county_user_a):
    client = login(county_user_a)
    periods_page = client.get("/reporting/periods/").content.decode()
    assert 'href="/reporting/periods/2024-07-11/submit/"' in periods_page  # a link, not a POST form
    assert 'method="post" action="/reporting/periods/2024-07-11/submit/"' not in periods_page

    page = client.get("/reporting/periods/2024-07-11/submit/")
    html = page.content.decode()
    assert page.status_code == 200 and not SubmittedReport.objects.exists()
    assert page.context["table"].rows[0].figures == EXPECTED_A
    assert "提交后不可修改，确认提交？" in html
    assert 'method="post" action="/reporting/periods/2024-07-11/submit/"' in html and "确认提交" in html
    assert "<script>" not in html and " onclick=" not in html and " onsubmit=" not in html  # the CSP forbids inline JS

    response = client.post("/reporting/periods/2024-07-11/submit/", {**FORM, "note": "已核对"})
    report = SubmittedReport.objects.get()
    assert response["Location"] == f"/reporting/reports/{report.pk}/"
    assert report.figures == EXPECTED_A and report.note == "已核对"


def test_the_confirmation_is_refused_like_the_submission(dispatch_world, login, county_user_a, city_user,
                                                        school_user_a):
    assert login(city_user).get("/reporting/periods/2024-07-11/submit/").status_code == 404
    assert login(school_user_a).get("/reporting/periods/2024-07-11/submit/").status_code == 404
    client = login(county_user_a)
    assert client.get("/reporting/periods/2024-07-12/submit/", follow=True).redirect_chain[-1][0] == "/reporting/periods/"
    not_open = client.get(f"/reporting/periods/{periods.next_due(timezone.localdate()).key}/submit/", follow=True)
    assert "次日起方可报送" in not_open.content.decode()
    _submit(login, county_user_a)
    again = client.get("/reporting/periods/2024-07-11/submit/", follow=True)
    assert "本期调度表已报送，不能重复报送。" in again.content.decode()
    assert SubmittedReport.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_confirmation_page_opens_outside_a_test_transaction(login, county_user_a):
    """As in production: no surrounding transaction (PostgreSQL refuses a locking read there)."""
    page = login(county_user_a).get("/reporting/periods/2024-07-11/submit/")
    assert page.status_code == 200 and "提交后不可修改，确认提交？" in page.content.decode()


def test_figures_that_changed_after_the_confirmation_page_are_not_frozen(dispatch_world, login, county_user_a,
                                                                         county_a):
    client = login(county_user_a)
    shown = client.get("/reporting/periods/2024-07-11/submit/").context["fingerprint"]
    enroll(make_person(county_a, name="后补录儿童", birth_date=datetime.date(2016, 1, 1)), 2024,
           paid_on=datetime.date(2024, 6, 1))  # an import lands meanwhile
    page = client.post("/reporting/periods/2024-07-11/submit/", {**FORM, "figures": shown}, follow=True)
    assert page.redirect_chain[-1][0] == "/reporting/periods/2024-07-11/submit/"
    assert "显示后数据已发生变化" in page.content.decode() and not SubmittedReport.objects.exists()
    again = page.context["fingerprint"]
    client.post("/reporting/periods/2024-07-11/submit/", {**FORM, "figures": again})
    assert SubmittedReport.objects.get().figures["insured_total"] == EXPECTED_A["insured_total"] + 1
