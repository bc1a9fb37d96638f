"""Glue between the registry and the pure benefit rules (enrollment.benefits.rules).

- ``parameters_for(area, on)``: the parameter set of the nearest area up the chain (county,
  city, province) that has one in force on ``on``; else the national defaults in code.
- ``history_for(person)``: the person's EnrollmentRecord rows as EnrollmentYear values.
- ``quote_for(person, on)``: the whole answer (continuous years, waiting period, rewards, cap).
- ``notice_consequence(area, on)``: one short paragraph for printed notices.
- ``contributions_for(area, years)``: the contribution standards (individual contribution,
  government subsidy) per year; ``repair_for`` prices the missed years of a break with them.

Reading of the registry data (where the texts and the records are silent):
- A resident record for year Y paid after 31 December of Y is a back-payment (补缴), except a
  newborn's record for its birth year paid within ``newborn_days`` of birth (001: "自出生之日
  起所发生的…医疗费用均可纳入医保报销范围").
- Employee-scheme records cover the whole year (the records carry no months).
- ``fund_paid`` empty means "not reported": such a year earns no zero-claim reward.
- Whether a payment fell in the concentrated period is worked out from the area's parameters,
  so that the waiting period and the notice use the same dates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Area, BenefitParameterSet, ContributionStandard, EnrollmentRecord, Person, Scheme
from .rules import (
    EMPLOYEE,
    GROUP_LABELS,
    NATIONAL_DEFAULTS,
    RESIDENT,
    BenefitParameters,
    BenefitQuote,
    Cap,
    EnrollmentYear,
    RepairYear,
    TransferIn,
    WaitingPeriod,
    concentrated_period,
    current_cap,
    enrollment_insurance_year,
    format_yuan,
    insurance_year_for,
    newborn_in_window,
    quote,
    readings,
    repair_plan,
    repair_reasons,
)

MAX_AREA_DEPTH = 5


def area_chain(area: Area | str) -> list[str]:
    """Codes of ``area`` and its ancestors, nearest first (one query per level, at most 3)."""
    if isinstance(area, str):
        area = Area.objects.select_related("parent__parent").get(code=area)
    codes = []
    while area is not None and len(codes) < MAX_AREA_DEPTH:
        codes.append(area.code)
        area = area.parent
    return codes


def parameter_set_for(area: Area | str, on: date) -> BenefitParameterSet | None:
    """The set in force on ``on`` for ``area``: its own latest set effective by then, else
    the nearest ancestor's. None when no area up the chain has one."""
    chain = area_chain(area)
    sets = (BenefitParameterSet.objects.filter(area_id__in=chain, effective_from__lte=on)
            .select_related("area").order_by("-effective_from"))
    latest = {}
    for parameter_set in sets:
        latest.setdefault(parameter_set.area_id, parameter_set)
    return next((latest[code] for code in chain if code in latest), None)


def resolved_parameters(area: Area | str, on: date) -> tuple[BenefitParameterSet | None, BenefitParameters]:
    """The set in force (None: the national defaults) and the parameters it gives."""
    parameter_set = parameter_set_for(area, on)
    return parameter_set, parameter_set.to_parameters() if parameter_set else NATIONAL_DEFAULTS


def parameters_for(area: Area | str, on: date) -> BenefitParameters:
    return resolved_parameters(area, on)[1]


def parameters_by_area(codes, on: date) -> dict[str, BenefitParameters]:
    """``parameters_for`` of many areas at once, in two queries."""
    areas = Area.objects.select_related("parent__parent").filter(code__in=set(codes))
    chains = {area.code: area_chain(area) for area in areas}
    sets = (BenefitParameterSet.objects
            .filter(area_id__in={code for chain in chains.values() for code in chain},
                    effective_from__lte=on)
            .order_by("-effective_from"))
    latest: dict[str, BenefitParameterSet] = {}
    for parameter_set in sets:
        latest.setdefault(parameter_set.area_id, parameter_set)
    found = {}
    for code, chain in chains.items():
        nearest = next((latest[c] for c in chain if c in latest), None)
        found[code] = nearest.to_parameters() if nearest else NATIONAL_DEFAULTS
    return found


