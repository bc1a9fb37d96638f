"""Contribution standards per area and year, the price of repairing a break, December newborns
from the registry, and the readings shown with their source (issue 16)."""
import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from enrollment.benefits.quotes import contributions_for, quote_for
from enrollment.models import BenefitParameterSet, ContributionStandard, User

from .benefit_helpers import LISHUI_CITY, QINGTIAN, person_insured, qingtian  # noqa: F401
from .factories import enroll, make_person

D = datetime.date
URL = reverse("benefits:calculator")
PANEL = Template("{% load benefits %}{% benefit_panel person on %}")


def standard(area, year, individual, subsidy=Decimal("670")):
    return ContributionStandard.objects.create(area_id=area, year=year, individual=individual,
                                               subsidy=subsidy, source="测试文件")


@pytest.fixture
def counter(login, county_user_a):
    return login(county_user_a)


def test_nearest_area_up_the_chain_sets_the_contribution(db):
    standard(LISHUI_CITY, 2022, Decimal("350"))
    standard(LISHUI_CITY, 2023, Decimal("380"))
    standard(QINGTIAN, 2023, Decimal("390"))
    found = contributions_for(QINGTIAN, [2022, 2023, 2024])
    assert {y: row.individual for y, row in found.items()} == {2022: 350, 2023: 390}


def test_calculator_prices_each_missed_year_and_says_what_it_repairs(counter):
    # 003 line 52: "每多缴纳1年可减少1个月变动待遇等待期…缴费参照当年参保地的个人缴费标准".
    standard(LISHUI_CITY, 2022, Decimal("350"))
    standard(LISHUI_CITY, 2023, Decimal("380"))
    standard(LISHUI_CITY, 2024, Decimal("400"))
    html = counter.post(URL, {"history": "2019-2021 参保", "area": QINGTIAN,
                              "enrolled_on": "2025-06-10"}).content.decode()
    assert "补缴修复待遇等待期" in html
    assert "补缴2022年保费350元，减少待遇等待期1个月，减为5个月。" in html
    assert "补缴2024年保费400元，减少待遇等待期1个月，减为3个月。" in html
    assert "全部补缴共1130元" in html and "缴费参照当年参保地的个人缴费标准" in html


def test_calculator_shows_the_sentences_behind_the_readings(counter):
    html = counter.post(URL, {"history": "2019-2024 参保", "area": QINGTIAN,
                              "enrolled_on": "2025-06-10"}).content.decode()
    assert "本地区如何理解政策原文" in html
    assert "“跨年度、跨制度转换参保关系，且中断缴费4个月及以上的视为未连续参保”" in html
    assert "“未在集中参保期参保缴费的居民" in html
    assert "本地区未实施凭医保码在出生后180天内就医结算的措施" in html


def test_calculator_exempts_a_lishui_orphan(counter):
    # 004 line 56: "除新生儿、医疗救助对象等特殊群体外".
    html = counter.post(URL, {"history": "2019-2021 参保", "area": QINGTIAN,
                              "enrolled_on": "2025-06-10",
                              "special_groups": ["orphan"]}).content.decode()
    assert "属于孤儿等特殊群体，不设待遇等待期" in html


def test_person_file_shows_the_back_payment_year_by_year(db, qingtian, county_user_a):
    standard(LISHUI_CITY, 2020, Decimal("320"))
    person = person_insured(qingtian, [2019])
    with translation.override("zh-hans"):
        html = PANEL.render(Context({"person": person, "on": D(2025, 6, 10),
                                     "user": county_user_a}))
    # 5 years of break: 3 + 5 = 8 months; two years paid back reach the 6-month floor
    # (004 line 58: "连续断缴4年及以上的，可修复至等待期6个月").
    assert "补缴2020年保费320元，减少待遇等待期1个月，减为7个月。" in html
    assert "补缴2021年保费金额未录入（该年个人缴费标准），减少待遇等待期1个月，减为6个月。" in html
    assert "补缴2022年保费金额未录入（该年个人缴费标准），不再减少待遇等待期（仍为6个月）。" in html


def test_december_newborn_paid_in_january_is_insured_for_the_birth_year(db, qingtian):
    # 001 line 107: "新生儿原则上在出生后90天内按规定参保缴费，自出生之日起所发生的符合规定的
    # 医疗费用均可纳入医保报销范围": not a back-payment of 2025.
    baby = make_person(qingtian, birth_date=D(2025, 12, 5))
    enroll(baby, 2025, paid_on=D(2026, 1, 20))
    answer = quote_for(baby, D(2025, 12, 20))
    assert answer.enrolled and answer.covered_on
    assert answer.waiting.benefits_start == D(2025, 12, 5)
    late = make_person(qingtian, birth_date=D(2025, 9, 1), name="晚缴")
    enroll(late, 2025, paid_on=D(2026, 1, 20))  # day 141: a back-payment, no 2025 cover
    assert not quote_for(late, D(2025, 12, 20)).enrolled


def _admin(client):
    root = User.objects.create_superuser("root", password="Very-Long-Pass-99", role="")
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_admin_help_quotes_the_sentence_behind_each_contested_reading(client, db):
    shipped = BenefitParameterSet.objects.get(area_id=LISHUI_CITY)
    page = _admin(client).get(reverse("admin:enrollment_benefitparameterset_change",
                                      args=[shipped.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert "跨年度、跨制度转换参保关系，且中断缴费4个月及以上的视为未连续参保" in html
    assert "未在集中参保期参保缴费的居民" in html
    assert "除新生儿、医疗救助对象等特殊群体外" in html
    assert "鼓励地方探索凭出生医学证明办理新生儿参保" in html
    assert "对断保人员再参保的，可降低大病保险最高支付限额" in html
    standards = client.get(reverse("admin:enrollment_contributionstandard_add")).content.decode()
    assert "缴费参照当年参保地的个人缴费标准" in standards


def test_calculator_counts_a_january_payment_for_a_december_newborn_from_birth(counter):
    # 001 line 107: "新生儿原则上在出生后90天内按规定参保缴费，自出生之日起所发生的符合规定的
    # 医疗费用均可纳入医保报销范围".
    html = counter.post(URL, {"history": "", "area": QINGTIAN, "enrolled_on": "2026-01-20",
                              "birth_date": "2025-12-05"}).content.decode()
    assert "2025年度待遇等待期" in html and "自2025-12-05起享受待遇" in html
    assert "不按补缴处理" in html
