"""The report's way up (issue 17): the city reviews each submitted table (accept, or return it
with a reason for a corrected new version, every version kept), the narrative report and the
paper form's lines travel with it, the city reminds late counties (催报) and ranks them (通报).

Timeline: the first period is due 2024-07-11 with data as of 2024-06-30; the tests run
"today" (long after), so the period is open and its deadline has passed.
"""
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from enrollment.models import Area, Role
from outreach.models import Notification
from reporting import bulletin as bulletins
from reporting import periods, services
from reporting.dispatch import figures as dispatch
from reporting.models import ReportReminder, ReviewStatus, SubmittedReport

from .factories import enroll, make_person, make_user
from .reporting_helpers import EXPECTED_A, dispatch_world  # noqa: F401

D = datetime.date
DUE = "2024-07-11"
FORM = {"progress": "完成学校名单比对，动员入学新生参保。", "problems": "流动儿童联系难。",
        "suggestions": "请求共享户籍数据。", "unit": "宁德市蕉城区医疗保障局", "checked_by": "林主任",
        "phone": "0593-2822100"}


def _submit(client, **changes):
    return client.post(f"/reporting/periods/{DUE}/submit/", {**FORM, **changes})


def _review(client, report, decision, reason=""):
    return client.post(f"/reporting/reports/{report.pk}/review/", {"decision": decision, "reason": reason})


# --- return and resubmit --------------------------------------------------------------------

def test_a_returned_table_is_corrected_and_sent_again_every_version_kept(
        dispatch_world, login, county_user_a, city_user, county_a):
    county, city = login(county_user_a), login(city_user)
    _submit(county)
    first = SubmittedReport.objects.get()
    assert (first.version, first.status, first.figures) == (1, ReviewStatus.SUBMITTED, EXPECTED_A)
    assert (first.progress, first.checked_by, first.unit) == (FORM["progress"], "林主任", FORM["unit"])

    refused = _review(city, first, "return")  # a return needs its reason
    assert refused.status_code == 302
    assert SubmittedReport.objects.get().status == ReviewStatus.SUBMITTED
    _review(city, first, "return", "幼儿园名单漏报一所园")
    first.refresh_from_db()
    assert first.status == ReviewStatus.RETURNED and first.return_reason == "幼儿园名单漏报一所园"
    assert first.reviewed_by == city_user
    told = Notification.objects.get(recipient=county_user_a, kind="report_review")
    assert "退回" in told.title and told.body == "幼儿园名单漏报一所园"

    # The county sees the return, corrects its data and the report, and sends version 2.
    periods_page = county.get("/reporting/periods/").content.decode()
    assert "已退回" in periods_page and "更正后重新报送" in periods_page
    confirm = county.get(f"/reporting/periods/{DUE}/submit/")
    assert "幼儿园名单漏报一所园" in confirm.content.decode()
    assert confirm.context["form"].initial["progress"] == FORM["progress"]  # the returned text, to correct
    enroll(make_person(county_a, name="补录儿童", birth_date=D(2016, 1, 1)), 2024, paid_on=D(2024, 6, 1))
    _submit(county, progress="已补报漏报幼儿园。")
    second = SubmittedReport.objects.get(version=2)
    assert second.figures["insured_total"] == EXPECTED_A["insured_total"] + 1
    assert second.status == ReviewStatus.SUBMITTED and second.progress == "已补报漏报幼儿园。"
    first.refresh_from_db()
    assert first.figures == EXPECTED_A and first.status == ReviewStatus.RETURNED  # kept as it was

    # The report page lists both versions; the period's table shows the live one only.
    page = city.get(f"/reporting/reports/{second.pk}/").content.decode()
    assert "历次版本" in page and "幼儿园名单漏报一所园" in page and f"/reporting/reports/{first.pk}/" in page
    period = city.get(f"/reporting/periods/{DUE}/")
    assert [r.pk for r in period.context["reports"]] == [second.pk]

    # Accepted: final. Its figures never change, it cannot be sent or reviewed again.
    _review(city, second, "accept")
    second.refresh_from_db()
    assert second.status == ReviewStatus.ACCEPTED
    enroll(make_person(county_a, name="再补录儿童", birth_date=D(2015, 1, 1)), 2024, paid_on=D(2024, 6, 2))
    again = county.post(f"/reporting/periods/{DUE}/submit/", FORM, follow=True)
    assert "本期调度表已报送，不能重复报送。" in again.content.decode()
    _review(city, second, "return", "再退回")
    with pytest.raises(ValidationError):
        services.review_report(user=city_user, pk=second.pk, accept=False, reason="再退回")
    second.refresh_from_db()
    assert second.status == ReviewStatus.ACCEPTED and second.return_reason == ""
    assert second.figures["insured_total"] == EXPECTED_A["insured_total"] + 1
    assert SubmittedReport.objects.count() == 2


