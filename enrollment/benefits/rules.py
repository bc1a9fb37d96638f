"""Benefit rules of the long-term enrollment mechanism (参保长效机制), resident scheme.

Pure functions over a person's enrollment history: continuous enrollment years, the waiting
period (待遇等待期) of an enrollment, the continuous-enrollment and zero-claim rewards
(连续参保激励 / 零报销激励) and the resulting catastrophic-illness cap (大病保险最高支付限额).
No Django, no database: the caller builds ``BenefitParameters`` (per area, e.g. from a table
row) and a sequence of ``EnrollmentYear`` and gets frozen results, each with ``reasons`` --
plain Chinese sentences staff can read out to a family.

Sources (paths under /work/shared/seeds/):
  [N]   003_6906a531cb682709.txt, State Council 国办发〔2024〕38号: line 50 (rewards),
        line 52 (waiting period), line 60 (newborns enrolled in their birth year).
  [L]   004_8f71802615f3ee7b.txt, Lishui implementing plan (draft for comment, 2025-03-28):
        line 54 (rewards, 5000 yuan, Jan 1 adjustment), line 56 (waiting period, 4-month gap,
        exempt groups, transfer-in), line 58 (repair, 6-month floor), line 105 (the plan in
        force from 2025-04-01; its rules say "自2025年起", which is when they start).
  [Q]   002_e5e5ade94adf6793.txt, NHSA press briefing: line 27 (earned rewards are kept after
        a break), line 39 (400,000 cap -> +80,000 -> 480,000).
  [C]   001_74241757007e3043.txt line 107 (also 000_... line 32), national children's
        enrollment notice: newborns pay within 90 days of birth and are covered from birth.

Interpretations chosen where the texts leave room (each can be revisited per area through
``BenefitParameters`` where it is a number):

 1. Insurance year = calendar year. An enrollment paid inside the concentrated period that
    precedes year Y is an enrollment for Y. Neither text gives the period's dates; the
    defaults (1 September - 31 December of the previous year) are common practice and must be
    set per area.
 2. Continuity. National: a break (断保) is a whole insurance year with no coverage in any
    scheme. Lishui [L56]: in addition, an interruption of payment of ``break_gap_months`` (4)
    or more months across years or schemes is a break. Months are counted from the last covered
    month to the month coverage resumes; a resident year paid late (outside the concentrated
    period, inside the year) counts as covered from the month of payment. Whether such a late
    payment inside the resident scheme is itself a break by the gap rule is contested ("跨年度、
    跨制度转换参保关系，且中断缴费4个月及以上"): ``same_scheme_gap_breaks`` (default False, the
    plain reading: nothing was converted). Employee-scheme years keep continuity (moving
    between schemes without a long gap is not 断保, [L56]) but count toward continuous years
    only with ``employee_years_count`` (default False: "连续参加居民医保满4年" [N50, L54]).
 3. Back-paid years (补缴, ``back_paid=True``) only repair variable waiting [N52, L58]; they do
    not restore continuity and earn no reward (no text says they do).
 4. Rewards. After ``continuous_years_before_reward`` (4) full continuous years, each further
    continuous year k >= 5 earns one step; a resident year with no fund reimbursement
    (fund_paid == 0 and catastrophic_paid == 0; fund_paid None = not reported, no step) earns
    one zero-claim step. A reward earned for year y takes effect on 1 January of y + 1
    ([L54] "激励待遇在次年1月1日调整"), so the cap
    in year Y reflects completed years < Y only. Only years >= ``rewards_from_year`` (2025,
    "自2025年起" [N50, L54]) earn rewards; earlier years still count toward the 4 years.
 5. Ceiling: the two rewards together never exceed ``reward_ceiling_ratio`` (20%) of the
    original cap [N50]. A step is granted only up to the remaining headroom (continuous step
    first, then zero-claim step of the same year); headroom reopens after a clearing.
 6. A break restarts the count of continuous years; rewards already earned, of both kinds,
    are kept [N50, Q27].
 7. Using the reward in a catastrophic claim in year y (catastrophic_paid above the original
    cap, unless ``catastrophic_reward_used`` says otherwise) clears the accumulated zero-claim
    reward from 1 January of y + 1 (the Jan 1 adjustment rule); the continuous reward stays.
 8. The national "may lower the cap of people who rejoin after a break" [N50] is optional and
    has no figure: ``rejoin_cap_reduction`` (default 0, off) lowers the cap of the first year
    of a chain that follows a break, from ``rewards_from_year``.
 9. Waiting period [N52, L56, L58]: fixed ``fixed_waiting_months`` (3) when enrolling outside
    the concentrated period OR after a break (national wording; the Lishui sentence is read as
    implementing it). Lishui's sentence reads "未在集中参保期参保缴费的居民": whether a break
    paid inside the concentrated period waits is ``break_waits_in_concentrated_period``
    (national True; Lishui False, its plain reading). A break of N whole insurance years adds N x
    ``variable_waiting_months_per_break_year``; N counts calendar years with no coverage at
    all between the last covered month and the year enrolled for (Lishui "累计计算" read as
    "fixed and variable add up"). Each back-paid year inside that break removes
    ``repair_months_per_back_paid_year``; when N >= ``long_break_years`` (4) the repaired
    total is at least ``long_break_floor_months`` (6) (never above the unrepaired total).
    Only the latest break counts. A person with no earlier coverage in the history gets no
    variable waiting (the history cannot say how long they were uninsured).
10. Benefits start: waiting is counted in whole months from the later of the first day of
    the insurance year and the first day of the month after payment ("自参保缴费次月起"
    [L56] is the zero-waiting case). The waiting rules apply when the enrollment is paid on or
    after ``waiting_rules_from`` or is for an insurance year starting on or after it: nationally
    ("2025年起") a late-2024 concentrated-period enrollment for 2025 is covered; Lishui's rules
    say "自2025年起" too [L54, L56] (the plan's own start, 2025-04-01 [L105], is not theirs).
11. Newborns [N52, N60, C107]: exempt from waiting when enrolled within ``newborn_days`` (90)
    of birth -- covered from the day of birth; a payment in January for a December birth is
    for the birth year ([C107], ``enrollment_insurance_year``), not a back-payment -- or,
    with ``newborn_birth_year_exempt``, in the calendar year of birth (covered from the month
    after payment).
12. Special groups listed in ``exempt_groups`` (Lishui: "医疗救助对象等" [L56], read as the
    medical-assistance groups MEDICAL_ASSISTANCE_GROUPS) have no waiting and
    are covered from the month after payment. The national text names no group but newborns.
13. Transfer-in [L56], only for reasons in ``transfer_in_reasons`` (none nationally): enrolled
    within ``transfer_in_grace_months`` (3) of qualifying (for reasons in
    ``transfer_in_from_next_month_reasons``, the army, counted from the month after
    qualifying) -> no waiting at all, covered from the month after payment (the text fixes
    the start date, so variable waiting does not apply either).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_DOWN, Decimal

RESIDENT = "resident"
EMPLOYEE = "employee"
SCHEMES = (RESIDENT, EMPLOYEE)

MEDICAL_ASSISTANCE = "medical_assistance"
EXTREME_POVERTY = "extreme_poverty"
SUBSISTENCE = "subsistence"
POVERTY_MONITORING = "poverty_monitoring"
ORPHAN = "orphan"
UNSUPPORTED = "unsupported"
DISABLED = "disabled"
LEFT_BEHIND = "left_behind"

# Chinese labels of the codes used in parameters and arguments (the codes are those of
# enrollment.models.people.SpecialGroup).
GROUP_LABELS = {
    MEDICAL_ASSISTANCE: "医疗救助对象",
    EXTREME_POVERTY: "特困人员",
    SUBSISTENCE: "低保对象",
    POVERTY_MONITORING: "防止返贫监测对象",
    ORPHAN: "孤儿",
    UNSUPPORTED: "事实无人抚养儿童",
    DISABLED: "重度残疾儿童",
    LEFT_BEHIND: "留守儿童",
}
# Lishui [L56] "除新生儿、医疗救助对象等特殊群体外": the groups medical assistance covers
# (its recipients and those it subsidises: 特困, 低保, 返贫监测, 孤儿). Disabled and left-behind
# children are not medical-assistance groups as such; an area adds them in its parameters.
MEDICAL_ASSISTANCE_GROUPS = (MEDICAL_ASSISTANCE, EXTREME_POVERTY, SUBSISTENCE,
                             POVERTY_MONITORING, ORPHAN, UNSUPPORTED)

# The sentences behind the contested readings, shown in the calculator and the admin.
SOURCES = {
    "employee_years_count": "国办发〔2024〕38号：“对连续参加居民医保满4年的参保人员，之后每连续参保1年，"
                            "可适当提高大病保险最高支付限额”；丽水实施办法同。",
    "same_scheme_gap_breaks": "丽水实施办法：“跨年度、跨制度转换参保关系，且中断缴费4个月及以上的视为未连续"
                              "参保”。",
    "break_waits_in_concentrated_period": "国办发〔2024〕38号：“对未在居民医保集中参保期内参保或未连续"
                                          "参保的人员，设置参保后固定待遇等待期3个月”；丽水实施办法："
                                          "“未在集中参保期参保缴费的居民，缴费未中断的，设置参保后固定"
                                          "待遇等待期3个月；缴费中断的，每多断缴1年……增加变动待遇等待期"
                                          "1个月”。",
    "exempt_groups": "丽水实施办法：“除新生儿、医疗救助对象等特殊群体外”。",
    "newborn_days": "医保办函〔2024〕14号：“新生儿原则上在出生后90天内按规定参保缴费，自出生之日起所"
                    "发生的符合规定的医疗费用均可纳入医保报销范围”。",
    "newborn_code_days": "医保办函〔2024〕14号：“鼓励地方探索凭出生医学证明办理新生儿参保，并可通过亲情"
                         "账户或经办机构为其办理医保码，在出生后180天内均可凭医保码在定点医疗机构直接"
                         "就医结算”。",
    "rejoin_cap_reduction": "国办发〔2024〕38号：“自2025年起，对断保人员再参保的，可降低大病保险最高支付"
                            "限额”。",
    "contribution": "国办发〔2024〕38号：“缴费参照当年参保地的个人缴费标准”；丽水实施办法：“修复缴费"
                    "标准参照当年参保地个人缴费标准”。",
    "waiting_rules_from": "国办发〔2024〕38号、丽水实施办法：“自2025年起……明确居民医保待遇等待期规则”。",
}
TRANSFER_IN_LABELS = {
    "employee": "职工医保参保中断后转入人员",
    "army": "部队转业（复员）人员",
    "hukou": "取得本省户籍人员",
    "residence_permit": "取得本地居住证人员",
    "school": "取得全日制学籍人员",
    "release": "刑满释放人员",
}

ZERO = Decimal("0")
CENT = Decimal("0.01")


def _dec(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


# --------------------------------------------------------------------------------------------
# Parameters


@dataclass(frozen=True)
class BenefitParameters:
    """Every number of the rules for one area. Money in yuan (Decimal)."""

    original_cap: Decimal  # 大病保险原封顶线
    continuous_reward_per_year: Decimal
    zero_claim_reward_per_year: Decimal
    reward_ceiling_ratio: Decimal = Decimal("0.20")
    continuous_years_before_reward: int = 4
    rewards_from_year: int = 2025
    waiting_rules_from: date = date(2025, 1, 1)
    fixed_waiting_months: int = 3
    variable_waiting_months_per_break_year: int = 1
    repair_months_per_back_paid_year: int = 1
    long_break_years: int = 4
    long_break_floor_months: int = 6
    break_gap_months: int | None = None  # None: only whole uncovered years break continuity
    # Concentrated period for insurance year Y: starts on (start month/day) of Y-1 and ends on
    # (end month/day) of Y-1, or of Y when the end falls before the start in the calendar.
    concentrated_start_month: int = 9
    concentrated_start_day: int = 1
    concentrated_end_month: int = 12
    concentrated_end_day: int = 31
    newborn_days: int = 90
    newborn_birth_year_exempt: bool = True
    exempt_groups: tuple[str, ...] = ()
    transfer_in_reasons: tuple[str, ...] = ()
    transfer_in_grace_months: int = 3
    transfer_in_from_next_month_reasons: tuple[str, ...] = ()
    # Contested readings, defaulted to the text's plain reading (see SOURCES):
    employee_years_count: bool = False  # only resident-scheme years count ("连续参加居民医保")
    same_scheme_gap_breaks: bool = False  # a late payment inside the resident scheme is no
    # "跨年度、跨制度转换参保关系" and so no break by the gap rule
    break_waits_in_concentrated_period: bool = True  # national "未在…集中参保期内参保或未连续参保"
    newborn_code_days: int | None = None  # None: the 180-day code is not a local measure here
    rejoin_cap_reduction: Decimal = ZERO  # optional national measure, off unless set

    def __post_init__(self):
        for name in ("original_cap", "continuous_reward_per_year",
                     "zero_claim_reward_per_year", "reward_ceiling_ratio", "rejoin_cap_reduction"):
            object.__setattr__(self, name, _dec(getattr(self, name)))
        for name in ("exempt_groups", "transfer_in_reasons",
                     "transfer_in_from_next_month_reasons"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value < 0:
                raise ValueError(f"{f.name} must not be negative")
        if self.reward_ceiling_ratio > 1:
            raise ValueError("reward_ceiling_ratio must be between 0 and 1")
        for m in (self.concentrated_start_month, self.concentrated_end_month):
            if not 1 <= m <= 12:
                raise ValueError("concentrated period months must be 1-12")
        if self.break_gap_months is not None and self.break_gap_months < 1:
            raise ValueError("break_gap_months must be at least 1 or None")
        if self.rejoin_cap_reduction > self.original_cap:
            raise ValueError("rejoin_cap_reduction must not exceed the original cap")

    @property
    def reward_ceiling(self) -> Decimal:
        # Rounded down to the cent: "不超过…原封顶线的20%" must hold after rounding too.
        return (self.original_cap * self.reward_ceiling_ratio).quantize(CENT, rounding=ROUND_DOWN)


# National minimums, [N50, N52]. The original cap has no national figure: 400,000 is the
# NHSA's worked example [Q39]; every area must set its own.
NATIONAL_DEFAULTS = BenefitParameters(
    original_cap=Decimal("400000"),  # [Q39] example "40万元"
    continuous_reward_per_year=Decimal("1000"),  # [N50] "原则上每次提高限额均不低于1000元"
    zero_claim_reward_per_year=Decimal("1000"),  # [N50] idem
    reward_ceiling_ratio=Decimal("0.20"),  # [N50] "不超过...原封顶线的20%"
    continuous_years_before_reward=4,  # [N50] "连续参加居民医保满4年"
    rewards_from_year=2025,  # [N50] "自2025年起"
    waiting_rules_from=date(2025, 1, 1),  # [N52] "2025年起"
    fixed_waiting_months=3,  # [N52] "固定待遇等待期3个月"
    variable_waiting_months_per_break_year=1,  # [N52] "每多断保1年...增加...1个月"
    repair_months_per_back_paid_year=1,  # [N52] "每多缴纳1年可减少1个月"
    long_break_years=4,  # [N52] "连续断缴4年及以上"
    long_break_floor_months=6,  # [N52] "原则上不少于6个月"
    break_gap_months=None,
    newborn_days=90,  # [C107] "新生儿原则上在出生后90天内按规定参保缴费"
    newborn_birth_year_exempt=True,  # [N60] "促进监护人为新生儿在出生当年参保"
    exempt_groups=(),  # [N52] names only newborns ("新生儿等特殊群体")
    transfer_in_reasons=(),
    employee_years_count=False,  # [N50] "对连续参加居民医保满4年的参保人员"
    break_waits_in_concentrated_period=True,  # [N52] "未在…集中参保期内参保或未连续参保的人员"
)

# Lishui city [L]. The original cap is not in the Lishui text: 400,000 is a placeholder to be
# replaced by the city's actual figure.
LISHUI = BenefitParameters(
    original_cap=Decimal("400000"),  # placeholder, not in [L]
    continuous_reward_per_year=Decimal("5000"),  # [L54] "每连续参保1年，提高...5000元"
    zero_claim_reward_per_year=Decimal("5000"),  # [L54] "次年提高...5000元"
    reward_ceiling_ratio=Decimal("0.20"),  # [L54] "不超过...原封顶线的20%"
    continuous_years_before_reward=4,  # [L54] "连续参加居民医保满4年"
    rewards_from_year=2025,  # [L54] "自2025年起"
    waiting_rules_from=date(2025, 1, 1),  # [L56] "自2025年起，除新生儿…" (not the plan's
    # own start, [L105] 2025-04-01: the plan sets the date of each rule)
    fixed_waiting_months=3,  # [L56]
    variable_waiting_months_per_break_year=1,  # [L56] "每多断缴1年...增加...1个月"
    repair_months_per_back_paid_year=1,  # [L58] "每多缴纳1年，可减少1个月"
    long_break_years=4,  # [L58] "连续断缴4年及以上的"
    long_break_floor_months=6,  # [L58] "可修复至等待期6个月"
    break_gap_months=4,  # [L56] "中断缴费4个月及以上的视为未连续参保"
    newborn_days=90,  # [C107]
    newborn_birth_year_exempt=True,  # [N60]
    exempt_groups=MEDICAL_ASSISTANCE_GROUPS,  # [L56] "除新生儿、医疗救助对象等特殊群体外"
    transfer_in_reasons=("employee", "army", "hukou", "residence_permit", "school", "release"),
    transfer_in_grace_months=3,  # [L56] "...3个月内人员"
    transfer_in_from_next_month_reasons=("army",),  # [L56] "取得学籍次月起3个月内"
    employee_years_count=False,  # [L54] "对连续参加居民医保满4年的参保人员"
    same_scheme_gap_breaks=False,  # [L56] "跨年度、跨制度转换参保关系，且中断缴费4个月及以上"
    break_waits_in_concentrated_period=False,  # [L56] "未在集中参保期参保缴费的居民"
)


# --------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class EnrollmentYear:
    """One year of a person's history in one scheme.

    ``first_month``/``last_month`` matter for employee-scheme years (monthly contributions);
    a resident year covers the whole year. ``in_concentrated_period`` and
    ``catastrophic_reward_used`` are derived from ``paid_on`` and the cap when None.
    """

    year: int
    scheme: str = RESIDENT
    paid_on: date | None = None
    in_concentrated_period: bool | None = None
    fund_paid: Decimal | None = ZERO  # reimbursed by the pooled fund that year; None: unknown
    catastrophic_paid: Decimal = ZERO  # paid by catastrophic-illness insurance that year
    catastrophic_reward_used: bool | None = None
    back_paid: bool = False  # a missed year paid afterwards to repair variable waiting
    first_month: int = 1
    last_month: int = 12

    def __post_init__(self):
        if self.scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {SCHEMES}")
        if not 1 <= self.first_month <= self.last_month <= 12:
            raise ValueError("need 1 <= first_month <= last_month <= 12")
        if self.back_paid and self.scheme != RESIDENT:
            raise ValueError("only resident years are back-paid")
        for name in ("fund_paid", "catastrophic_paid"):
            if name == "fund_paid" and self.fund_paid is None:
                continue  # not reported: the year earns no zero-claim step
            value = _dec(getattr(self, name))
            if value < 0:
                raise ValueError(f"{name} must not be negative")
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class TransferIn:
    """Lishui transfer-in: ``reason`` is a key of TRANSFER_IN_LABELS; ``qualified_on`` the day
    the person qualified (employee insurance stopped, hukou / permit / school status gained,
    released, ...)."""

    reason: str
    qualified_on: date


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ContinuousYears:
    as_of_year: int
    years: int
    since_year: int | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class WaitingPeriod:
    insurance_year: int
    enrolled_on: date
    in_concentrated_period: bool
    exemption: str | None  # 'newborn', 'special_group', 'transfer_in', 'before_rules'
    last_covered_month: date | None  # first day of the last covered month before this one
    gap_months: int | None
    break_years: int
    is_break: bool
    fixed_months: int
    variable_months_before_repair: int
    repaired_years: int
    variable_months: int
    floor_applied: bool
    total_months: int
    benefits_start: date
    reasons: tuple[str, ...]
    back_paid_years: tuple[int, ...] = ()  # missed years of the break already paid back

    @property
    def missed_years(self) -> tuple[int, ...]:
        """The whole years of the break that paying back would repair (none when the break
        adds no variable waiting)."""
        if not self.variable_months_before_repair:
            return ()
        return tuple(y for y in range(self.insurance_year - self.break_years, self.insurance_year)
                     if y not in self.back_paid_years)


@dataclass(frozen=True)
class Rewards:
    as_of_year: int
    continuous_reward: Decimal
    zero_claim_reward: Decimal
    total: Decimal
    ceiling: Decimal
    continuous_reward_years: tuple[int, ...]  # years whose continuity earned a step
    zero_claim_years: tuple[int, ...]  # zero-claim years whose step is still held
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Cap:
    year: int
    original_cap: Decimal
    reward: Decimal
    amount: Decimal
    rewards: Rewards
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class BenefitQuote:
    on: date
    insurance_year: int
    enrolled: bool  # a resident enrollment for the year is on record
    covered_on: bool  # enrolled and benefits have started by ``on``
    continuous: ContinuousYears
    waiting: WaitingPeriod | None
    rewards: Rewards
    cap: Cap
    reasons: tuple[str, ...]


# --------------------------------------------------------------------------------------------
# Date and text helpers


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _safe_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _idx(year: int, month: int) -> int:
    return year * 12 + month - 1


def _month_start(idx: int) -> date:
    return date(idx // 12, idx % 12 + 1, 1)


def _first_of_next_month(d: date) -> date:
    return add_months(d.replace(day=1), 1)


def _d(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _ym(d: date) -> str:
    return f"{d.year}年{d.month}月"


def _yuan(amount: Decimal) -> str:
    amount = _dec(amount).quantize(CENT)
    if amount == amount.to_integral_value():
        return str(int(amount))
    return str(amount)


format_yuan = _yuan  # public: amounts as staff write them (400000, 1234.5)


def _years_span(first: int, last: int) -> str:
    return f"{first}年" if first == last else f"{first}—{last}年"


def _years_list(years: Sequence[int]) -> str:
    return "、".join(str(y) for y in years) + "年"


def _percent(ratio: Decimal) -> str:
    return _yuan(ratio * 100)


# --------------------------------------------------------------------------------------------
# Concentrated period and coverage


def concentrated_period(insurance_year: int, params: BenefitParameters) -> tuple[date, date]:
    """First and last day of the concentrated enrollment period for ``insurance_year``."""
    start_md = (params.concentrated_start_month, params.concentrated_start_day)
    end_md = (params.concentrated_end_month, params.concentrated_end_day)
    start = _safe_date(insurance_year - 1, *start_md)
    end_year = insurance_year - 1 if end_md >= start_md else insurance_year
    return start, _safe_date(end_year, *end_md)


def in_concentrated_period(paid_on: date, insurance_year: int,
                           params: BenefitParameters) -> bool:
    start, end = concentrated_period(insurance_year, params)
    return start <= paid_on <= end


def insurance_year_for(enrolled_on: date, params: BenefitParameters) -> int:
    """The insurance year an enrollment paid on ``enrolled_on`` is for."""
    if in_concentrated_period(enrolled_on, enrolled_on.year + 1, params):
        return enrolled_on.year + 1
    return enrolled_on.year


def newborn_in_window(enrolled_on: date, birth_date: date | None,
                      params: BenefitParameters) -> bool:
    """Whether a payment on ``enrolled_on`` is within ``newborn_days`` of birth."""
    return (birth_date is not None and birth_date <= enrolled_on
            and (enrolled_on - birth_date).days <= params.newborn_days)


def enrollment_insurance_year(enrolled_on: date, params: BenefitParameters, *,
                              birth_date: date | None = None) -> int:
    """The insurance year a resident payment on ``enrolled_on`` is for: a newborn's payment
    within ``newborn_days`` of birth is for the birth year, even when paid in the next year
    ([C107] "自出生之日起所发生的…医疗费用均可纳入医保报销范围"); else ``insurance_year_for``."""
    if newborn_in_window(enrolled_on, birth_date, params):
        return birth_date.year
    return insurance_year_for(enrolled_on, params)


def _record_in_period(rec: EnrollmentYear, params: BenefitParameters) -> bool:
    if rec.in_concentrated_period is not None:
        return rec.in_concentrated_period
    return rec.paid_on is not None and in_concentrated_period(rec.paid_on, rec.year, params)


def _coverage_first_month(rec: EnrollmentYear, params: BenefitParameters) -> int:
    # A resident year paid late, inside the year, counts as covered from the month of payment
    # (interpretation 2; matters only for the Lishui gap rule).
    if (rec.scheme == RESIDENT and rec.paid_on is not None and rec.paid_on.year == rec.year
            and not _record_in_period(rec, params)):
        return max(rec.first_month, rec.paid_on.month)
    return rec.first_month


def _reward_used(rec: EnrollmentYear, params: BenefitParameters) -> bool:
    if rec.catastrophic_reward_used is not None:
        return rec.catastrophic_reward_used
    return rec.catastrophic_paid > params.original_cap


def _covered_months(records: Iterable[EnrollmentYear],
                    params: BenefitParameters) -> dict[int, set[str]]:
    months: dict[int, set[str]] = {}
    for rec in records:
        if rec.back_paid:
            continue
        for m in range(_coverage_first_month(rec, params), rec.last_month + 1):
            months.setdefault(_idx(rec.year, m), set()).add(rec.scheme)
    return months


def _is_break(last_idx: int, next_idx: int, params: BenefitParameters, *,
              same_scheme: bool = False) -> bool:
    """Whether coverage ending in month ``last_idx`` and resuming in ``next_idx`` is broken.
    ``same_scheme``: resident coverage on both sides (a late payment, no "转换参保关系"), which
    the gap rule breaks only with ``same_scheme_gap_breaks``."""
    whole_years = next_idx // 12 - last_idx // 12 - 1
    if whole_years >= 1:
        return True
    if params.break_gap_months is None or (same_scheme and not params.same_scheme_gap_breaks):
        return False
    return next_idx - last_idx - 1 >= params.break_gap_months


def _segments(months: dict[int, set[str]], params: BenefitParameters) -> list[list[int]]:
    segs: list[list[int]] = []
    for m in sorted(months):
        same = bool(segs) and RESIDENT in months[m] and RESIDENT in months[segs[-1][-1]]
        if segs and not _is_break(segs[-1][-1], m, params, same_scheme=same):
            segs[-1].append(m)
        else:
            segs.append([m])
    return segs


@dataclass(frozen=True)
class _YearInfo:
    position: int  # k-th continuous year of its chain
    segment: int
    segment_first_year: int


def _year_positions(history: Iterable[EnrollmentYear],
                    params: BenefitParameters) -> dict[int, _YearInfo]:
    months = _covered_months(history, params)
    counting = {RESIDENT, EMPLOYEE} if params.employee_years_count else {RESIDENT}
    segs = _segments(months, params)
    info: dict[int, _YearInfo] = {}
    for n, seg in enumerate(segs):
        years = sorted({m // 12 for m in seg if months[m] & counting})
        for pos, y in enumerate(years, start=1):
            # A year split by a break belongs to the later chain (it holds its last month).
            info[y] = _YearInfo(pos, n, years[0])
    return info


def _resident_records(history: Iterable[EnrollmentYear]) -> dict[int, EnrollmentYear]:
    return {r.year: r for r in history if r.scheme == RESIDENT and not r.back_paid}


# --------------------------------------------------------------------------------------------
# Continuous years


def continuous_years(history: Sequence[EnrollmentYear], as_of_year: int | date,
                     params: BenefitParameters) -> ContinuousYears:
    """Length of the unbroken chain of covered years ending with ``as_of_year`` (0 when that
    year is not covered)."""
    year = as_of_year.year if isinstance(as_of_year, date) else int(as_of_year)
    info = _year_positions(history, params)
    before = params.continuous_years_before_reward
    cur = info.get(year)
    reasons: list[str] = []
    if cur is None:
        earlier = [y for y in info if y < year]
        if earlier:
            last = max(earlier)
            reasons.append(f"{year}年未参保（或未计入连续参保），连续参保年数为0；"
                           f"上一段连续参保为{_years_span(info[last].segment_first_year, last)}，"
                           f"共{info[last].position}年。")
        else:
            reasons.append(f"截至{year}年没有参保记录，连续参保年数为0。")
        return ContinuousYears(year, 0, None, tuple(reasons))
    if cur.segment > 0:
        reasons.append(f"此前曾断保，连续参保年数自{cur.segment_first_year}年起重新计算。")
    reasons.append(f"{_years_span(cur.segment_first_year, year)}连续参保{cur.position}年。")
    if cur.position < before:
        reasons.append(f"连续参保满{before}年后，之后每连续参保1年，次年1月1日起提高大病保险"
                       f"最高支付限额{_yuan(params.continuous_reward_per_year)}元；"
                       f"还需连续参保{before - cur.position}年。")
    return ContinuousYears(year, cur.position, cur.segment_first_year, tuple(reasons))


# --------------------------------------------------------------------------------------------
# Rewards and cap


def rewards(history: Sequence[EnrollmentYear], as_of: date | int,
            params: BenefitParameters) -> Rewards:
    """Rewards in effect in the insurance year of ``as_of`` (earned by completed years)."""
    year = as_of.year if isinstance(as_of, date) else int(as_of)
    info = _year_positions(history, params)
    resident = _resident_records(history)
    before = params.continuous_years_before_reward
    c_step = params.continuous_reward_per_year
    z_step = params.zero_claim_reward_per_year
    ceiling = params.reward_ceiling
    reasons: list[str] = []
    cont = ZERO
    zero = ZERO
    trimmed = False
    cont_years: list[int] = []
    zero_years: list[int] = []

    seg_state: dict = {}
    zero_run: list[tuple[int, Decimal]] = []
    unknown_fund_years: list[int] = []

    def grant(step: Decimal) -> Decimal:
        nonlocal trimmed
        g = min(step, max(ZERO, ceiling - cont - zero))
        if g < step:
            trimmed = True
        return g

    def flush_segment():
        if not seg_state:
            return
        first, last = seg_state["first"], seg_state["last"]
        pos = info[last].position
        earned, amount, excluded = seg_state["earned"], seg_state["amount"], seg_state["excluded"]
        if earned:
            note = (f"（{params.rewards_from_year}年以前的年度不计激励，计入{len(earned)}年）"
                    if excluded else "")
            capped = "（受累计上限限制）" if amount < c_step * len(earned) else ""
            reasons.append(f"{_years_span(first, last)}连续参保{pos}年，自第{before + 1}年起每年"
                           f"提高大病保险最高支付限额{_yuan(c_step)}元{note}，"
                           f"累计提高{_yuan(amount)}元{capped}。")
        elif excluded:
            reasons.append(f"{_years_span(first, last)}连续参保{pos}年，但连续参保激励自"
                           f"{params.rewards_from_year}年起计算，尚未获得该项激励。")
        else:
            reasons.append(f"{_years_span(first, last)}连续参保{pos}年，未满{before}年，"
                           f"尚无连续参保激励。")
        seg_state.clear()

    def flush_zero_run():
        if not zero_run:
            return
        amount = sum((a for _, a in zero_run), ZERO)
        capped = "（受累计上限限制）" if amount < z_step * len(zero_run) else ""
        each = "每年" if len(zero_run) > 1 else ""
        reasons.append(f"{_years_list([y for y, _ in zero_run])}统筹基金零报销，{each}提高次年"
                       f"大病保险最高支付限额{_yuan(z_step)}元，累计提高{_yuan(amount)}元"
                       f"{capped}。")
        zero_run.clear()

    years = sorted(y for y in set(info) | set(resident) if y < year)
    for y in years:
        yi = info.get(y)
        if yi is not None and seg_state.get("segment") != yi.segment:
            had_segment = bool(seg_state)
            flush_segment()
            if had_segment or yi.segment > 0:
                kept = cont + zero
                keep = f"，此前已获得的激励额度{_yuan(kept)}元继续保留" if kept > 0 else ""
                reasons.append(f"{y}年再次参保前曾断保，连续参保年数自{yi.segment_first_year}"
                               f"年起重新计算{keep}。")
            seg_state.update(segment=yi.segment, first=yi.segment_first_year, last=y,
                             earned=[], amount=ZERO, excluded=0)
        rec = resident.get(y)
        if rec is not None and _reward_used(rec, params):
            flush_zero_run()
            if zero > 0:
                reasons.append(f"{y}年发生大病报销并使用了奖励额度，此前累计的零报销激励额度"
                               f"{_yuan(zero)}元自{y + 1}年1月1日起清零。")
            zero = ZERO
            zero_years.clear()
        if yi is not None:
            seg_state["last"] = y
            if yi.position > before:
                if y >= params.rewards_from_year:
                    g = grant(c_step)
                    cont += g
                    seg_state["earned"].append(y)
                    seg_state["amount"] += g
                    if g > 0:
                        cont_years.append(y)
                else:
                    seg_state["excluded"] += 1
        if rec is not None and y >= params.rewards_from_year and rec.fund_paid is None:
            unknown_fund_years.append(y)
        elif (rec is not None and y >= params.rewards_from_year
                and rec.fund_paid == 0 and rec.catastrophic_paid == 0):
            g = grant(z_step)
            zero += g
            zero_run.append((y, g))
            if g > 0:
                zero_years.append(y)
    flush_segment()
    flush_zero_run()

    total = cont + zero
    if unknown_fund_years:
        reasons.append(f"{_years_list(unknown_fund_years)}没有统筹基金报销金额的记录，"
                       f"不计零报销激励。")
    if trimmed:
        reasons.append(f"两项激励累计提高总额不超过大病保险原封顶线{_yuan(params.original_cap)}元"
                       f"的{_percent(params.reward_ceiling_ratio)}%，即{_yuan(ceiling)}元，"
                       f"超出部分不再增加。")
    if not years:
        reasons.append(f"{year}年以前没有参保记录，没有激励额度。")
    reasons.append(f"{year}年适用的激励：连续参保激励{_yuan(cont)}元，零报销激励{_yuan(zero)}元，"
                   f"合计{_yuan(total)}元（激励额度每年1月1日调整）。")
    return Rewards(year, cont, zero, total, ceiling, tuple(cont_years), tuple(zero_years),
                   tuple(reasons))


def current_cap(history: Sequence[EnrollmentYear], on: date | int,
                params: BenefitParameters) -> Cap:
    """The catastrophic-illness cap that applies in the insurance year of ``on``."""
    r = rewards(history, on, params)
    amount = params.original_cap + r.total
    line = (f"{r.as_of_year}年大病保险最高支付限额为{_yuan(amount)}元"
            f"（原封顶线{_yuan(params.original_cap)}元，激励提高{_yuan(r.total)}元）。")
    lowered = ZERO
    if params.rejoin_cap_reduction and r.as_of_year >= params.rewards_from_year:
        cur = _year_positions(history, params).get(r.as_of_year)
        if cur is not None and cur.segment > 0 and cur.position == 1:
            lowered = params.rejoin_cap_reduction
            amount -= lowered
            line = (f"{r.as_of_year}年为断保后再参保的第一年，按本地区参数降低大病保险最高支付限额"
                    f"{_yuan(lowered)}元，为{_yuan(amount)}元（原封顶线{_yuan(params.original_cap)}元，"
                    f"激励提高{_yuan(r.total)}元）。依据：{SOURCES['rejoin_cap_reduction']}")
    return Cap(r.as_of_year, params.original_cap, r.total, amount, r, r.reasons + (line,))


# --------------------------------------------------------------------------------------------
# Waiting period


def _transfer_in_deadline(t: TransferIn, params: BenefitParameters) -> date:
    if t.reason in params.transfer_in_from_next_month_reasons:
        last_month = add_months(t.qualified_on.replace(day=1), params.transfer_in_grace_months)
        return last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])
    return add_months(t.qualified_on, params.transfer_in_grace_months)


def waiting_period(history: Sequence[EnrollmentYear], enrolled_on: date,
                   params: BenefitParameters, *, insurance_year: int | None = None,
                   birth_date: date | None = None, special_groups: Iterable[str] = (),
                   transfer_in: TransferIn | None = None) -> WaitingPeriod:
    """Waiting period of a resident enrollment paid on ``enrolled_on``.

    ``history`` may contain the enrollment itself; resident records of the insurance year
    enrolled for and later years are ignored, back-paid years inside the break repair it.
    """
    year = (insurance_year if insurance_year is not None
            else enrollment_insurance_year(enrolled_on, params, birth_date=birth_date))
    in_period = in_concentrated_period(enrolled_on, year, params)
    p_start, p_end = concentrated_period(year, params)
    period_text = f"{year}年度集中参保期（{_d(p_start)}—{_d(p_end)}）"
    year_start = date(year, 1, 1)
    base = max(year_start, _first_of_next_month(enrolled_on))
    reasons: list[str] = []

    # Coverage before this enrollment.
    prior = [r for r in history
             if not r.back_paid and r.year <= year and not (r.scheme == RESIDENT and r.year >= year)]
    new_idx = max(_idx(year, 1), _idx(enrolled_on.year, enrolled_on.month))
    months_schemes = _covered_months(prior, params)
    months = [m for m in months_schemes if m < new_idx]
    last_idx = max(months) if months else None
    if last_idx is None:
        gap = None
        break_years = 0
        is_break = False
    else:
        gap = new_idx - last_idx - 1
        break_years = max(0, year - last_idx // 12 - 1)
        is_break = _is_break(last_idx, new_idx, params,
                             same_scheme=RESIDENT in months_schemes[last_idx])
    last_month_date = _month_start(last_idx) if last_idx is not None else None

    def result(exemption, fixed, var_before, repaired, variable, floor_applied, total, start):
        return WaitingPeriod(year, enrolled_on, in_period, exemption, last_month_date, gap,
                             break_years, is_break, fixed, var_before, repaired, variable,
                             floor_applied, total, start, tuple(reasons),
                             tuple(back) if var_before else ())

    def no_wait(exemption: str, start: date) -> WaitingPeriod:
        return result(exemption, 0, 0, 0, 0, False, 0, start)

    if enrolled_on < params.waiting_rules_from and year_start < params.waiting_rules_from:
        reasons.append(f"待遇等待期规定自{_d(params.waiting_rules_from)}起施行，"
                       f"本次于{_d(enrolled_on)}参保缴费，不设待遇等待期，"
                       f"自{_d(base)}起享受{year}年度居民医保待遇。")
        return no_wait("before_rules", base)

    # Newborns [N52, N60, C107].
    if birth_date is not None and birth_date <= enrolled_on:
        age_days = (enrolled_on - birth_date).days
        if age_days <= params.newborn_days:
            start = max(birth_date, year_start)
            reasons.append(f"新生儿于出生后{params.newborn_days}天内参保缴费（出生后第{age_days}天），"
                           f"不设待遇等待期，自{_d(start)}起享受{year}年度居民医保待遇"
                           f"（出生之日起发生的医疗费用可按规定报销）。")
            if year == birth_date.year < enrolled_on.year:
                reasons.append(f"出生当年（{year}年）的缴费在次年{_d(enrolled_on)}缴纳，仍在出生后"
                               f"{params.newborn_days}天内，属于新生儿参保，不按补缴处理。依据："
                               f"{SOURCES['newborn_days']}")
            return no_wait("newborn", start)
        if params.newborn_birth_year_exempt and enrolled_on.year == birth_date.year:
            reasons.append(f"新生儿在出生当年参保缴费，不设待遇等待期，自缴费次月起"
                           f"（{_d(base)}）享受{year}年度居民医保待遇。")
            return no_wait("newborn", base)

    # Special groups [L56].
    groups = [g for g in special_groups if g in params.exempt_groups]
    if groups:
        label = "、".join(GROUP_LABELS.get(g, g) for g in groups)
        reasons.append(f"属于{label}等特殊群体，不设待遇等待期，自{_d(base)}起享受"
                       f"{year}年度居民医保待遇。")
        return no_wait("special_group", base)

    # Transfer-in [L56].
    if transfer_in is not None:
        label = TRANSFER_IN_LABELS.get(transfer_in.reason, transfer_in.reason)
        if transfer_in.reason not in params.transfer_in_reasons:
            reasons.append(f"本地区对{label}没有免等待期的规定，按一般规定计算待遇等待期。")
        else:
            deadline = _transfer_in_deadline(transfer_in, params)
            if enrolled_on <= deadline:
                reasons.append(f"属于{label}，于{_d(deadline)}前（符合条件后"
                               f"{params.transfer_in_grace_months}个月内）办理参保，不设固定待遇"
                               f"等待期，自参保缴费次月起（{_d(base)}）享受居民医保待遇。")
                return no_wait("transfer_in", base)
            reasons.append(f"属于{label}，但未在{_d(deadline)}前（符合条件后"
                           f"{params.transfer_in_grace_months}个月内）办理参保，"
                           f"按一般规定计算待遇等待期。")

    # Continuity.
    late_same_scheme = (not is_break and gap is not None and params.break_gap_months is not None
                        and gap >= params.break_gap_months)
    if last_idx is None:
        reasons.append("参保记录中没有此前的参保年度，未计算变动待遇等待期"
                       "（如此前曾参保或断保，请补录参保记录）。")
    elif is_break:
        parts = f"上次参保至{_ym(last_month_date)}"
        if break_years:
            parts += f"，{_years_span(year - break_years, year - 1)}断保{break_years}年"
        elif gap is not None:
            parts += (f"，到本次参保中断缴费{gap}个月（中断{params.break_gap_months}个月及以上"
                      f"视为未连续参保）")
        reasons.append(parts + "，属于未连续参保。")
    elif late_same_scheme:
        reasons.append(f"上次参保至{_ym(last_month_date)}，到本次参保中断缴费{gap}个月，但一直在"
                       f"居民医保内按年缴费（迟缴），不属于跨年度、跨制度转换参保关系，按本地区参数"
                       f"不视为未连续参保（另一种理解是迟缴{params.break_gap_months}个月及以上也视为"
                       f"断保，可在参数中选择）。依据：{SOURCES['same_scheme_gap_breaks']}")
    else:
        reasons.append(f"上次参保至{_ym(last_month_date)}，属于连续参保。")
    if is_break and gap is not None and not break_years and RESIDENT in months_schemes[last_idx]:
        reasons.append(f"本地区参数将居民医保内迟缴{params.break_gap_months}个月及以上也视为"
                       f"未连续参保（另一种理解是只有跨年度、跨制度转换参保关系才适用）。依据："
                       f"{SOURCES['same_scheme_gap_breaks']}")

    break_waits = is_break and (not in_period or params.break_waits_in_concentrated_period)
    if is_break and not break_waits:
        reasons.append(f"虽未连续参保，但在{period_text}内参保缴费；按本地区参数，等待期只适用于"
                       f"未在集中参保期参保缴费的居民，不设待遇等待期（另一种理解是集中参保期内"
                       f"断保后再参保也设等待期，可在参数中选择）。依据："
                       f"{SOURCES['break_waits_in_concentrated_period']}")
    fixed = params.fixed_waiting_months if (not in_period or break_waits) else 0
    if fixed:
        why = []
        if not in_period:
            why.append(f"未在{period_text}内参保缴费")
        if break_waits:
            why.append("未连续参保")
        reasons.append(f"{'且'.join(why)}，设置固定待遇等待期{fixed}个月。")
    elif not is_break:
        reasons.append(f"在{period_text}内参保缴费且连续参保，不设待遇等待期。")

    var_before = (break_years * params.variable_waiting_months_per_break_year
                  if break_waits else 0)
    repaired = 0
    if var_before:
        reasons.append(f"每断保1年增加变动待遇等待期{params.variable_waiting_months_per_break_year}"
                       f"个月，断保{break_years}年，变动待遇等待期{var_before}个月。")
        gap_years = range(year - break_years, year)
        back = sorted({r.year for r in history if r.back_paid and r.year in gap_years})
        repaired = len(back)
    else:
        back = []
    variable = max(0, var_before - repaired * params.repair_months_per_back_paid_year)
    if repaired:
        reasons.append(f"已补缴{_years_list(back)}共{repaired}年保费，每补缴1年减少"
                       f"{params.repair_months_per_back_paid_year}个月变动待遇等待期，"
                       f"变动待遇等待期减为{variable}个月。")
    total, floor_applied = _repaired_total(fixed, var_before, repaired, break_years, params)
    if floor_applied:
        reasons.append(f"连续断缴{params.long_break_years}年及以上，修复后固定和变动待遇等待期"
                       f"之和不少于{params.long_break_floor_months}个月，按{total}个月计。")
    start = add_months(base, total)
    if total:
        reasons.append(f"待遇等待期共{total}个月，自{_d(start)}起享受{year}年度居民医保待遇"
                       f"（等待期内发生的医疗费用不予报销）。")
    else:
        reasons.append(f"自{_d(start)}起享受{year}年度居民医保待遇。")
    if start.year > year:
        reasons.append(f"等待期结束时已超出{year}年度，{year}年度内发生的医疗费用均不予报销。")
    return result(None, fixed, var_before, repaired, variable, floor_applied, total, start)


def _repaired_total(fixed: int, var_before: int, repaired: int, break_years: int,
                    params: BenefitParameters) -> tuple[int, bool]:
    """Fixed plus variable waiting after ``repaired`` back-paid years, with the long-break
    floor [N52, L58]; and whether the floor applied."""
    total = fixed + max(0, var_before - repaired * params.repair_months_per_back_paid_year)
    if var_before and break_years >= params.long_break_years:
        floor = min(params.long_break_floor_months, fixed + var_before)
        if total < floor:
            return floor, True
    return total, False


@dataclass(frozen=True)
class RepairYear:
    """One missed year a person may pay back: its price (None: no contribution standard on
    record for that year) and the months of waiting it removes, paid in the order listed."""

    year: int
    amount: Decimal | None
    months_removed: int
    months_after: int


def repair_plan(waiting: WaitingPeriod, params: BenefitParameters,
                contributions: dict[int, Decimal]) -> tuple[RepairYear, ...]:
    """The missed years of ``waiting``'s break, oldest first, each priced at that year's
    individual contribution (``contributions``: year -> yuan) [N52 "缴费参照当年参保地的个人缴费
    标准", L58] with the waiting it removes when paid after the years before it."""
    plan = []
    done = waiting.repaired_years
    before = waiting.total_months
    for year in waiting.missed_years:
        done += 1
        after, _floor = _repaired_total(waiting.fixed_months, waiting.variable_months_before_repair,
                                        done, waiting.break_years, params)
        plan.append(RepairYear(year, contributions.get(year), before - after, after))
        before = after
    return tuple(plan)


def repair_reasons(plan: Sequence[RepairYear]) -> tuple[str, ...]:
    """Sentences for a repair plan: what each missed year costs and repairs."""
    if not plan:
        return ()
    lines = []
    for item in plan:
        price = (f"{_yuan(item.amount)}元" if item.amount is not None
                 else "金额未录入（该年个人缴费标准）")
        effect = (f"减少待遇等待期{item.months_removed}个月，减为{item.months_after}个月"
                  if item.months_removed else f"不再减少待遇等待期（仍为{item.months_after}个月）")
        lines.append(f"补缴{item.year}年保费{price}，{effect}。")
    known = [item.amount for item in plan if item.amount is not None]
    if len(known) == len(plan):
        lines.append(f"全部补缴共{_yuan(sum(known, ZERO))}元。依据：{SOURCES['contribution']}")
    else:
        lines.append(f"依据：{SOURCES['contribution']}")
    return tuple(lines)


def readings(params: BenefitParameters) -> tuple[str, ...]:
    """How the area's parameters read the contested sentences, each with its source: the
    calculator's explanation shows them."""
    groups = "、".join(GROUP_LABELS.get(g, g) for g in params.exempt_groups) or "无"
    code = (f"新生儿出生后{params.newborn_code_days}天内可凭医保码就医结算（本地区已实施）。"
            if params.newborn_code_days else "本地区未实施凭医保码在出生后180天内就医结算的措施。")
    lowered = (f"断保后再参保当年大病保险最高支付限额降低{_yuan(params.rejoin_cap_reduction)}元。"
               if params.rejoin_cap_reduction else "断保后再参保不降低大病保险最高支付限额。")
    lines = [
        ("只计居民医保参保年度；" if not params.employee_years_count
         else "职工医保参保年度也计入；") + "连续参保年数用于连续参保激励。",
        (f"居民医保内迟缴{params.break_gap_months}个月及以上也视为未连续参保。"
         if params.same_scheme_gap_breaks
         else "居民医保内迟缴不视为断保，只有跨年度、跨制度转换参保关系且中断缴费达到规定月数的"
              "才视为未连续参保。") if params.break_gap_months else None,
        ("断保后在集中参保期内参保缴费的，也设置待遇等待期。"
         if params.break_waits_in_concentrated_period
         else "断保后在集中参保期内参保缴费的，不设待遇等待期（等待期只适用于未在集中参保期参保"
              "缴费的居民）。"),
        f"免设待遇等待期的特殊群体：新生儿、{groups}。",
        f"新生儿出生后{params.newborn_days}天内参保缴费的，自出生之日起享受待遇，"
        f"跨年缴费也计入出生当年。",
        code,
        lowered,
    ]
    keys = ["employee_years_count", "same_scheme_gap_breaks",
            "break_waits_in_concentrated_period", "exempt_groups", "newborn_days",
            "newborn_code_days", "rejoin_cap_reduction"]
    return tuple(f"{line}依据：{SOURCES[key]}" for line, key in zip(lines, keys) if line)


# --------------------------------------------------------------------------------------------
# Everything together


def quote(history: Sequence[EnrollmentYear], on: date, params: BenefitParameters, *,
          birth_date: date | None = None, special_groups: Iterable[str] = (),
          transfer_in: TransferIn | None = None,
          enrolled_on: date | None = None) -> BenefitQuote:
    """The whole answer for a person on day ``on``.

    The waiting period is that of the resident enrollment on record for ``on``'s year; with
    ``enrolled_on`` (or when there is none on record) that of an enrollment paid on
    ``enrolled_on`` (default: ``on``), as a counter-staff "what if you enroll today".
    """
    year = on.year
    special_groups = tuple(special_groups)
    cont = continuous_years(history, year, params)
    cap = current_cap(history, year, params)
    rec = _resident_records(history).get(year)
    intro: list[str] = []
    status: list[str] = []
    waiting = None
    kwargs = dict(birth_date=birth_date, special_groups=special_groups, transfer_in=transfer_in)
    employee = [r for r in history if r.scheme == EMPLOYEE and r.year == year
                and r.first_month <= on.month <= r.last_month]
    if enrolled_on is None and rec is not None:
        if rec.paid_on is not None:
            waiting = waiting_period(history, rec.paid_on, params, insurance_year=year, **kwargs)
        else:
            intro.append(f"{year}年度参保记录没有缴费日期，无法计算待遇等待期。")
    elif enrolled_on is None and employee:
        intro.append(f"{_ym(on)}参加职工医保，居民医保待遇等待期不适用。")
    else:
        when = enrolled_on or on
        waiting = waiting_period(history, when, params, **kwargs)
        intro.append(f"待遇等待期按{_d(when)}参保缴费{waiting.insurance_year}年度居民医保计算：")
    enrolled = rec is not None
    covered_on = (enrolled and waiting is not None and waiting.insurance_year == year
                  and waiting.benefits_start <= on)
    if enrolled and waiting is not None and waiting.insurance_year == year:
        state = "已开始享受" if covered_on else "尚未开始享受"
        status.append(f"截至{_d(on)}，{state}{year}年度居民医保待遇。")
    reasons = (cont.reasons + tuple(intro) + (waiting.reasons if waiting else ())
               + tuple(status) + cap.reasons)
    return BenefitQuote(on, year, enrolled, covered_on, cont, waiting, cap.rewards, cap,
                        reasons)
