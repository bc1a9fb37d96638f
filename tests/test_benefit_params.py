"""Benefit parameters per area with history, and the glue from registry rows to the rules."""
import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from enrollment.benefits.quotes import (
    history_for,
    notice_consequence,
    parameter_set_for,
    parameters_for,
    prefetched_person,
    quote_for,
)
from enrollment.benefits.rules import LISHUI, MEDICAL_ASSISTANCE, NATIONAL_DEFAULTS
from enrollment.models import BenefitParameterSet, Person, Scheme

from .benefit_helpers import (
    LISHUI_CITY,
    QINGTIAN,
    add_parameter_set,
    lishui_set_2027,
    person_insured,
    qingtian,  # noqa: F401 (fixture)
)
from .factories import enroll, make_person

D = datetime.date


def test_lishui_figures_ship_with_the_migration_and_apply_to_its_counties(db):
    shipped = BenefitParameterSet.objects.get(area_id=LISHUI_CITY)
    assert shipped.effective_from == D(2025, 1, 1)  # 004: "自2025年起" (rewards and waiting)
    assert shipped.to_parameters() == LISHUI
    assert parameters_for(QINGTIAN, D(2026, 1, 1)) == LISHUI
    assert parameter_set_for(QINGTIAN, D(2026, 1, 1)) == shipped


def test_before_the_lishui_plan_and_outside_lishui_the_national_defaults_apply(db, county_a):
    assert parameters_for(QINGTIAN, D(2024, 12, 31)) == NATIONAL_DEFAULTS
    assert parameters_for(county_a, D(2026, 1, 1)) == NATIONAL_DEFAULTS
    assert parameter_set_for(county_a, D(2026, 1, 1)) is None


def test_history_picks_the_set_in_force_on_the_day(db):
    lishui_set_2027()
    assert parameters_for(QINGTIAN, D(2026, 12, 31)).continuous_reward_per_year == 5000
    assert parameters_for(QINGTIAN, D(2027, 1, 1)).continuous_reward_per_year == 6000


def test_nearest_area_up_the_chain_wins(db, county_a, county_b):
    add_parameter_set("350000", D(2025, 1, 1), original_cap=Decimal("300000"))  # Fujian
    add_parameter_set("350900", D(2026, 1, 1), original_cap=Decimal("350000"))  # Ningde
    add_parameter_set("350902", D(2026, 7, 1), original_cap=Decimal("360000"))  # county A
    assert parameters_for(county_a, D(2025, 6, 1)).original_cap == 300000
    assert parameters_for(county_a, D(2026, 6, 1)).original_cap == 350000
    assert parameters_for(county_a, D(2026, 7, 1)).original_cap == 360000
    assert parameters_for(county_b, D(2026, 7, 1)).original_cap == 350000


def test_one_set_per_area_and_day(db):
    with pytest.raises(IntegrityError):
        add_parameter_set(LISHUI_CITY, D(2025, 1, 1))


def test_lishui_steps_of_5000_from_the_database(db, qingtian):
    # Insured 2021-2027 with no reimbursement: 2025 and 2026 are the 5th and 6th continuous
    # years, each raising the 2027 cap by 5000; each zero-claim year from 2025 adds 5000 more.
    person = person_insured(qingtian, range(2021, 2028), fund_paid=Decimal("0"))
    answer = quote_for(person, D(2027, 3, 1))
    assert answer.continuous.years == 7 and answer.covered_on
    assert (answer.rewards.continuous_reward, answer.rewards.zero_claim_reward) == (10000, 10000)
    assert answer.cap.amount == 420000
    assert "2021—2026年连续参保6年，自第5年起每年提高大病保险最高支付限额5000元，累计提高10000元。" in answer.reasons


def test_same_history_in_a_county_without_parameters_earns_national_steps(db, county_a):
    person = person_insured(county_a, range(2021, 2027), fund_paid=Decimal("0"))
    answer = quote_for(person, D(2027, 3, 1))
    assert (answer.rewards.continuous_reward, answer.rewards.zero_claim_reward) == (2000, 2000)
    assert answer.cap.amount == 404000


def test_a_later_set_changes_the_steps_from_its_date(db, qingtian):
    lishui_set_2027()
    person = person_insured(qingtian, range(2021, 2027), fund_paid=Decimal("0"))
    assert quote_for(person, D(2026, 12, 1)).rewards.continuous_reward == 5000
    assert quote_for(person, D(2027, 3, 1)).rewards.continuous_reward == 12000


def test_rewards_stop_at_20_percent_of_the_cap(db, qingtian):
    person = person_insured(qingtian, range(2015, 2045), fund_paid=Decimal("0"))
    answer = quote_for(person, D(2045, 1, 1))
    assert answer.rewards.total == 80000 and answer.cap.amount == 480000


def test_unknown_reimbursement_earns_no_zero_claim_reward(db, qingtian):
    person = person_insured(qingtian, range(2021, 2027), fund_paid=None)
    answer = quote_for(person, D(2027, 3, 1))
    assert (answer.rewards.continuous_reward, answer.rewards.zero_claim_reward) == (10000, 0)
    assert "2025、2026年没有统筹基金报销金额的记录，不计零报销激励。" in answer.reasons