def test_only_one_live_version_even_when_two_submissions_race(dispatch_world, county_user_a, county_a):
    """The database refuses a second version awaiting review (the constraint, not just a check)."""
    from django.db import IntegrityError, transaction

    report = services.submit_report(user=county_user_a, deadline=D(2024, 7, 11))
    with pytest.raises(IntegrityError), transaction.atomic():
        SubmittedReport.objects.create(county=county_a, deadline=report.deadline, cutoff=report.cutoff, version=2,
                                       submitted_by=county_user_a, submitted_at=timezone.now(), figures={})


def test_the_narrative_and_the_form_lines_are_asked_for(dispatch_world, login, county_user_a):
    page = _submit(login(county_user_a), progress="", checked_by="")
    html = page.content.decode()
    assert page.status_code == 200 and not SubmittedReport.objects.exists()
    assert "工作进展：这个字段是必填项。" in html and "审核人：这个字段是必填项。" in html


# --- review permissions -------------------------------------------------------------------

def test_a_county_cannot_review_its_own_table(dispatch_world, login, county_user_a, school_user_a):
    _submit(login(county_user_a))
    report = SubmittedReport.objects.get()
    for user in (county_user_a, school_user_a):
        assert _review(login(user), report, "accept").status_code == 404
    with pytest.raises(Exception):
        services.review_report(user=county_user_a, pk=report.pk, accept=True)
    assert SubmittedReport.objects.get().status == ReviewStatus.SUBMITTED


def test_the_city_of_another_city_neither_sees_nor_reviews(dispatch_world, login, county_user_a):
    lishui = make_user(Role.CITY, area=Area.objects.get(pk="331100"), username="city_lishui")
    _submit(login(county_user_a))
    report = SubmittedReport.objects.get()
    client = login(lishui)
    assert client.get(f"/reporting/reports/{report.pk}/").status_code == 404
    assert _review(client, report, "accept").status_code == 404
    assert SubmittedReport.objects.get().status == ReviewStatus.SUBMITTED
    assert "蕉城区" not in client.get("/reporting/periods/").content.decode()


# --- 催报 -----------------------------------------------------------------------------------

def test_reminders_go_to_the_late_counties_only(dispatch_world, login, county_user_a, county_user_b, city_user,
                                                county_b):
    city_centre = make_user(Role.COUNTY, area=Area.objects.get(pk="350999"), username="centre")
    returned_county = Area.objects.get(pk="350922")
    returned_user = make_user(Role.COUNTY, area=returned_county, username="gutian")
    _submit(login(county_user_a))  # on file: not late
    gutian = services.submit_report(user=returned_user, deadline=D(2024, 7, 11))
    services.review_report(user=city_user, pk=gutian.pk, accept=False, reason="数据有误")  # returned: late again

    response = login(city_user).post(f"/reporting/periods/{DUE}/remind/")
    assert response.status_code == 302
    ningde = set(Area.objects.filter(parent_id="350900", level="county").values_list("pk", flat=True))
    reminded = set(ReportReminder.objects.values_list("county_id", flat=True))
    assert reminded == ningde - {"350902"} and "350999" in reminded and "350922" in reminded
    assert ReportReminder.objects.get(county=county_b).sent_by == city_user
    told = set(Notification.objects.filter(kind="report_reminder").values_list("recipient__username", flat=True))
    assert told == {"county_b", "centre", "gutian"}  # never county A, which submitted
    assert not Notification.objects.filter(recipient=county_user_a, kind="report_reminder").exists()

    # The county sees it on its periods page and home page; county A sees no reminder.
    assert "已催报 1 次" in login(county_user_b).get("/reporting/periods/").content.decode()
    assert "催报：2024年7月11日 到期的调度表尚未报送" in login(city_centre).get("/").content.decode()
    assert "催报：" not in login(county_user_a).get("/").content.decode()


