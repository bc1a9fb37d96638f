"""The renewal worklist (续保提醒): children insured in the county in the last insurance year and
not yet for the coming one, walked along the 2027 concentrated period (1 September to 31
December 2026 under the national defaults) and the enrollment extracts that follow it."""
import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from enrollment.models import AccessAction, AccessEvent, Guardian, ListSource, UninsuredCase
from outreach import renewals
from outreach.models import OutreachTask

from .factories import enroll, make_id, make_person
from .registry_helpers import media_root, write_csv  # noqa: F401

pytestmark = pytest.mark.django_db

ENROLLMENT_HEADERS = ["身份证号", "出生医学证明编号", "姓名", "出生日期", "参保年度", "险种", "参保地区代码",
                      "缴费日期", "缴费渠道", "大病报销金额", "基金报销金额"]


def on_list(user, today):
    return set(renewals.children(user, today=today).values_list("name", flat=True))


def child(county, name, born=datetime.date(2015, 6, 1), *, years=(2026,), phone="", guardian_id=""):
    person = make_person(county, name=name, birth_date=born, id_number=make_id(county.pk, born))
    for year in years:
        enroll(person, year, paid_on=datetime.date(year - 1, 10, 1), fund_paid=Decimal("0"))
    if phone or guardian_id:
        Guardian.objects.create(person=person, name=f"{name}妈妈", phone=phone, id_number=guardian_id)
    return person


def test_the_list_at_the_edges_of_the_period(county_a, county_user_a):
    child(county_a, "去年参保")
    last_day = child(county_a, "最后一天缴费")
    wrong_year = child(county_a, "缴错年度")
    enroll(wrong_year, 2025, paid_on=datetime.date(2026, 12, 20))  # a back-payment, not 2027
    baby = make_person(county_a, name="新生儿", birth_date=datetime.date(2026, 5, 10),
                       id_number=make_id(county_a.pk, datetime.date(2026, 5, 10)))
    enroll(baby, 2026, paid_on=datetime.date(2026, 6, 1))  # insured as a newborn in its birth year
    late_baby = make_person(county_a, name="未满90天", birth_date=datetime.date(2026, 11, 20),
                            id_number=make_id(county_a.pk, datetime.date(2026, 11, 20)))
    elsewhere = child(county_a, "外地参保", years=())
    enroll(elsewhere, 2026, area_code="350921")  # insured last year in county B: B's list
    child(county_a, "十九岁", born=datetime.date(2008, 1, 1))  # 19 on 1 January 2027

    before = {"去年参保", "缴错年度", "新生儿"}
    assert on_list(county_user_a, datetime.date(2026, 3, 1)) == before | {"最后一天缴费"}  # before the period
    enroll(last_day, 2027, paid_on=datetime.date(2026, 12, 31))  # the extract of that day brings it
    assert on_list(county_user_a, datetime.date(2026, 12, 31)) == before  # paid on the last day: off
    assert late_baby.pk and "未满90天" not in on_list(county_user_a, datetime.date(2026, 12, 31))
    window = renewals.user_windows(county_user_a, datetime.date(2026, 12, 31))["350902"]
    assert (window.year, window.days_left(datetime.date(2026, 12, 31))) == (2027, 0)
    # from New Year the list is about 2028: who is insured for 2027
    assert on_list(county_user_a, datetime.date(2027, 1, 1)) == {"最后一天缴费"}


def test_what_a_lapse_costs_comes_from_the_benefit_rules(county_a, county_user_a):
    today = datetime.date(2026, 11, 28)
    child(county_a, "五年连续", years=(2022, 2023, 2024, 2025, 2026))
    child(county_a, "一年")
    found = renewals.user_windows(county_user_a, today)
    book = renewals.CostBook(found, today)
    rows = {p.name: book.cost(p) for p in renewals.children(county_user_a, today=today)}
    five, one = rows["五年连续"], rows["一年"]
    assert (five.late_waiting_months, five.skip_waiting_months) == (3, 4)  # fixed 3, +1 per missed year
    assert five.continuous_years == 5 and five.reward_lost == Decimal("1000")  # 2027 would be a step
    assert one.continuous_years == 1 and one.reward_lost == Decimal("0")
    assert "3" in five.text() and "1,000" in five.text()


@pytest.mark.usefixtures("media_root")
def test_children_who_paid_drop_off_after_the_enrollment_import(county_a, county_user_a, login, tmp_path):
    paid = child(county_a, "张已付")
    child(county_a, "李未付")
    page = login(county_user_a).get(reverse("outreach_renewals"))
    assert "张已付" in page.content.decode() and "李未付" in page.content.decode()
    path = write_csv(tmp_path / "enrollment.csv", ENROLLMENT_HEADERS, [
        [paid.id_number, "", "张已付", "", "2027", "居民医保", "350902", "2026-11-20", "税务征收", "0", "0"]])
    call_command("import_file", "enrollment", str(path), "--county", "350902", "--today", "2026-11-27")
    text = login(county_user_a).get(reverse("outreach_renewals")).content.decode()
    assert "张已付" not in text and "李未付" in text