def enrollment_year(record: EnrollmentRecord, *, birth_date: date | None = None,
                    params: BenefitParameters = NATIONAL_DEFAULTS) -> EnrollmentYear:
    resident = record.scheme == Scheme.RESIDENT
    newborn = (birth_date is not None and record.year == birth_date.year
               and newborn_in_window(record.paid_on, birth_date, params))
    return EnrollmentYear(
        year=record.year,
        scheme=RESIDENT if resident else EMPLOYEE,
        paid_on=record.paid_on,
        fund_paid=record.fund_paid,
        catastrophic_paid=record.catastrophic_paid or 0,
        back_paid=(resident and not newborn and record.paid_on is not None
                   and record.paid_on.year > record.year),
    )


def history_for(person: Person, params: BenefitParameters = NATIONAL_DEFAULTS) -> list[EnrollmentYear]:
    """Uses ``person.enrollments.all()``, so a prefetch_related("enrollments") is honoured."""
    return [enrollment_year(record, birth_date=person.birth_date, params=params)
            for record in person.enrollments.all()]


def special_groups_of(person: Person, on: date | None = None) -> tuple[str, ...]:
    """The registry's special groups of the person (the civil affairs feed or an approved
    correction), those valid on ``on`` when given: a membership that ended before, or starts
    after, that day exempts nobody. Reads ``person.special_groups.all()`` (prefetch-friendly)."""
    return tuple(m.group for m in person.special_groups.all() if on is None or m.is_valid_on(on))


def quote_for(person: Person, on: date, *, enrolled_on: date | None = None,
              params: BenefitParameters | None = None) -> BenefitQuote:
    """The answer for a registered person on ``on`` under the parameters of the person's
    county (``params`` when the caller has resolved them already). Without an enrollment on
    record for ``on``'s year (or with ``enrolled_on``), the waiting period is that of enrolling
    on ``enrolled_on`` (default ``on``)."""
    params = params or parameters_for(person.county, on)
    return quote(
        history_for(person, params), on, params,
        birth_date=person.birth_date, special_groups=special_groups_of(person, enrolled_on or on),
        enrolled_on=enrolled_on,
    )


def prefetched_person(queryset, **lookup) -> Person:
    """One person with what ``quote_for`` reads, in three queries."""
    return (queryset.select_related("county__parent__parent")
            .prefetch_related("enrollments", "special_groups").get(**lookup))


def campaign_year(on: date, params: BenefitParameters) -> int:
    """The insurance year whose concentrated period is running or comes next on ``on`` (a
    period may run past New Year: October to February)."""
    year = insurance_year_for(on, params)
    return year if on <= concentrated_period(year, params)[1] else year + 1


def notice_consequence(area: Area | str, on: date, params: BenefitParameters | None = None,
                       standards: dict[int, ContributionStandard] | None = None) -> str:
    """The whole consequence of not enrolling, for a notice printed on ``on``: the waiting
    period, repairing a break and its price, the rewards a family keeps by staying insured and
    what the government pays per child (003: "让群众充分了解政府投入情况"). ``params`` and
    ``standards`` (``contributions_for`` of the campaign year and the year before): the area's,
    when the caller has them already."""
    params = params or parameters_for(area, on)
    year = campaign_year(on, params)
    if standards is None:
        standards = contributions_for(area, (year - 1, year))
    start, end = concentrated_period(year, params)
    exempt = [_("newborns")] + [GROUP_LABELS.get(group, group) for group in params.exempt_groups]
    if params.break_waits_in_concentrated_period:
        waiting = _(
            "Residents who do not enrol for %(year)s in the concentrated period (%(start)s to "
            "%(end)s), or who enrol after a break, must wait %(fixed)s months after paying before "
            "benefits start; each whole year without insurance adds %(variable)s more month(s). "
            "Exempt: %(exempt)s. A break also restarts the count of continuous years that raises "
            "the catastrophic-illness cap."
        )
    else:  # the waiting applies only to payments outside the concentrated period
        waiting = _(
            "Residents who do not enrol for %(year)s in the concentrated period (%(start)s to "
            "%(end)s) must wait %(fixed)s months after paying before benefits start; after a "
            "break, each whole year without insurance adds %(variable)s more month(s). Exempt: "
            "%(exempt)s. A break also restarts the count of continuous years that raises the "
            "catastrophic-illness cap."
        )
    parts = [waiting % {
        "year": year, "start": date_format(start), "end": date_format(end),
        "fixed": params.fixed_waiting_months,
        "variable": params.variable_waiting_months_per_break_year,
        "exempt": _(", ").join(exempt),
    }]
    last = standards.get(year - 1)
    price = (_(" (for %(year)s: %(amount)s yuan)") % {
        "year": last.year, "amount": format_yuan(last.individual)} if last else "")
    parts.append(_(
        "A break can be repaired when enrolling: each missed year paid back at that year's "
        "individual contribution%(price)s removes %(months)s month(s) of the added waiting; "
        "after a break of %(long)s years or more at least %(floor)s months remain."
    ) % {"price": price, "months": params.repair_months_per_back_paid_year,
         "long": params.long_break_years, "floor": params.long_break_floor_months})
    parts.append(_(
        "Staying insured pays: after %(before)s continuous years each further year raises the "
        "catastrophic-illness cap by %(cont)s yuan, and each year without reimbursement raises "
        "next year's cap by %(zero)s yuan, up to %(ceiling)s yuan in all. Rewards already earned "
        "are kept."
    ) % {"before": params.continuous_years_before_reward,
         "cont": format_yuan(params.continuous_reward_per_year),
         "zero": format_yuan(params.zero_claim_reward_per_year),
         "ceiling": format_yuan(params.reward_ceiling)})
    current = standards.get(year) or last
    if current is not None:
        parts.append(_(
            "For each insured child the government pays %(subsidy)s yuan a year (%(year)s), "
            "the family %(individual)s yuan."
        ) % {"subsidy": format_yuan(current.subsidy), "year": current.year,
             "individual": format_yuan(current.individual)})
    separator = "" if (translation.get_language() or "").startswith("zh") else " "
    return separator.join(parts)