def test_no_reminder_before_the_deadline_nor_by_a_county(dispatch_world, login, county_user_a, city_user):
    upcoming = periods.next_due(timezone.localdate())
    with pytest.raises(ValidationError):
        services.remind_late(user=city_user, deadline=upcoming.deadline)
    assert login(county_user_a).post(f"/reporting/periods/{DUE}/remind/").status_code == 404
    assert not ReportReminder.objects.exists() and not Notification.objects.exists()


def test_nothing_to_remind_when_every_unit_submitted(login, city_user):
    ningde = Area.objects.filter(parent_id="350900", level="county")
    for county in ningde:
        services.submit_report(user=make_user(Role.COUNTY, area=county), deadline=D(2024, 7, 11))
    page = login(city_user).post(f"/reporting/periods/{DUE}/remind/", follow=True).content.decode()
    assert "本期没有逾期未报的单位。" in page and not ReportReminder.objects.exists()


# --- 通报 -----------------------------------------------------------------------------------

def _report(code, status=ReviewStatus.ACCEPTED, version=1, **figures):
    county = Area.objects.get(pk=code)
    user = make_user(Role.COUNTY, area=county)
    return SubmittedReport.objects.create(
        county=county, deadline=D(2024, 7, 11), cutoff=D(2024, 6, 30), version=version, submitted_by=user,
        submitted_at=timezone.now(), figures=dict.fromkeys(dispatch.KEYS, 0) | figures, status=status)


def _hand_built_period():
    # pupils rate = (kg_insured + school_insured) / (kg_provided + school_provided)
    _report("350902", kg_provided=50, kg_insured=45, school_provided=50, school_insured=45,  # 90%
            kg_uninsured=5, kg_after_outreach=1, school_uninsured=5, school_after_outreach=4)  # conversion 50%
    _report("350921", kg_provided=100, kg_insured=95, school_provided=100, school_insured=95,  # 95%
            school_uninsured=10, school_after_outreach=2, health_uninsured=10, health_after_outreach=8)  # 50%
    _report("350922", kg_provided=20, kg_insured=18, school_provided=0, school_insured=0)  # 90%, no school
    _report("350923", kg_provided=0, school_provided=0)  # nothing provided: no rate
    _report("350924", kg_provided=10, kg_insured=10, school_provided=10, school_insured=10,
            status=ReviewStatus.SUBMITTED)  # awaiting review: not ranked
    _report("350925", status=ReviewStatus.RETURNED, kg_provided=10, kg_insured=10)


def test_the_bulletin_ranks_accepted_tables_by_the_key_rates(city_user):
    _hand_built_period()
    bulletin = bulletins.bulletin_for(city_user, D(2024, 7, 11))
    order = [(line.county.pk, line.cells()) for line in bulletin.lines]
    assert order == [
        ("350921", [("95.0", 1), ("95.0", 1), ("95.0", 1), ("50.0", 1)]),
        ("350902", [("90.0", 2), ("90.0", 2), ("90.0", 2), ("50.0", 1)]),  # ties share a rank
        ("350922", [("90.0", 2), ("90.0", 2), ("—", None), ("—", None)]),
        ("350923", [("—", None), ("—", None), ("—", None), ("—", None)]),  # no rate, no rank, last
    ]
    # the city overall: the accepted tables summed (45+45+95+95+18) / (50+50+100+100+20)
    assert bulletin.total.cells()[0] == ("93.1", None)
    assert bulletin.total.cells()[3] == ("50.0", None)  # (1+4+2+8) / (5+5+10+10)
    pending = {county.pk: (report.status if report else None) for county, report in bulletin.pending}
    assert pending["350924"] == ReviewStatus.SUBMITTED and pending["350925"] == ReviewStatus.RETURNED
    assert pending["350926"] is None and "350921" not in pending


