"""The benefit rules read exactly as written (issue 16): pure rules, no Django.

Each test quotes the sentence it checks (paths under /work/shared/seeds/).
"""
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from enrollment.benefits.rules import (
    DISABLED,
    EMPLOYEE,
    EXTREME_POVERTY,
    LISHUI,
    NATIONAL_DEFAULTS,
    ORPHAN,
    RESIDENT,
    SUBSISTENCE,
    EnrollmentYear,
    continuous_years,
    current_cap,
    enrollment_insurance_year,
    repair_plan,
    repair_reasons,
    rewards,
    waiting_period,
)

from .test_benefit_rules import any_params, histories


def resident(year, **kw):
    return EnrollmentYear(year, RESIDENT, fund_paid=D("800"), **kw)


def employee(year):
    return EnrollmentYear(year, EMPLOYEE, fund_paid=D("800"))


def test_only_resident_scheme_years_count_toward_the_reward():
    # 003 line 50: "对连续参加居民医保满4年的参保人员，之后每连续参保1年，可适当提高大病保险最高
    # 支付限额"; 004 line 54 the same.
    h = [employee(y) for y in range(2019, 2023)] + [resident(y) for y in range(2023, 2027)]
    for params in (NATIONAL_DEFAULTS, LISHUI):
        assert continuous_years(h, 2026, params).years == 4
        assert rewards(h, 2027, params).continuous_reward == 0  # the 4th year, no step yet
    counting = replace(NATIONAL_DEFAULTS, employee_years_count=True)
    assert continuous_years(h, 2026, counting).years == 8


def test_lishui_exempts_the_medical_assistance_groups():
    # 004 line 56: "自2025年起，除新生儿、医疗救助对象等特殊群体外".
    h = [resident(2020)]
    for group, label in ((EXTREME_POVERTY, "特困人员"), (SUBSISTENCE, "低保对象"),
                         (ORPHAN, "孤儿")):
        w = waiting_period(h, date(2025, 5, 20), LISHUI, special_groups=(group,))
        assert (w.exemption, w.total_months) == ("special_group", 0)
        assert any(label in r for r in w.reasons)
    assert waiting_period(h, date(2025, 5, 20), LISHUI,
                          special_groups=(DISABLED,)).total_months == 7
    listed = replace(LISHUI, exempt_groups=LISHUI.exempt_groups + (DISABLED,))
    assert waiting_period(h, date(2025, 5, 20), listed,
                          special_groups=(DISABLED,)).exemption == "special_group"


def test_december_newborn_paid_in_january_is_for_the_birth_year():
    # 001 line 107: "新生儿原则上在出生后90天内按规定参保缴费，自出生之日起所发生的符合规定的
    # 医疗费用均可纳入医保报销范围".
    assert enrollment_insurance_year(date(2026, 1, 20), LISHUI,
                                     birth_date=date(2025, 12, 5)) == 2025
    assert enrollment_insurance_year(date(2026, 3, 20), LISHUI,
                                     birth_date=date(2025, 12, 5)) == 2026  # day 105
    h = [resident(2025, paid_on=date(2026, 1, 20))]  # a record for the birth year
    w = waiting_period(h, date(2026, 1, 20), LISHUI, insurance_year=2025,
                       birth_date=date(2025, 12, 5))
    assert (w.exemption, w.benefits_start) == ("newborn", date(2025, 12, 5))


def test_rejoin_cap_reduction_is_off_unless_set():
    # 003 line 50: "自2025年起，对断保人员再参保的，可降低大病保险最高支付限额".
    h = [resident(y) for y in range(2019, 2023)] + [resident(2026), resident(2027)]
    assert current_cap(h, 2026, NATIONAL_DEFAULTS).amount == D("400000")
    lowered = replace(NATIONAL_DEFAULTS, rejoin_cap_reduction=D("20000"))
    cap = current_cap(h, 2026, lowered)
    assert cap.amount == D("380000")
    assert any("可降低大病保险最高支付限额" in r for r in cap.reasons)
    assert current_cap(h, 2027, lowered).amount == D("400000")  # only the year of rejoining


def test_repair_plan_prices_each_missed_year_and_says_what_it_repairs():
    # 003 line 52: "每多缴纳1年可减少1个月变动待遇等待期，连续断缴4年及以上的，修复后固定待遇
    # 等待期和变动待遇等待期之和原则上不少于6个月。缴费参照当年参保地的个人缴费标准".
    w = waiting_period([resident(2019)], date(2025, 5, 20), NATIONAL_DEFAULTS)
    assert (w.break_years, w.total_months) == (5, 8)
    prices = {2020: D("280"), 2021: D("320"), 2022: D("350"), 2023: D("380")}
    plan = repair_plan(w, NATIONAL_DEFAULTS, prices)
    assert [(p.year, p.amount, p.months_removed, p.months_after) for p in plan] == [
        (2020, D("280"), 1, 7), (2021, D("320"), 1, 6), (2022, D("350"), 0, 6),
        (2023, D("380"), 0, 6), (2024, None, 0, 6)]
    lines = repair_reasons(plan)
    assert lines[0] == "补缴2020年保费280元，减少待遇等待期1个月，减为7个月。"
    assert "金额未录入" in lines[4]
    assert "缴费参照当年参保地的个人缴费标准" in lines[-1]


def test_no_repair_without_variable_waiting():
    w = waiting_period([resident(2024)], date(2025, 5, 20), NATIONAL_DEFAULTS)
    assert repair_plan(w, NATIONAL_DEFAULTS, {}) == ()


@settings(max_examples=300, deadline=None)
@given(history=histories(), year=st.integers(2014, 2035), params=any_params)
def test_cap_never_exceeds_120_percent_of_the_original(history, year, params):
    # 003 line 50: "累计提高总额不超过所在统筹地区大病保险原封顶线的20%".
    params = replace(params, reward_ceiling_ratio=min(params.reward_ceiling_ratio, D("0.20")))
    cap = current_cap(history, year, params)
    assert cap.amount <= params.original_cap * D("1.2")
    assert cap.amount >= params.original_cap - params.rejoin_cap_reduction


@settings(max_examples=300, deadline=None)
@given(last=st.integers(2010, 2024), enrolled_on=st.dates(date(2025, 1, 1), date(2030, 12, 31)),
       params=any_params)
def test_repairing_every_missed_year_leaves_the_fixed_period_and_never_less(last, enrolled_on,
                                                                           params):
    # 003 line 52 / 004 line 58: repair removes variable waiting only; after a break of 4 years
    # or more the repaired total is at least 6 months ("可修复至等待期6个月").
    # The texts pair them: "每多断保1年…增加…1个月", "每多缴纳1年可减少1个月".
    params = replace(params, break_waits_in_concentrated_period=True,
                     repair_months_per_back_paid_year=params.variable_waiting_months_per_break_year)
    w = waiting_period([resident(last)], enrolled_on, params)
    backs = [EnrollmentYear(y, RESIDENT, back_paid=True) for y in w.missed_years]
    repaired = waiting_period([resident(last), *backs], enrolled_on, params)
    if not w.is_break:
        return
    fixed = params.fixed_waiting_months
    assert repaired.total_months >= fixed
    if w.break_years >= params.long_break_years and w.variable_months_before_repair:
        floor = min(params.long_break_floor_months, fixed + w.variable_months_before_repair)
        assert repaired.total_months == max(fixed, floor)
    else:
        assert repaired.total_months == fixed
    plan = repair_plan(w, params, {})
    assert (plan[-1].months_after if plan else w.total_months) == repaired.total_months
