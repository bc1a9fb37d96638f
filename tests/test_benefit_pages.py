"""The counter-staff calculator at /benefits/ and the person-page benefit panel."""
import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from enrollment.benefits.forms import parse_history
from enrollment.benefits.rules import EMPLOYEE
from enrollment.models import AccessEvent, BenefitParameterSet

from .benefit_helpers import LISHUI_CITY, QINGTIAN, person_insured, qingtian  # noqa: F401
from .factories import place_in_school

URL = reverse("benefits:calculator")


def ask(client, history, *, area=QINGTIAN, enrolled_on="2025-06-10", **extra):
    data = {"history": history, "area": area, "enrolled_on": enrolled_on, **extra}
    return client.post(URL, data)


def reasons(response):
    html = response.content.decode()
    return re.findall(r"<li>(.*?)</li>", html.split('class="benefit-reasons"', 1)[1])


@pytest.fixture
def counter(login, county_user_a):
    return login(county_user_a)


def test_county_and_city_staff_get_the_form(login, county_user_a, city_user):
    for user in (county_user_a, city_user):
        response = login(user).get(URL)
        assert response.status_code == 200
        assert "待遇测算" in response.content.decode()
        assert 'name="history"' in response.content.decode()


@pytest.mark.parametrize("partner", ["school_user_a", "health_user_a", "community_user_a"])
def test_partners_get_404(db, request, login, partner):
    client = login(request.getfixturevalue(partner))
    assert client.get(URL).status_code == 404
    assert ask(client, "2019-2023 参保").status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_break_of_three_years_waits_six_months(counter):
    # 国办发〔2024〕38号 / Lishui: fixed 3 months + 1 month per whole year of break.
    response = ask(counter, "2019-2021 参保, 2022-2024 断保")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2025年度待遇等待期" in html and "6个月" in html
    assert "自2026-01-01起享受待遇" in html
    assert any("2022—2024年断保3年" in line for line in reasons(response))


def test_each_back_paid_year_removes_a_month(counter):
    response = ask(counter, "2019-2021 参保, 2022 补缴, 2023 补缴")
    assert "4个月" in response.content.decode()
    assert "自2025-11-01起享受待遇" in response.content.decode()


def test_long_break_is_repaired_to_no_less_than_six_months(counter):
    response = ask(counter, "2015-2018 参保；2019-2024 补缴")
    html = response.content.decode()
    assert "6个月" in html
    assert any("不少于6个月" in line for line in reasons(response))


def test_newborn_is_covered_from_birth(counter):
    response = ask(counter, "", enrolled_on="2025-07-01", birth_date="2025-05-20")
    assert "自2025-05-20起享受待遇" in response.content.decode()


def test_medical_assistance_exempt_in_lishui_but_not_under_national_defaults(counter):
    lishui = ask(counter, "2019-2021 参保", special_groups=["medical_assistance"])
    ningde = ask(counter, "2019-2021 参保", area="350902", special_groups=["medical_assistance"])
    assert "自2025-07-01起享受待遇" in lishui.content.decode()
    assert "国家规定的默认参数" in ningde.content.decode()
    assert "自2026-01-01起享受待遇" in ningde.content.decode()


def test_lishui_transfer_in_from_employee_insurance_has_no_wait(counter):
    response = ask(counter, "2018-2024 职工", transfer_in_reason="employee",
                   transfer_in_on="2025-05-01")
    assert "自2025-07-01起享受待遇" in response.content.decode()


def test_rewards_of_5000_and_next_year_cap_when_enrolling_in_the_concentrated_period(counter):
    # Lishui: 2025 is the 5th continuous year and a zero-claim year -> +5000 +5000 in 2026;
    # enrolling for 2027 in October 2026: 2026 adds another 5000 + 5000 -> 420000 in 2027.
    response = ask(counter, "2021-2026 参保 零报销", enrolled_on="2026-10-15")
    html = response.content.decode()
    assert "丽水市，自2025-01-01起执行" in html
    assert "连续参保激励5000元，零报销激励5000元，合计10000元" in html
    assert "2026年大病保险最高支付限额" in html and "410000元" in html
    assert "2027年大病保险最高支付限额" in html and "420000元" in html
    assert "<dd>无<br>自2027-01-01起享受待遇</dd>" in html  # concentrated period, no break


def test_catastrophic_claim_clears_the_zero_claim_reward(counter):
    response = ask(counter, "2021-2025 参保 零报销, 2026 参保 大病报销", enrolled_on="2027-02-01")
    html = response.content.decode()
    assert "连续参保激励10000元，零报销激励0元，合计10000元" in html
    assert any("清零" in line for line in reasons(response))


def test_parameters_of_the_area_come_from_the_database(counter):
    BenefitParameterSet.objects.filter(area_id=LISHUI_CITY).update(
        continuous_reward_per_year=Decimal("3000"), zero_claim_reward_per_year=Decimal("2000"))
    response = ask(counter, "2021-2026 参保 零报销", enrolled_on="2026-10-15")
    assert "连续参保激励3000元，零报销激励2000元，合计5000元" in response.content.decode()