def test_bulk_tasks_for_a_partner_one_per_household(county_a, county_user_a, login, school_a):
    elder = child(county_a, "哥哥", born=datetime.date(2012, 3, 1), phone="13900000001")
    child(county_a, "妹妹", born=datetime.date(2016, 3, 1), phone="13900000001")
    child(county_a, "独生", born=datetime.date(2014, 3, 1), phone="13900000002")
    client = login(county_user_a)
    response = client.post(reverse("outreach_renewals"), {
        "action": "tasks", "scope": "filtered", "assignee": school_a.pk, "due_on": "2026-12-20",
        "per_household": "on"})
    assert response.status_code == 302
    tasks = OutreachTask.objects.all()
    assert sorted(tasks.values_list("person__name", flat=True)) == ["哥哥", "独生"]
    assert set(UninsuredCase.objects.values_list("source", "insurance_year")) == {(ListSource.RENEWAL, 2027)}
    assert tasks.get(person=elder).assignee == school_a
    # the same assignment again creates nothing
    client.post(reverse("outreach_renewals"), {
        "action": "tasks", "scope": "filtered", "assignee": school_a.pk, "due_on": "2026-12-20"})
    assert OutreachTask.objects.count() == 3  # the sister now gets her own task; the others are kept


def test_the_page_counts_children_and_households_and_exports_audited(county_a, county_user_a, login):
    child(county_a, "哥哥", phone="13900000001")
    child(county_a, "妹妹", phone="13900000001")
    child(county_a, "独生", phone="13900000002")
    client = login(county_user_a)
    text = client.get(reverse("outreach_renewals")).content.decode()
    assert "3 名儿童，2 户家庭" in text or "3 children in 2 households" in text
    export = client.get(reverse("outreach_renewals") + "?export=csv")
    body = export.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("姓名,身份证号,学校,班级,监护人,监护人电话,剩余天数,断保代价")
    assert "哥哥" in body and "13900000001" in body
    assert make_id(county_a.pk) not in body  # masked
    assert AccessEvent.objects.filter(action=AccessAction.EXPORT, user=county_user_a, record_count=3).exists()


def test_another_county_sees_none_of_it_and_cannot_act(county_a, county_user_a, county_user_b, login, school_a):
    child(county_a, "甲县续保")
    client = login(county_user_b)
    assert "甲县续保" not in client.get(reverse("outreach_renewals")).content.decode()
    assert "甲县续保" not in client.get(reverse("outreach_renewals") + "?export=csv").content.decode("utf-8-sig")
    client.post(reverse("outreach_renewals"), {
        "action": "tasks", "scope": "filtered", "assignee": school_a.pk, "due_on": "2026-12-20"})
    assert not OutreachTask.objects.exists()


def test_household_notices_name_each_child_and_what_each_owes(county_a, county_user_a, login):
    from enrollment.models import ContributionStandard

    ContributionStandard.objects.update_or_create(area_id="350902", year=2027,
                                                  defaults={"individual": Decimal("400"), "subsidy": Decimal("700")})
    child(county_a, "哥哥", phone="13900000001")
    child(county_a, "妹妹", phone="13900000001")
    response = login(county_user_a).post(reverse("outreach_renewals"), {"action": "notices", "scope": "filtered"})
    assert response["Content-Type"] == "application/pdf"
    from .trust_helpers import pdf_text

    text = pdf_text(response.content)
    assert text.count("家庭参保告知书") == 1 and "哥哥" in text and "妹妹" in text and "800" in text
    assert AccessEvent.objects.filter(action=AccessAction.PRINT, user=county_user_a).exists()


def test_county_staff_are_reminded_30_and_7_days_before_the_period_ends(county_a, county_user_a, county_user_b):
    from outreach.models import Notification
    from outreach.reminders import send_reminders

    child(county_a, "未续保")
    send_reminders(today=datetime.date(2026, 11, 30))  # 31 days left: nothing yet
    assert not Notification.objects.filter(kind__startswith="renewal").exists()
    send_reminders(today=datetime.date(2026, 12, 1))
    send_reminders(today=datetime.date(2026, 12, 2))  # once per step
    send_reminders(today=datetime.date(2026, 12, 24))
    titles = list(Notification.objects.filter(recipient=county_user_a, kind__startswith="renewal")
                  .order_by("pk").values_list("title", "body"))
    assert [t for t, _b in titles] == ["续保提醒：集中参保期剩余30天", "续保提醒：集中参保期剩余7天"]
    assert "2026年度参保的 1 名儿童尚未参加2027年度" in titles[0][1]
    assert not Notification.objects.filter(recipient=county_user_b, kind__startswith="renewal").exists()


def test_too_many_household_notices_at_once_are_refused_with_a_reason(county_a, county_user_a, login, monkeypatch):
    from outreach import family_views

    monkeypatch.setattr(family_views, "HOUSEHOLD_NOTICE_LIMIT", 1)
    child(county_a, "哥哥", phone="13900000001")
    child(county_a, "独生", phone="13900000002")
    response = login(county_user_a).post(reverse("outreach_renewals"), {"action": "notices", "scope": "filtered"},
                                         follow=True)
    assert "每次最多 1 名儿童，请先按学校或班级筛选。" in response.content.decode()


def test_the_filters_narrow_the_worklist(county_a, county_user_a, login, school_a):
    worked = child(county_a, "已派任务", phone="13900000001")
    child(county_a, "无电话")
    login(county_user_a).post(reverse("outreach_renewals"), {
        "action": "tasks", "scope": "selected", "select": [worked.pk], "assignee": school_a.pk,
        "due_on": "2026-12-20"})
    client = login(county_user_a)
    untouched = client.get(reverse("outreach_renewals"), {"has_task": "false"}).content.decode()
    assert "无电话" in untouched and "已派任务" not in untouched
    with_phone = client.get(reverse("outreach_renewals"), {"has_phone": "true"}).content.decode()
    assert "已派任务" in with_phone and "无电话" not in with_phone