def test_history_reads_schemes_back_payments_and_claims(db, county_a):
    person = make_person(county_a)
    enroll(person, 2022, fund_paid=Decimal("0"))
    enroll(person, 2023, paid_on=D(2025, 3, 10))  # paid after the year: back-paid
    enroll(person, 2024, scheme=Scheme.EMPLOYEE, paid_on=D(2024, 1, 15))
    enroll(person, 2025, fund_paid=Decimal("120.50"), catastrophic_paid=Decimal("9000"))
    years = {(y.year, y.scheme): y for y in history_for(person)}
    assert years[(2022, "resident")].fund_paid == 0 and not years[(2022, "resident")].back_paid
    assert years[(2023, "resident")].back_paid and years[(2023, "resident")].fund_paid is None
    assert (2024, "employee") in years
    assert years[(2025, "resident")].catastrophic_paid == Decimal("9000")


def test_waiting_period_of_a_registered_person_after_a_break(db, qingtian):
    # Insured 2019-2021, nothing 2022-2024, enrolls on 10 June 2025 in Lishui: 3 fixed
    # months plus 3 for three whole years of break.
    person = person_insured(qingtian, range(2019, 2022))
    answer = quote_for(person, D(2025, 6, 10))
    assert answer.waiting.break_years == 3 and answer.waiting.total_months == 6
    assert answer.waiting.benefits_start == D(2026, 1, 1)


def test_medical_assistance_recipients_wait_nowhere_in_lishui_only(db, qingtian, county_a):
    lishui = person_insured(qingtian, range(2019, 2022), groups=[MEDICAL_ASSISTANCE])
    ningde = person_insured(county_a, range(2019, 2022), groups=[MEDICAL_ASSISTANCE])
    assert quote_for(lishui, D(2025, 6, 10)).waiting.total_months == 0
    assert quote_for(ningde, D(2025, 6, 10)).waiting.total_months == 6


def test_newborn_status_comes_from_the_birth_date(db, county_a):
    baby = make_person(county_a, birth_date=D(2026, 5, 20))
    waiting = quote_for(baby, D(2026, 7, 1)).waiting
    assert waiting.exemption == "newborn" and waiting.benefits_start == D(2026, 5, 20)


def test_quote_for_a_prefetched_person_takes_a_fixed_number_of_queries(
        db, qingtian, django_assert_max_num_queries):
    person = person_insured(qingtian, range(2010, 2027), groups=[MEDICAL_ASSISTANCE])
    with django_assert_max_num_queries(4):  # person, enrollments, groups, parameter set
        loaded = prefetched_person(Person.objects.all(), pk=person.pk)
        quote_for(loaded, D(2027, 3, 1))


def test_notice_names_the_next_concentrated_period_and_the_exempt_groups(db, county_a):
    with translation.override("zh-hans"):
        lishui = notice_consequence(QINGTIAN, D(2026, 10, 15))
        ningde = notice_consequence(county_a, D(2026, 10, 15))
        in_january = notice_consequence(county_a, D(2027, 1, 5))
    assert lishui.startswith("未在2027年度集中参保期（2026年9月1日至2026年12月31日）内参保")
    assert "3个月待遇等待期" in lishui and "每断保1年，再增加1个月" in lishui
    # 004 line 56: "除新生儿、医疗救助对象等特殊群体外": the medical-assistance groups.
    assert "新生儿、医疗救助对象、特困人员、低保对象" in lishui
    assert "新生儿除外" in ningde and "医疗救助对象" not in ningde
    # 004 line 56 "未在集中参保期参保缴费的居民": in Lishui a break paid in the period waits not;
    # nationally "未在居民医保集中参保期内参保或未连续参保的人员" (003 line 52) both wait.
    assert "或断保后再参保的" not in lishui and "内参保缴费的，缴费后需经过3个月" in lishui
    assert "或断保后再参保的" in ningde
    assert "2028年度集中参保期（2027年9月1日至2027年12月31日）" in in_january


def test_notice_follows_an_area_s_own_period_and_months(db):
    add_parameter_set(LISHUI_CITY, D(2026, 6, 1), base=replace(LISHUI, fixed_waiting_months=2),
                      concentrated_start_month=10, concentrated_end_month=2,
                      concentrated_end_day=28)
    with translation.override("zh-hans"):
        text = notice_consequence(QINGTIAN, D(2026, 11, 1))
        in_january = notice_consequence(QINGTIAN, D(2027, 1, 15))  # the 2027 period still runs
        in_march = notice_consequence(QINGTIAN, D(2027, 3, 1))
    assert "2027年度集中参保期（2026年10月1日至2027年2月28日）" in text
    assert "2个月待遇等待期" in text
    assert "2027年度集中参保期（2026年10月1日至2027年2月28日）" in in_january
    assert "2028年度集中参保期（2027年10月1日至2028年2月28日）" in in_march


def test_a_set_the_rules_cannot_use_does_not_validate(db):
    bad = BenefitParameterSet(area_id=LISHUI_CITY, effective_from=D(2028, 1, 1),
                              **BenefitParameterSet.field_values(LISHUI))
    bad.full_clean()
    bad.concentrated_end_month = 13
    with pytest.raises(ValidationError, match="concentrated period months must be 1-12"):
        bad.full_clean()