def test_unreadable_history_names_the_entry_in_chinese(counter):
    response = ask(counter, "2019-2023 参保, 2024 旅游")
    html = response.content.decode()
    assert response.status_code == 200 and 'class="benefit-reasons"' not in html
    assert "第2条（2024 旅游）：无法识别“旅游”。" in html


def test_a_year_twice_and_half_a_transfer_are_refused(counter):
    html = ask(counter, "2019-2023 参保, 2021 参保").content.decode()
    assert "第2条（2021 参保）：2021年重复填写。" in html
    html = ask(counter, "2019 参保", transfer_in_reason="army").content.decode()
    assert "转入情形和符合转入条件日期需同时填写。" in html


def test_calculator_stores_nothing(counter):
    before = (AccessEvent.objects.count(), BenefitParameterSet.objects.count())
    ask(counter, "2019-2021 参保")
    assert (AccessEvent.objects.count(), BenefitParameterSet.objects.count()) == before


def test_parse_history_reads_ranges_dates_and_schemes():
    with translation.override("zh-hans"):
        years = parse_history("2018—2019 职工；2020至2021 参保 报销\n2023 补缴 2025-03-10")
    assert [(y.year, y.scheme) for y in years] == [
        (2018, EMPLOYEE), (2019, EMPLOYEE), (2020, "resident"), (2021, "resident"),
        (2023, "resident")]
    assert years[2].fund_paid == years[3].fund_paid == 1
    assert years[0].fund_paid is None  # not said: no zero-claim reward
    assert years[-1].back_paid and years[-1].paid_on == datetime.date(2025, 3, 10)


# --------------------------------------------------------------------------------------------
# The person panel

PANEL = Template("{% load benefits %}{% benefit_panel person on %}")


def test_panel_shows_years_waiting_rewards_and_cap_with_reasons(db, qingtian, city_user):
    person = person_insured(qingtian, range(2021, 2028), fund_paid=Decimal("0"))
    with translation.override("zh-hans"):
        html = PANEL.render(Context({"person": person, "on": datetime.date(2027, 3, 1),
                                     "user": city_user}))
    assert "参保待遇" in html and "截至2027-03-01" in html
    assert "连续参保年数" in html and "7年" in html and "（自2021年起）" in html
    assert "2027年度待遇等待期" in html
    assert "连续参保激励10000元，零报销激励10000元，合计20000元" in html
    assert "420000元" in html
    assert "2027年大病保险最高支付限额为420000元（原封顶线400000元，激励提高20000元）。" in html


def test_panel_without_enrollment_this_year_says_so(db, county_a, county_user_a):
    person = person_insured(county_a, range(2019, 2022))
    with translation.override("zh-hans"):
        html = PANEL.render(Context({"person": person, "on": datetime.date(2025, 6, 10),
                                     "user": county_user_a}))
    assert "没有2025年度居民医保参保记录" in html
    assert "6个月" in html and "国家规定的默认参数" in html


def test_the_enrollment_being_paid_counts_toward_continuous_years(counter):
    # Nationally a late payment inside the year keeps continuity but waits the fixed 3 months;
    # in Lishui the five unpaid months (January-May) are no break by the plain reading of
    # "跨年度、跨制度转换参保关系，且中断缴费4个月及以上" (004 line 56): the resident only paid late.
    national = ask(counter, "2019-2024 参保", area="350902").content.decode()
    assert "<dd>7年 （自2019年起）</dd>" in national
    assert "3个月<br>自2025-10-01起享受待遇" in national
    lishui = ask(counter, "2019-2024 参保").content.decode()
    assert "<dd>7年 （自2019年起）</dd>" in lishui
    assert "不属于跨年度、跨制度转换参保关系" in lishui


@pytest.mark.parametrize("partner", ["school_user_a", "health_user_a", "community_user_a"])
def test_panel_is_not_shown_to_partners(request, db, county_a, partner):
    # The reasons name the years with (catastrophic) reimbursements: health information.
    person = person_insured(county_a, range(2021, 2027), fund_paid=Decimal("0"))
    user = request.getfixturevalue(partner)
    html = PANEL.render(Context({"person": person, "on": datetime.date(2027, 3, 1), "user": user}))
    assert html.strip() == ""


def test_the_person_file_carries_the_panel_for_staff_not_for_the_school(login, county_a, school_a,
                                                                       county_user_a, school_user_a):
    person = person_insured(county_a, range(2019, 2026))
    place_in_school(person, school_a)
    url = reverse("person_detail", args=[person.pk])
    staff_page = login(county_user_a).get(url).content.decode()
    assert "参保待遇" in staff_page and "连续参保年数" in staff_page
    school_page = login(school_user_a).get(url)
    assert school_page.status_code == 200 and "连续参保年数" not in school_page.content.decode()
