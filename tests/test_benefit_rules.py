"""Tests of enrollment.benefits.rules: pure rules, no Django.

Cases come from the texts in /work/shared/seeds: 003 (国办发〔2024〕38号) line 50/52,
004 (Lishui plan) lines 54/56/58, 002 (NHSA briefing) lines 27/39, 001 line 107 (newborns).
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enrollment.benefits.rules import (
    EMPLOYEE,
    LISHUI,
    MEDICAL_ASSISTANCE,
    NATIONAL_DEFAULTS,
    RESIDENT,
    BenefitParameters,
    EnrollmentYear,
    TransferIn,
    add_months,
    concentrated_period,
    continuous_years,
    current_cap,
    insurance_year_for,
    quote,
    rewards,
    waiting_period,
)


def resident(year, *, fund_paid=D("800"), **kw):
    """A resident year paid in the concentrated period, with some reimbursement by default
    (so it earns no zero-claim reward unless the test says so)."""
    kw.setdefault("paid_on", date(year - 1, 10, 15))
    return EnrollmentYear(year, RESIDENT, fund_paid=fund_paid, **kw)


def zero_claim(year, **kw):
    return resident(year, fund_paid=D("0"), **kw)


def back_paid(year, paid_on=date(2025, 3, 10)):
    return EnrollmentYear(year, RESIDENT, paid_on=paid_on, back_paid=True)


def employee(year, first_month=1, last_month=12):
    return EnrollmentYear(year, EMPLOYEE, first_month=first_month, last_month=last_month)


# ---------------------------------------------------------------------------------------------
# Parameters


def test_national_and_lishui_figures():
    assert NATIONAL_DEFAULTS.continuous_reward_per_year == D("1000")
    assert NATIONAL_DEFAULTS.zero_claim_reward_per_year == D("1000")
    assert NATIONAL_DEFAULTS.break_gap_months is None
    assert NATIONAL_DEFAULTS.exempt_groups == ()
    assert NATIONAL_DEFAULTS.transfer_in_reasons == ()
    assert LISHUI.continuous_reward_per_year == D("5000")
    assert LISHUI.zero_claim_reward_per_year == D("5000")
    assert LISHUI.break_gap_months == 4
    assert MEDICAL_ASSISTANCE in LISHUI.exempt_groups
    assert LISHUI.waiting_rules_from == date(2025, 1, 1)
    for p in (NATIONAL_DEFAULTS, LISHUI):
        assert (p.fixed_waiting_months, p.variable_waiting_months_per_break_year) == (3, 1)
        assert (p.long_break_years, p.long_break_floor_months) == (4, 6)
        assert p.continuous_years_before_reward == 4
        assert p.reward_ceiling_ratio == D("0.20")


def test_ceiling_of_400000_cap_is_80000():
    # 002 line 39: "最高支付限额是40万元 ... 可以提高8万元，即 ... 48万元"
    assert NATIONAL_DEFAULTS.reward_ceiling == D("80000")
    assert replace(LISHUI, original_cap=D("300000")).reward_ceiling == D("60000")


def test_parameters_coerce_simple_types_as_from_a_database_row():
    p = BenefitParameters(original_cap=400000, continuous_reward_per_year="5000",
                          zero_claim_reward_per_year=5000.0, exempt_groups=["x"])
    assert p.original_cap == D("400000") and isinstance(p.original_cap, D)
    assert p.zero_claim_reward_per_year == D("5000")
    assert p.exempt_groups == ("x",)


@pytest.mark.parametrize("bad", [
    dict(original_cap=D("-1")),
    dict(continuous_reward_per_year=D("-5")),
    dict(reward_ceiling_ratio=D("1.5")),
    dict(fixed_waiting_months=-1),
    dict(break_gap_months=0),
    dict(concentrated_end_month=13),
])
def test_parameters_reject_bad_values(bad):
    kw = dict(original_cap=D("400000"), continuous_reward_per_year=D("1000"),
              zero_claim_reward_per_year=D("1000"))
    kw.update(bad)
    with pytest.raises(ValueError):
        BenefitParameters(**kw)


def test_enrollment_year_rejects_bad_values():
    with pytest.raises(ValueError):
        EnrollmentYear(2025, "commercial")
    with pytest.raises(ValueError):
        EnrollmentYear(2025, EMPLOYEE, first_month=7, last_month=3)
    with pytest.raises(ValueError):
        EnrollmentYear(2025, fund_paid=D("-1"))
    with pytest.raises(ValueError):
        EnrollmentYear(2025, EMPLOYEE, back_paid=True)


def test_concentrated_period_and_insurance_year():
    assert concentrated_period(2025, NATIONAL_DEFAULTS) == (date(2024, 9, 1), date(2024, 12, 31))
    assert insurance_year_for(date(2024, 10, 15), NATIONAL_DEFAULTS) == 2025
    assert insurance_year_for(date(2025, 3, 10), NATIONAL_DEFAULTS) == 2025
    spanning = replace(NATIONAL_DEFAULTS, concentrated_end_month=2, concentrated_end_day=28)
    assert concentrated_period(2025, spanning) == (date(2024, 9, 1), date(2025, 2, 28))
    assert insurance_year_for(date(2025, 2, 10), spanning) == 2025
    w = waiting_period([resident(2024)], date(2025, 2, 10), spanning)
    assert w.in_concentrated_period and w.total_months == 0


def test_add_months_clamps_the_day():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 1), 3) == date(2026, 2, 1)


# ---------------------------------------------------------------------------------------------
# Continuous years


def test_continuous_years_counts_the_unbroken_chain():
    h = [resident(y) for y in range(2021, 2026)]
    c = continuous_years(h, 2025, LISHUI)
    assert (c.years, c.since_year) == (5, 2021)
    assert "2021—2025年连续参保5年。" in c.reasons
    assert continuous_years(h, date(2024, 6, 1), LISHUI).years == 4
    assert continuous_years(h, 2026, LISHUI).years == 0
    assert continuous_years([], 2025, LISHUI).years == 0


def test_back_paid_years_do_not_restore_continuity():
    h = [resident(2019), resident(2020), back_paid(2021), resident(2022)]
    c = continuous_years(h, 2022, NATIONAL_DEFAULTS)
    assert (c.years, c.since_year) == (1, 2022)
    assert any("重新计算" in r for r in c.reasons)


# ---------------------------------------------------------------------------------------------
# Rewards and cap


def test_reward_text_example_five_continuous_years():
    # 004 line 54: after 4 full years, each continuous year +5000, adjusted on 1 January.
    h = [resident(y) for y in range(2021, 2027)]
    r = rewards(h, date(2026, 3, 1), LISHUI)
    assert (r.continuous_reward, r.zero_claim_reward, r.total) == (D("5000"), D("0"), D("5000"))
    assert r.continuous_reward_years == (2025,)
    assert "2021—2025年连续参保5年，自第5年起每年提高大病保险最高支付限额5000元，累计提高5000元。" \
        in r.reasons
    # Earned by completing 2025, so not yet in effect during 2025.
    assert rewards(h, date(2025, 12, 31), LISHUI).total == D("0")


def test_lishui_steps_of_5000_and_national_steps_of_1000():
    h = [resident(y) for y in range(2021, 2030)]
    assert [rewards(h, y, LISHUI).continuous_reward for y in range(2025, 2030)] == \
        [D("0"), D("5000"), D("10000"), D("15000"), D("20000")]
    assert [rewards(h, y, NATIONAL_DEFAULTS).continuous_reward for y in range(2025, 2030)] == \
        [D("0"), D("1000"), D("2000"), D("3000"), D("4000")]
    assert current_cap(h, date(2029, 1, 1), LISHUI).amount == D("420000")
    assert current_cap(h, date(2029, 1, 1), NATIONAL_DEFAULTS).amount == D("404000")


def test_zero_claim_raises_next_years_cap():
    h = [zero_claim(2025), zero_claim(2026), resident(2027)]
    assert rewards(h, 2026, LISHUI).zero_claim_reward == D("5000")
    r = rewards(h, 2027, LISHUI)
    assert r.zero_claim_reward == D("10000") and r.zero_claim_years == (2025, 2026)
    assert "2025、2026年统筹基金零报销，每年提高次年大病保险最高支付限额5000元，累计提高10000元。" \
        in r.reasons
    # A year with catastrophic payments is not a zero-claim year even without fund_paid.
    h2 = [EnrollmentYear(2025, fund_paid=D("0"), catastrophic_paid=D("1"))]
    assert rewards(h2, 2026, LISHUI).zero_claim_reward == D("0")


def test_rewards_count_only_from_2025():
    # "自2025年起": a chain since 2015 earns nothing for 2019-2024, then 5000 for 2025.
    h = [zero_claim(y) for y in range(2015, 2027)]
    assert rewards(h, 2025, LISHUI).total == D("0")
    r = rewards(h, 2026, LISHUI)
    assert (r.continuous_reward, r.zero_claim_reward) == (D("5000"), D("5000"))
    assert any("2025年以前的年度不计激励" in s for s in r.reasons)


def test_cap_400000_rises_at_most_80000():
    # 003 line 50 / 002 line 39: both rewards together at most 20% of the original cap.
    h = [zero_claim(y) for y in range(2021, 2040)]
    # 2025..2032: 8 years x (5000 continuous + 5000 zero-claim) = 80000, effective 2033.
    assert current_cap(h, 2032, LISHUI).amount == D("470000")
    cap = current_cap(h, 2033, LISHUI)
    assert cap.amount == D("480000") and cap.reward == D("80000")
    later = current_cap(h, 2039, LISHUI)
    assert later.amount == D("480000")
    assert later.rewards.continuous_reward + later.rewards.zero_claim_reward == D("80000")
    assert any("即80000元" in s for s in later.reasons)
    assert "2039年大病保险最高支付限额为480000元（原封顶线400000元，激励提高80000元）。" \
        in later.reasons


def test_national_minimum_cap_needs_many_years_but_still_stops_at_20_percent():
    p = replace(NATIONAL_DEFAULTS, original_cap=D("20000"))  # ceiling 4000
    h = [zero_claim(y) for y in range(2021, 2031)]
    assert [current_cap(h, y, p).amount for y in (2026, 2027, 2028)] == \
        [D("22000"), D("24000"), D("24000")]


def test_break_after_five_years_resets_count_but_keeps_rewards():
    # 003 line 50 "断保之后再次参保的，连续参保年数重新计算"; 002 line 27 "前期积累的奖励额度继续保留".
    h = [resident(y) for y in range(2021, 2026)] + [resident(y) for y in range(2027, 2033)]
    assert rewards(h, 2026, LISHUI).continuous_reward == D("5000")
    assert continuous_years(h, 2027, LISHUI).years == 1
    assert continuous_years(h, 2030, LISHUI).years == 4
    r = rewards(h, 2029, LISHUI)
    assert r.continuous_reward == D("5000")
    assert any("2027年再次参保前曾断保" in s and "5000元继续保留" in s for s in r.reasons)
    # The new chain earns again only after 4 more full years: 2031 is its 5th year.
    assert rewards(h, 2031, LISHUI).continuous_reward == D("5000")
    assert rewards(h, 2032, LISHUI).continuous_reward == D("10000")
    assert current_cap(h, 2032, LISHUI).amount == D("410000")


def test_zero_claim_reward_cleared_after_a_catastrophic_claim_that_used_it():
    # 003 line 50: "居民发生大病报销并使用奖励额度后，前期积累的零报销激励额度清零".
    h = [resident(y) for y in range(2021, 2025)] + [
        zero_claim(2025), zero_claim(2026),
        resident(2027, catastrophic_paid=D("405000")),  # above the 400000 original cap
        zero_claim(2028), resident(2029),
    ]
    r27 = rewards(h, 2027, LISHUI)
    assert (r27.continuous_reward, r27.zero_claim_reward) == (D("10000"), D("10000"))
    r28 = rewards(h, 2028, LISHUI)
    assert (r28.continuous_reward, r28.zero_claim_reward) == (D("15000"), D("0"))
    assert "2027年发生大病报销并使用了奖励额度，此前累计的零报销激励额度10000元自2028年1月1日起清零。" \
        in r28.reasons
    r29 = rewards(h, 2029, LISHUI)
    assert (r29.continuous_reward, r29.zero_claim_reward) == (D("20000"), D("5000"))
    assert r29.zero_claim_years == (2028,)


def test_catastrophic_claim_within_the_original_cap_does_not_clear():
    h = [zero_claim(2025), zero_claim(2026), resident(2027, catastrophic_paid=D("300000"))]
    assert rewards(h, 2028, LISHUI).zero_claim_reward == D("10000")
    flagged = h[:2] + [resident(2027, catastrophic_paid=D("300000"),
                                catastrophic_reward_used=True)]
    assert rewards(flagged, 2028, LISHUI).zero_claim_reward == D("0")


# ---------------------------------------------------------------------------------------------
# Waiting period


def test_concentrated_period_without_break_has_no_wait():
    w = waiting_period([resident(2024)], date(2024, 11, 20), NATIONAL_DEFAULTS)
    assert (w.insurance_year, w.in_concentrated_period, w.is_break) == (2025, True, False)
    assert w.total_months == 0 and w.benefits_start == date(2025, 1, 1)


def test_outside_concentrated_period_fixed_three_months():
    w = waiting_period([resident(2024)], date(2025, 3, 10), NATIONAL_DEFAULTS)
    assert (w.fixed_months, w.variable_months, w.total_months) == (3, 0, 3)
    assert w.benefits_start == date(2025, 7, 1)
    assert "待遇等待期共3个月，自2025年7月1日起享受2025年度居民医保待遇（等待期内发生的医疗费用不予报销）。" \
        in w.reasons


@pytest.mark.parametrize("n, start", [(1, date(2025, 8, 1)), (2, date(2025, 9, 1)),
                                      (3, date(2025, 10, 1))])
def test_break_of_n_years_waits_3_plus_n_months(n, start):
    last = 2024 - n
    h = [resident(y) for y in range(2018, last + 1)]
    w = waiting_period(h, date(2025, 3, 10), NATIONAL_DEFAULTS)
    assert (w.is_break, w.break_years) == (True, n)
    assert (w.fixed_months, w.variable_months, w.total_months) == (3, n, 3 + n)
    assert w.benefits_start == start


def test_break_applies_even_inside_the_concentrated_period():
    h = [resident(2021), resident(2022)]
    w = waiting_period(h, date(2024, 10, 15), NATIONAL_DEFAULTS)  # for 2025; 2023-2024 missed
    assert w.in_concentrated_period and w.break_years == 2
    assert w.total_months == 5 and w.benefits_start == date(2025, 6, 1)
    assert "上次参保至2022年12月，2023—2024年断保2年，属于未连续参保。" in w.reasons


@pytest.mark.parametrize("repaired, total", [(0, 6), (1, 5), (2, 4), (3, 3)])
def test_repair_month_by_month(repaired, total):
    # Break 2022-2024 (3 years); each year paid back removes one month of variable waiting.
    h = [resident(2020), resident(2021)] + [back_paid(y) for y in (2024, 2023, 2022)[:repaired]]
    w = waiting_period(h, date(2025, 3, 10), NATIONAL_DEFAULTS)
    assert w.variable_months_before_repair == 3
    assert (w.repaired_years, w.variable_months, w.total_months) == (repaired, 3 - repaired, total)
    assert not w.floor_applied
    assert w.benefits_start == add_months(date(2025, 4, 1), total)


def test_back_paid_years_outside_the_break_do_not_repair():
    h = [resident(2020), back_paid(2019), resident(2021)]
    w = waiting_period(h, date(2025, 3, 10), NATIONAL_DEFAULTS)
    assert (w.break_years, w.repaired_years, w.total_months) == (3, 0, 6)


@pytest.mark.parametrize("repaired, total, floor", [(0, 8, False), (1, 7, False), (2, 6, False),
                                                    (3, 6, True), (4, 6, True), (5, 6, True)])
def test_six_month_floor_after_a_break_of_five_years(repaired, total, floor):
    # 003 line 52 / 004 line 58: after 4+ years of break, repaired waiting >= 6 months.
    h = [resident(2018), resident(2019)] + [back_paid(y) for y in range(2020, 2020 + repaired)]
    w = waiting_period(h, date(2025, 5, 20), LISHUI)
    assert w.break_years == 5
    assert (w.total_months, w.floor_applied) == (total, floor)
    if floor:
        assert "连续断缴4年及以上，修复后固定和变动待遇等待期之和不少于6个月，按6个月计。" in w.reasons


def test_floor_for_exactly_four_years_of_break():
    base = [resident(2020)]
    assert waiting_period(base, date(2025, 3, 10), NATIONAL_DEFAULTS).total_months == 7
    all_repaired = base + [back_paid(y) for y in range(2021, 2025)]
    w = waiting_period(all_repaired, date(2025, 3, 10), NATIONAL_DEFAULTS)
    assert (w.variable_months, w.total_months, w.floor_applied) == (0, 6, True)
    assert w.benefits_start == date(2025, 10, 1)


def test_newborn_within_90_days_is_covered_from_birth():
    w = waiting_period([], date(2025, 7, 1), NATIONAL_DEFAULTS, birth_date=date(2025, 5, 20))
    assert (w.exemption, w.total_months, w.benefits_start) == ("newborn", 0, date(2025, 5, 20))


def test_newborn_born_in_december_enrolled_in_january_within_90_days():
    # 001 line 107: "新生儿原则上在出生后90天内按规定参保缴费，自出生之日起所发生的符合规定的医疗
    # 费用均可纳入医保报销范围": the January payment covers the birth year from the birth date.
    w = waiting_period([], date(2025, 2, 10), NATIONAL_DEFAULTS, birth_date=date(2024, 12, 20))
    assert (w.exemption, w.total_months, w.benefits_start) == ("newborn", 0, date(2024, 12, 20))
    assert w.insurance_year == 2024
    assert any("不按补缴处理" in r for r in w.reasons)


def test_newborn_enrolled_in_birth_year_after_90_days_has_no_wait():
    w = waiting_period([], date(2025, 6, 30), LISHUI, birth_date=date(2025, 1, 10))
    assert (w.exemption, w.total_months, w.benefits_start) == ("newborn", 0, date(2025, 7, 1))


def test_baby_enrolled_after_birth_year_and_90_days_waits():
    w = waiting_period([], date(2025, 5, 20), LISHUI, birth_date=date(2024, 11, 15))
    assert w.exemption is None and w.total_months == 3
    assert w.benefits_start == date(2025, 9, 1)


def test_medical_assistance_recipients_exempt_in_lishui_only():
    h = [resident(2020)]
    w = waiting_period(h, date(2025, 5, 20), LISHUI, special_groups=(MEDICAL_ASSISTANCE,))
    assert (w.exemption, w.total_months, w.benefits_start) == ("special_group", 0,
                                                              date(2025, 6, 1))
    assert any("医疗救助对象" in r for r in w.reasons)
    n = waiting_period(h, date(2025, 5, 20), NATIONAL_DEFAULTS,
                       special_groups=(MEDICAL_ASSISTANCE,))
    assert n.exemption is None and n.total_months == 7


@pytest.mark.parametrize("last_month, is_break", [(6, True), (8, True), (9, False), (10, False)])
def test_lishui_gap_of_four_months_or_more_is_a_break(last_month, is_break):
    # 004 line 56: "跨年度、跨制度转换参保关系，且中断缴费4个月及以上的视为未连续参保".
    h = [resident(2023), resident(2024), employee(2025, 1, last_month)]
    w = waiting_period(h, date(2025, 10, 15), LISHUI)  # concentrated period, for 2026
    assert w.gap_months == 12 - last_month
    assert w.is_break is is_break and w.break_years == 0
    # Paid inside the concentrated period: Lishui's waiting applies to residents "未在集中参保期
    # 参保缴费" only (plain reading); the national reading waits after a break anyway.
    assert (w.total_months, w.benefits_start) == (0, date(2026, 1, 1))
    strict = replace(LISHUI, break_waits_in_concentrated_period=True)
    s = waiting_period(h, date(2025, 10, 15), strict)
    assert s.total_months == (3 if is_break else 0)
    assert s.benefits_start == (date(2026, 4, 1) if is_break else date(2026, 1, 1))
    # Nationally only a whole missed insurance year breaks continuity.
    n = waiting_period(h, date(2025, 10, 15), NATIONAL_DEFAULTS)
    assert (n.is_break, n.total_months) == (False, 0)


def test_lishui_gap_restarts_the_continuous_count():
    h = [resident(y) for y in range(2019, 2024)] + [employee(2024, 1, 6)] + \
        [resident(y) for y in range(2025, 2027)]
    assert continuous_years(h, 2026, LISHUI).years == 2
    # 003: "对连续参加居民医保满4年的参保人员": the employee year 2024 bridges, is not counted.
    assert continuous_years(h, 2023, NATIONAL_DEFAULTS).years == 5
    assert continuous_years(h, 2026, NATIONAL_DEFAULTS).years == 7
    counting = replace(NATIONAL_DEFAULTS, employee_years_count=True)
    assert continuous_years(h, 2026, counting).years == 8


def test_lishui_late_payment_in_the_same_scheme_is_a_parameter():
    # 004 line 56: "跨年度、跨制度转换参保关系，且中断缴费4个月及以上的视为未连续参保". Plain
    # reading: a resident who simply pays late converts nothing, so is not broken; the fixed 3
    # months for paying outside the concentrated period still apply.
    h = [resident(2024), resident(2025, paid_on=date(2025, 6, 15))]
    assert continuous_years(h, 2025, LISHUI).years == 2
    w = waiting_period(h, date(2025, 6, 15), LISHUI)
    assert (w.gap_months, w.is_break, w.total_months) == (5, False, 3)
    assert any("不属于跨年度、跨制度转换参保关系" in r and "中断缴费4个月及以上" in r
               for r in w.reasons)
    strict = replace(LISHUI, same_scheme_gap_breaks=True)
    assert continuous_years(h, 2025, strict).years == 1
    s = waiting_period(h, date(2025, 6, 15), strict)
    assert (s.gap_months, s.is_break, s.total_months) == (5, True, 3)
    assert s.benefits_start == date(2025, 10, 1)
    assert any("迟缴4个月及以上也视为未连续参保" in r for r in s.reasons)
    # Across schemes the gap breaks under both readings.
    moved = [employee(2024, 1, 8), resident(2025, paid_on=date(2025, 6, 15))]
    assert waiting_period(moved, date(2025, 6, 15), LISHUI).is_break


def test_lishui_break_paid_inside_the_concentrated_period_is_a_parameter():
    # 004 line 56: "未在集中参保期参保缴费的居民，缴费未中断的，设置参保后固定待遇等待期3个月；
    # 缴费中断的，每多断缴1年，在固定待遇等待期基础上增加变动待遇等待期1个月".
    h = [resident(2020)]
    w = waiting_period(h, date(2025, 10, 15), LISHUI)  # concentrated period, for 2026
    assert (w.is_break, w.break_years, w.total_months) == (True, 5, 0)
    assert any("等待期只适用于未在集中参保期参保缴费的居民" in r for r in w.reasons)
    strict = replace(LISHUI, break_waits_in_concentrated_period=True)
    assert waiting_period(h, date(2025, 10, 15), strict).total_months == 8
    # 003 line 52 "对未在居民医保集中参保期内参保或未连续参保的人员": nationally it waits.
    assert waiting_period(h, date(2025, 10, 15), NATIONAL_DEFAULTS).total_months == 8


def test_lishui_transfer_in_from_employee_insurance_has_no_wait():
    h = [resident(2023), resident(2024), employee(2025, 1, 6)]
    t = TransferIn("employee", date(2025, 6, 30))
    w = waiting_period(h, date(2025, 8, 20), LISHUI, transfer_in=t)
    assert (w.exemption, w.total_months, w.benefits_start) == ("transfer_in", 0,
                                                              date(2025, 9, 1))
    # After 30 September the payment falls in the concentrated period for 2026, where Lishui's
    # plain reading sets no waiting at all; under the strict reading the general rules apply.
    strict = replace(LISHUI, break_waits_in_concentrated_period=True)
    late = waiting_period(h, date(2025, 10, 5), strict, transfer_in=t)
    assert late.exemption is None and late.total_months == 3
    assert any("未在2025年9月30日前" in r for r in late.reasons)


def test_lishui_transfer_in_release_after_years_away_has_no_wait():
    h = [resident(2018)]
    w = waiting_period(h, date(2025, 5, 20), LISHUI,
                       transfer_in=TransferIn("release", date(2025, 3, 1)))
    assert (w.exemption, w.total_months, w.benefits_start) == ("transfer_in", 0,
                                                              date(2025, 6, 1))


def test_lishui_army_transfer_counts_three_months_from_the_next_month():
    army = TransferIn("army", date(2025, 3, 10))
    hukou = TransferIn("hukou", date(2025, 3, 10))
    assert waiting_period([], date(2025, 6, 25), LISHUI, transfer_in=army).exemption == \
        "transfer_in"
    assert waiting_period([], date(2025, 6, 25), LISHUI, transfer_in=hukou).exemption is None


def test_no_transfer_in_exemption_nationally():
    w = waiting_period([resident(2024)], date(2025, 5, 20), NATIONAL_DEFAULTS,
                       transfer_in=TransferIn("employee", date(2025, 4, 30)))
    assert w.exemption is None and w.total_months == 3


def test_lishui_rules_start_on_the_dates_the_plan_sets_for_each():
    # 004 line 56 "自2025年起，除新生儿、医疗救助对象等特殊群体外" and line 54 "自2025年起，对连续
    # 参加居民医保满4年的参保人员": not the plan's own start (line 105, 1 April 2025).
    w = waiting_period([resident(2020)], date(2025, 3, 15), LISHUI)
    assert (w.exemption, w.total_months, w.benefits_start) == (None, 7, date(2025, 11, 1))
    before = waiting_period([resident(2020)], date(2024, 12, 20), LISHUI, insurance_year=2024)
    assert before.exemption == "before_rules"
    assert LISHUI.rewards_from_year == 2025
    # Nationally "2025年起": the concentrated enrollment for 2025 is already under the rules.
    assert waiting_period([resident(2020)], date(2024, 10, 15),
                          NATIONAL_DEFAULTS).total_months == 7


def test_first_enrollment_without_history_gets_only_the_fixed_wait():
    w = waiting_period([], date(2025, 5, 20), NATIONAL_DEFAULTS)
    assert (w.break_years, w.is_break, w.total_months) == (0, False, 3)
    assert any("请补录参保记录" in r for r in w.reasons)


def test_history_may_contain_the_enrollment_itself_and_later_years():
    h = [resident(2020), resident(2025, paid_on=date(2025, 3, 10)), resident(2026)]
    w = waiting_period(h, date(2025, 3, 10), NATIONAL_DEFAULTS)
    assert (w.break_years, w.total_months) == (4, 7)


# ---------------------------------------------------------------------------------------------
# The bundle


def test_quote_for_a_person_on_record():
    h = [zero_claim(y) for y in range(2021, 2027)]
    q = quote(h, date(2026, 3, 1), LISHUI)
    assert (q.insurance_year, q.enrolled, q.covered_on) == (2026, True, True)
    assert q.continuous.years == 6
    assert q.waiting.total_months == 0 and q.waiting.benefits_start == date(2026, 1, 1)
    assert q.rewards.total == D("10000") and q.cap.amount == D("410000")
    assert q.reasons[-1] == "2026年大病保险最高支付限额为410000元（原封顶线400000元，激励提高10000元）。"
    assert "截至2026年3月1日，已开始享受2026年度居民医保待遇。" in q.reasons


def test_quote_during_the_waiting_period():
    h = [resident(2020), resident(2025, paid_on=date(2025, 5, 20))]
    q = quote(h, date(2025, 9, 1), NATIONAL_DEFAULTS)
    assert q.enrolled and not q.covered_on
    assert q.waiting.total_months == 7 and q.waiting.benefits_start == date(2026, 1, 1)
    assert "等待期结束时已超出2025年度，2025年度内发生的医疗费用均不予报销。" in q.reasons


def test_quote_what_if_enrolling_today():
    h = [resident(2021), resident(2022)]
    q = quote(h, date(2025, 5, 20), NATIONAL_DEFAULTS)
    assert not q.enrolled and not q.covered_on
    assert q.waiting.total_months == 5 and q.waiting.benefits_start == date(2025, 11, 1)
    assert "待遇等待期按2025年5月20日参保缴费2025年度居民医保计算：" in q.reasons


# ---------------------------------------------------------------------------------------------
# Properties over random histories


@st.composite
def histories(draw):
    years = draw(st.sets(st.integers(2015, 2032), max_size=14))
    records = []
    for y in sorted(years):
        scheme = draw(st.sampled_from([RESIDENT, RESIDENT, RESIDENT, EMPLOYEE]))
        first, last = 1, 12
        if scheme == EMPLOYEE:
            first = draw(st.integers(1, 12))
            last = draw(st.integers(first, 12))
        records.append(EnrollmentYear(
            y, scheme,
            paid_on=draw(st.one_of(st.none(), st.dates(date(y - 1, 9, 1), date(y, 12, 31)))),
            fund_paid=draw(st.sampled_from([D("0"), D("0"), D("350.50"), D("12000")])),
            catastrophic_paid=draw(st.sampled_from([D("0"), D("0"), D("150000"),
                                                    D("430000")])),
            catastrophic_reward_used=draw(st.sampled_from([None, None, True, False])),
            first_month=first, last_month=last,
        ))
    backs = draw(st.sets(st.integers(2015, 2032), max_size=6)) - years
    records += [EnrollmentYear(y, back_paid=True) for y in backs]
    return draw(st.permutations(records))


random_params = st.builds(
    BenefitParameters,
    original_cap=st.decimals(0, 1_000_000, places=2),
    continuous_reward_per_year=st.decimals(0, 100_000, places=2),
    zero_claim_reward_per_year=st.decimals(0, 100_000, places=2),
    reward_ceiling_ratio=st.decimals(0, 1, places=2),
    continuous_years_before_reward=st.integers(0, 6),
    fixed_waiting_months=st.integers(0, 6),
    variable_waiting_months_per_break_year=st.integers(0, 3),
    repair_months_per_back_paid_year=st.integers(0, 3),
    long_break_years=st.integers(1, 6),
    long_break_floor_months=st.integers(0, 12),
    break_gap_months=st.one_of(st.none(), st.integers(1, 12)),
    exempt_groups=st.sampled_from([(), (MEDICAL_ASSISTANCE,)]),
    transfer_in_reasons=st.sampled_from([(), ("employee", "army")]),
)
any_params = st.one_of(st.sampled_from([NATIONAL_DEFAULTS, LISHUI]), random_params)


@settings(max_examples=300, deadline=None)
@given(history=histories(), year=st.integers(2014, 2035), params=any_params)
def test_rewards_never_exceed_the_ceiling_nor_go_negative(history, year, params):
    r = rewards(history, year, params)
    assert r.continuous_reward >= 0 and r.zero_claim_reward >= 0
    assert r.total == r.continuous_reward + r.zero_claim_reward
    assert r.total <= r.ceiling == params.reward_ceiling
    cap = current_cap(history, year, params)
    assert params.original_cap <= cap.amount <= params.original_cap + params.reward_ceiling
    assert all(y < year for y in r.continuous_reward_years + r.zero_claim_years)
    assert r.reasons and all(isinstance(s, str) and s for s in r.reasons)


@settings(max_examples=300, deadline=None)
@given(history=histories(), year=st.integers(2014, 2035), params=any_params)
def test_continuous_years_within_the_years_on_record(history, year, params):
    c = continuous_years(history, year, params)
    covered = {r.year for r in history if not r.back_paid and r.year <= year}
    assert 0 <= c.years <= len(covered)
    if c.years:
        assert year in covered and c.since_year <= year


@settings(max_examples=300, deadline=None)
@given(history=histories(), enrolled_on=st.dates(date(2024, 9, 1), date(2032, 12, 31)),
       birth=st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2032, 12, 31))),
       groups=st.sampled_from([(), (MEDICAL_ASSISTANCE,)]),
       params=st.sampled_from([NATIONAL_DEFAULTS, LISHUI]))
def test_waiting_months_within_zero_and_three_plus_break_years(history, enrolled_on, birth,
                                                               groups, params):
    w = waiting_period(history, enrolled_on, params, birth_date=birth, special_groups=groups)
    assert 0 <= w.variable_months <= w.variable_months_before_repair
    waits = w.is_break and (not w.in_concentrated_period
                            or params.break_waits_in_concentrated_period)
    if w.exemption is None:
        assert w.variable_months_before_repair == (w.break_years if waits else 0)
    assert 0 <= w.total_months <= 3 + w.break_years
    assert w.benefits_start >= date(w.insurance_year, 1, 1)
    if w.exemption is None:
        assert w.total_months == w.fixed_months + w.variable_months or w.floor_applied
        if w.break_years >= 4 and waits:
            assert w.total_months >= 6
        assert w.benefits_start == add_months(
            max(date(w.insurance_year, 1, 1), add_months(enrolled_on.replace(day=1), 1)),
            w.total_months)
    else:
        assert w.total_months == 0
    assert w.reasons


@settings(max_examples=300, deadline=None)
@given(history=histories(), enrolled_on=st.dates(date(2025, 4, 1), date(2032, 12, 31)),
       params=any_params)
def test_waiting_bounds_for_any_parameters(history, enrolled_on, params):
    w = waiting_period(history, enrolled_on, params)
    assert 0 <= w.total_months <= (params.fixed_waiting_months
                                   + params.variable_waiting_months_per_break_year
                                   * w.break_years)


@settings(max_examples=200, deadline=None)
@given(history=histories(), enrolled_on=st.dates(date(2025, 4, 1), date(2032, 12, 31)),
       extra=st.integers(2015, 2032), params=st.sampled_from([NATIONAL_DEFAULTS, LISHUI]))
def test_paying_back_a_year_never_lengthens_the_wait(history, enrolled_on, extra, params):
    if any(r.year == extra and not r.back_paid for r in history):
        return
    before = waiting_period(history, enrolled_on, params).total_months
    after = waiting_period(list(history) + [EnrollmentYear(extra, back_paid=True)],
                           enrolled_on, params).total_months
    assert after <= before


@settings(max_examples=200, deadline=None)
@given(history=histories(), on=st.dates(date(2024, 1, 1), date(2033, 12, 31)),
       params=any_params)
def test_quote_is_consistent_with_its_parts(history, on, params):
    q = quote(history, on, params)
    assert q.cap.amount == params.original_cap + q.rewards.total
    assert q.continuous == continuous_years(history, on.year, params)
    if q.covered_on:
        assert q.enrolled and q.waiting.benefits_start <= on
    assert q.reasons
