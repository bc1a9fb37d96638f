"""The city's 通报: its counties ranked by the key rates of their accepted dispatch tables.

Rates are computed from the frozen figures of each county's accepted version of the period
(a table awaiting review or returned is listed apart, unranked):

- 在校（园）儿童参保率: kindergarten and school children insured / provided by education;
- 幼儿园儿童参保率 and 中小学生参保率: each on its own;
- 动员转化率: insured after outreach / found uninsured, over the three lists.

Counties are ordered by the first rate; each rate has its own rank. Equal rates share a rank
and the next rank skips (1, 1, 3). A county whose denominator is 0 has no rate and no rank.
"""
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from enrollment.access.selectors import counties_of

from . import periods
from .models import ReviewStatus
from .selectors import submitted_reports


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    parts: tuple  # column keys summed above the line
    wholes: tuple  # ... and below it

    def of(self, figures):
        whole = sum(int(figures.get(key, 0)) for key in self.wholes)
        if not whole:
            return None
        return Fraction(sum(int(figures.get(key, 0)) for key in self.parts), whole)


RATES = (
    Rate("pupils", _("Kindergarten and school children insured (%)"),
         ("kg_insured", "school_insured"), ("kg_provided", "school_provided")),
    Rate("kindergarten", _("Kindergarten children insured (%)"), ("kg_insured",), ("kg_provided",)),
    Rate("school", _("Pupils insured (%)"), ("school_insured",), ("school_provided",)),
    Rate("conversion", _("Insured after outreach, of those found uninsured (%)"),
         ("kg_after_outreach", "school_after_outreach", "health_after_outreach"),
         ("kg_uninsured", "school_uninsured", "health_uninsured")),
)


def ranks(values):
    """{key: rank or None} from {key: Fraction or None}: highest first, equal values share a
    rank and the next rank skips; no value, no rank."""
    ordered = sorted((value for value in values.values() if value is not None), reverse=True)
    first = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {key: None if value is None else first[value] for key, value in values.items()}


def percent(value):
    """A rate as a percentage with one decimal ("—" without a rate)."""
    return "—" if value is None else f"{float(value * 100):.1f}"


@dataclass
class Line:
    county: object
    report: object
    rates: dict = field(default_factory=dict)  # {rate key: Fraction or None}
    ranks: dict = field(default_factory=dict)  # {rate key: int or None}

    def cells(self):
        """[(percentage, rank)] in the order of RATES."""
        return [(percent(self.rates[rate.key]), self.ranks.get(rate.key)) for rate in RATES]


@dataclass
class Bulletin:
    period: periods.Period
    city: object
    lines: list  # ranked counties, by the first rate
    total: Line  # the city: every accepted county together
    pending: list  # [(county, report or None)] without an accepted table

    @property
    def rates(self):
        return RATES


def build(counties, reports, *, period, city):
    """The bulletin of ``counties`` from their reports of the period (``reports``: the live and
    returned versions; only accepted ones are ranked)."""
    accepted = {r.county_id: r for r in reports if r.status == ReviewStatus.ACCEPTED}
    others = {r.county_id: r for r in sorted(reports, key=lambda r: r.version) if r.county_id not in accepted}
    lines = [Line(county, accepted[county.pk], {rate.key: rate.of(accepted[county.pk].figures) for rate in RATES})
             for county in counties if county.pk in accepted]
    for rate in RATES:
        for line, rank in zip(lines, ranks({i: line.rates[rate.key] for i, line in enumerate(lines)}).values()):
            line.ranks[rate.key] = rank
    main = RATES[0].key
    lines.sort(key=lambda line: (line.ranks[main] is None, line.ranks[main] or 0, line.county.pk))
    together = {}
    for line in lines:
        for key, value in line.report.figures.items():
            together[key] = together.get(key, 0) + int(value)
    total = Line(city, None, {rate.key: rate.of(together) for rate in RATES})
    pending = [(county, others.get(county.pk)) for county in counties if county.pk not in accepted]
    return Bulletin(period=period, city=city, lines=lines, total=total, pending=pending)


def bulletin_for(user, deadline):
    """The bulletin of the user's city for the period of ``deadline`` (None for a day that is
    no deadline)."""
    period = periods.period_for(deadline)
    if period is None:
        return None
    counties = list(counties_of(user).order_by("code"))
    reports = list(submitted_reports(user).filter(deadline=deadline))
    return build(counties, reports, period=period, city=user.area)