@dataclass(frozen=True)
class Repair:
    """The missed years of a break, each with that year's price and what paying it repairs."""

    years: tuple[RepairYear, ...]
    reasons: tuple[str, ...]


def contributions_for(area: Area | str, years) -> dict[int, ContributionStandard]:
    """The contribution standard of each of ``years`` for ``area``: its own, else the nearest
    area's up the chain. One query (plus the chain's)."""
    chain = area_chain(area)
    rank = {code: n for n, code in enumerate(chain)}
    found: dict[int, ContributionStandard] = {}
    for row in ContributionStandard.objects.filter(area_id__in=chain, year__in=list(years)):
        kept = found.get(row.year)
        if kept is None or rank[row.area_id] < rank[kept.area_id]:
            found[row.year] = row
    return found


def repair_for(waiting: WaitingPeriod | None, params: BenefitParameters,
               area: Area | str) -> Repair | None:
    """What repairing ``waiting``'s break costs year by year (None: nothing to repair)."""
    if waiting is None or not waiting.missed_years:
        return None
    standards = contributions_for(area, waiting.missed_years)
    plan = repair_plan(waiting, params, {y: row.individual for y, row in standards.items()})
    return Repair(plan, repair_reasons(plan))


@dataclass(frozen=True)
class CounterAnswer:
    """The calculator's answer: the quote on the enrollment date and, when the enrollment is
    for the next insurance year, the cap of that year too."""

    quote: BenefitQuote
    parameters: BenefitParameters
    parameter_set: BenefitParameterSet | None
    next_year_cap: Cap | None
    repair: Repair | None = None
    readings: tuple[str, ...] = ()


def with_enrollment(history: list[EnrollmentYear], enrolled_on: date,
                    params: BenefitParameters, *, birth_date: date | None = None) -> list[EnrollmentYear]:
    """The typed history plus the resident enrollment being paid on ``enrolled_on`` (unless
    the history already has that year), so continuous years count it."""
    year = enrollment_insurance_year(enrolled_on, params, birth_date=birth_date)
    if any(y.year == year and y.scheme == RESIDENT for y in history):
        return history
    return [*history, EnrollmentYear(year, RESIDENT, paid_on=enrolled_on, fund_paid=None)]


def counter_answer(history: list[EnrollmentYear], area: Area | str, enrolled_on: date, *,
                   birth_date: date | None = None, special_groups: tuple[str, ...] = (),
                   transfer_in: TransferIn | None = None) -> CounterAnswer:
    parameter_set, params = resolved_parameters(area, enrolled_on)
    history = with_enrollment(history, enrolled_on, params, birth_date=birth_date)
    answer = quote(history, enrolled_on, params, birth_date=birth_date,
                   special_groups=special_groups, transfer_in=transfer_in,
                   enrolled_on=enrolled_on)
    next_cap = None
    if answer.waiting is not None and answer.waiting.insurance_year != enrolled_on.year:
        next_cap = current_cap(history, answer.waiting.insurance_year, params)
    return CounterAnswer(answer, params, parameter_set, next_cap,
                         repair_for(answer.waiting, params, area), readings(params))