def test_ranks_skip_after_a_tie():
    assert bulletins.ranks({"a": 3, "b": 5, "c": 5, "d": None, "e": 1}) == {"a": 3, "b": 1, "c": 1, "d": None, "e": 4}


def test_the_bulletin_page_and_pdf(login, city_user, supervisor_user, county_user_a):
    _hand_built_period()
    page = login(city_user).get(f"/reporting/periods/{DUE}/bulletin/").content.decode()
    assert "宁德市儿童参加基本医疗保险工作情况通报" in page and "在校（园）儿童参保率（%）" in page
    assert page.index("霞浦县") < page.index("蕉城区") < page.index("古田县")
    response = login(supervisor_user).get(f"/reporting/periods/{DUE}/bulletin.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(reader.pages[0].extract_text().split())
    assert "宁德市儿童参加基本医疗保险工作情况通报" in text and "霞浦县95.0195.0195.0150.01" in text
    fonts = {str(ref.get_object()["/BaseFont"]) for ref in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("CJK" in name for name in fonts), fonts
    assert login(county_user_a).get(f"/reporting/periods/{DUE}/bulletin/").status_code == 404
    assert login(city_user).get("/reporting/periods/2024-07-12/bulletin/").status_code == 404


# --- the printed form ----------------------------------------------------------------------

def test_a_submitted_table_prints_the_form_lines_and_the_narrative(dispatch_world, login, county_user_a):
    county_user_a.first_name, county_user_a.last_name = "", "陈晓"
    county_user_a.save()
    _submit(login(county_user_a))
    report = SubmittedReport.objects.get()
    filled_on = timezone.localtime(report.submitted_at).date()
    day = f"{filled_on.year}年{filled_on.month}月{filled_on.day}日"
    client = login(county_user_a)
    sheet = load_workbook(io.BytesIO(client.get(f"/reporting/reports/{report.pk}/export.xlsx").content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "填报单位：宁德市蕉城区医疗保障局" in sheet["A2"].value
    assert f"填报人：陈晓    审核人：林主任    联系电话：0593-2822100    填报日期：{day}" in cells
    assert "一、工作进展" in cells and FORM["progress"] in cells and "三、意见建议" in cells
    pdf = PdfReader(io.BytesIO(client.get(f"/reporting/reports/{report.pk}/export.pdf").content))
    text = "".join("".join(page.extract_text().split()) for page in pdf.pages)
    for expected in ("填报单位：宁德市蕉城区医疗保障局", "填报人：陈晓", "审核人：林主任", "联系电话：0593-2822100",
                     f"填报日期：{day}", "工作进展", "流动儿童联系难", "意见建议"):
        assert expected in text, expected


def test_a_live_table_prints_the_downloaders_lines_from_the_county_contact(dispatch_world, login, county_user_a,
                                                                         county_a):
    from outreach.models import CountyContact

    CountyContact.objects.create(county=county_a, office="宁德市蕉城区医疗保障局", phone="0593-2822100")
    sheet = load_workbook(io.BytesIO(login(county_user_a).get(
        "/reporting/dispatch/export.xlsx?as_of=2024-06-30").content)).active
    assert "填报单位：宁德市蕉城区医疗保障局" in sheet["A2"].value
    assert "联系电话：0593-2822100" in sheet["A7"].value and "审核人：＿" in sheet["A7"].value


def test_a_second_click_on_remind_the_same_day_tells_no_county_twice(dispatch_world, login, county_user_b,
                                                                     city_user):
    client = login(city_user)
    client.post(f"/reporting/periods/{DUE}/remind/")
    first = ReportReminder.objects.count()
    told = Notification.objects.filter(recipient=county_user_b, kind="report_reminder").count()
    assert first and told == 1
    page = client.post(f"/reporting/periods/{DUE}/remind/", follow=True).content.decode()
    assert ReportReminder.objects.count() == first
    assert Notification.objects.filter(recipient=county_user_b, kind="report_reminder").count() == 1
    assert "今天已催报" in page
    # the next day the city may remind again
    services.remind_late(user=city_user, deadline=D(2024, 7, 11), now=timezone.now() + datetime.timedelta(days=1))
    assert Notification.objects.filter(recipient=county_user_b, kind="report_reminder").count() == 2
