"""Figures of the dashboard, ready for Chart.js: every query is scoped and set-based.

- Newborn enrollment rate: of the children born in a year (live files), the share with an
  enrollment record (any scheme, any area) for that same year paid on or before the cut-off;
  the current year and the two before it, against the 80% target.
- Child enrollment rate: of the children aged 0-18 at the cut-off, the share insured (any area)
  in the cut-off's insurance year, per county, against 95%.
- Uninsured by reason: the open cases of the insurance year (not insured after outreach), by
  confirmed reason ("not yet confirmed" when none is set).
- Outreach conversion by partner type: outreach tasks by the kind of the assigned
  organisation; converted means closed as insured after outreach.
- Trend: the submitted tables (frozen figures) per reporting period.
- Insured after outreach: the dispatch table's 动员后参保 at the same cut-off, the sum of its
  three list blocks (``enrollment.comparison.listed``), the figure the home page shows too.

Each figure's definition (口径) is in ``DEFINITIONS``, shown one click away on the page.
"""
import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrollment.access.scoping import visible_to
from enrollment.comparison import listed
from enrollment.models import EnrollmentRecord, OrganisationKind, Person, UninsuredCase, UninsuredReason
from enrollment.portal.selectors import DISPATCH_SOURCES

from . import selectors
from .dispatch import figures as dispatch_figures

NEWBORN_TARGET = 80
CHILD_TARGET = 95
NEWBORN_YEARS = 3

DEFINITIONS = {
    "children": gettext_lazy(
        "Children aged 0-18 at the date whose file is kept in the county, and the share of them insured in "
        "any area (an enrollment record for the date's insurance year paid on or before it). The dispatch "
        "table's insured total counts instead the children insured in the county, wherever their file is "
        "kept: the two differ by children insured across county lines."),
    "newborn": gettext_lazy(
        "Children born in each year whose file is kept in the county, and the share with an enrollment record "
        "for their birth year (any area) paid on or before the date; target 80%."),
    "after_outreach": gettext_lazy(
        "The dispatch table's insured after outreach at the same date, the sum of its three list blocks: of "
        "the children insured nowhere on their list's data-as-of date, those insured after it and on or "
        "before the date."),
    "reasons": gettext_lazy(
        "Children (not rows) with an open closed-loop case of the date's insurance year found by the date and "
        "not insured after outreach by it, by confirmed reason. A child on several lists is one case."),
    "conversion": gettext_lazy(
        "Outreach tasks created by the date, by the kind of partner assigned; converted: the task closed "
        "because an enrollment extract shows the child insured in the county handling the case."),
    "trend": gettext_lazy(
        "Figures of the submitted tables (frozen as submitted) per reporting period; insured after outreach "
        "is the sum of the three list blocks."),
}


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else 0


def _insured_in(year, cutoff):
    return Exists(EnrollmentRecord.objects.filter(person_id=OuterRef("pk"), year=year, paid_on__lte=cutoff))


def _persons(user, codes):
    return visible_to(Person, user).filter(county_id__in=codes, merged_into__isnull=True)


def newborn_rates(user, codes, cutoff):
    """{year: (born, insured in birth year, rate)} for the last ``NEWBORN_YEARS`` years."""
    first = cutoff.year - NEWBORN_YEARS + 1
    aggregates = {}
    for year in range(first, cutoff.year + 1):
        born = Q(birth_date__year=year, birth_date__lte=cutoff)
        aggregates[f"born_{year}"] = Count("pk", filter=born)
        aggregates[f"insured_{year}"] = Count("pk", filter=born & Q(_insured_in(year, cutoff)))
    figures = _persons(user, codes).aggregate(**aggregates)
    return {
        year: (figures[f"born_{year}"], figures[f"insured_{year}"],
               _rate(figures[f"insured_{year}"], figures[f"born_{year}"]))
        for year in range(first, cutoff.year + 1)
    }


def child_rates(user, codes, cutoff):
    """{county code: (children 0-18, insured, rate)} in one grouped query."""
    cut = dispatch_figures.Cutoff(date=cutoff)
    rows = (
        _persons(user, codes).filter(cut.age_between(0, dispatch_figures.OLDEST_AGE, closed=True))
        .values("county_id").order_by()
        .annotate(children=Count("pk"), insured=Count("pk", filter=Q(_insured_in(cutoff.year, cutoff))))
    )
    return {row["county_id"]: (row["children"], row["insured"], _rate(row["insured"], row["children"]))
            for row in rows}


def on_population(user, codes, cutoff):
    """The newborn and child rates on the best denominator the population feed gives, each
    with the words saying which one it is (shown under the chart):

    - newborns of a year: where public security's births (``population_changes``, event 出生)
      reached files of the area that year, those registered births; otherwise the registry's
      live files born that year;
    - children 0-18: the registry's live files less the children public security reported
      dead, moved out of the city or cancelled (once a feed has reported any).

    Returns ``(newborn, newborn_basis, children, children_basis)`` shaped as ``newborn_rates``
    and ``child_rates``; bases are ``{year: words}`` and one text."""
    from enrollment.models import PersonStatus, PopulationEvent, PopulationEventKind

    newborn = newborn_rates(user, codes, cutoff)
    aggregates = {}
    for year in newborn:
        births = Exists(PopulationEvent.objects.filter(
            person_id=OuterRef("pk"), kind=PopulationEventKind.BIRTH, happened_on__year=year,
            happened_on__lte=cutoff))
        aggregates[f"births_{year}"] = Count("pk", filter=Q(births))
        aggregates[f"insured_{year}"] = Count("pk", filter=Q(births) & Q(_insured_in(year, cutoff)))
    registered = _persons(user, codes).aggregate(**aggregates)
    basis = {}
    for year in newborn:
        if registered[f"births_{year}"]:
            births, insured = registered[f"births_{year}"], registered[f"insured_{year}"]
            newborn[year] = (births, insured, _rate(insured, births))
            basis[year] = _("births registered by public security")
        else:
            basis[year] = _("newborn files in the registry")
    children = child_rates(user, codes, cutoff)
    cut = dispatch_figures.Cutoff(date=cutoff)
    departed = {row["county_id"]: row for row in (
        _persons(user, codes).filter(cut.age_between(0, dispatch_figures.OLDEST_AGE, closed=True))
        .exclude(status=PersonStatus.ACTIVE).filter(status_on__lte=cutoff)
        .values("county_id").order_by()
        .annotate(children=Count("pk"), insured=Count("pk", filter=Q(_insured_in(cutoff.year, cutoff)))))}
    for code, row in departed.items():
        if code in children:
            count, insured = children[code][0] - row["children"], children[code][1] - row["insured"]
            children[code] = (count, insured, _rate(insured, count))
    children_basis = (_("child files in the registry, less those public security reported dead or moved away")
                      if departed else _("child files in the registry"))
    return newborn, basis, children, children_basis


def uninsured_by_reason(user, codes, cutoff):
    open_cases = visible_to(UninsuredCase, user).filter(
        county_id__in=codes, insurance_year=cutoff.year, found_on__lte=cutoff,
        person__merged_into__isnull=True,
    ).exclude(insured_on__lte=cutoff)
    # children, not rows (one case per child and year: the same, stated)
    counts = dict(open_cases.values_list("reason").order_by().annotate(n=Count("person_id", distinct=True)))
    labels = {"": _("Not yet confirmed"), **dict(UninsuredReason.choices)}
    return [(str(label), counts.get(value, 0)) for value, label in labels.items()]


def outreach_conversion(user, codes, cutoff):
    """[(partner kind label, tasks, insured after outreach, rate)] for tasks created by the cut-off."""
    from outreach.models import OutreachTask, TaskStatus

    end = timezone.make_aware(datetime.datetime.combine(cutoff + datetime.timedelta(days=1), datetime.time()))
    rows = (
        visible_to(OutreachTask, user).filter(county_id__in=codes, created_at__lt=end)
        .values("assignee__kind").order_by()
        .annotate(tasks=Count("pk"), insured=Count("pk", filter=Q(status=TaskStatus.INSURED)))
    )
    by_kind = {row["assignee__kind"]: row for row in rows}
    return [
        (str(label), by_kind[kind]["tasks"], by_kind[kind]["insured"],
         _rate(by_kind[kind]["insured"], by_kind[kind]["tasks"]))
        for kind, label in OrganisationKind.choices if kind in by_kind
    ]


def trend(user, area):
    points = selectors.trend(user, area)
    return {
        "labels": [f"{cutoff:%Y-%m-%d}" for cutoff in points],
        "insured_total": [point["insured_total"] for point in points.values()],
        "newborns": [point["newborns"] for point in points.values()],
        "after_outreach": [
            point["kg_after_outreach"] + point["school_after_outreach"] + point["health_after_outreach"]
            for point in points.values()
        ],
    }


def _reason_chart(reasons):
    """The reason pie with each reason's number and share (the legend reads 不愿参保 12（34.3%）),
    and a table repeating them."""
    total = sum(n for _label, n in reasons)
    rows = [(label, n, _rate(n, total)) for label, n in reasons]
    return {
        "labels": [label for label, _n, _s in rows], "counts": [n for _l, n, _s in rows],
        "shares": [share for _l, _n, share in rows],
        "rows": rows, "total": total, "title": _("Uninsured children by reason"),
    }


def chart_data(user, area, cutoff):
    """Everything the dashboard draws, as plain JSON-ready data (labels translated)."""
    counties = dispatch_figures.counties_of(area)
    codes = [county.pk for county in counties]
    names = {county.pk: county.name for county in counties}
    newborn, newborn_basis, children, children_basis = on_population(user, codes, cutoff)
    reasons = uninsured_by_reason(user, codes, cutoff)
    conversion = outreach_conversion(user, codes, cutoff)
    after_outreach = listed.after_outreach_total(codes, cutoff, DISPATCH_SOURCES)
    total_children = sum(value[0] for value in children.values())
    total_insured = sum(value[1] for value in children.values())
    return {
        "after_outreach": after_outreach,
        "definitions": {key: str(text) for key, text in DEFINITIONS.items()},
        "newborn": {
            "labels": [str(year) for year in newborn], "rates": [value[2] for value in newborn.values()],
            "born": [value[0] for value in newborn.values()], "insured": [value[1] for value in newborn.values()],
            "rows": [[str(year), *value] for year, value in newborn.items()],
            "target": NEWBORN_TARGET, "title": _("Newborns insured in their birth year (%)"),
            "denominator": ([str(next(iter(newborn_basis.values())))] if len(set(newborn_basis.values())) == 1
                            else [f"{year}：{words}" for year, words in newborn_basis.items()]),
        },
        "children": {
            "labels": [names[code] for code in codes if code in children],
            "rates": [children[code][2] for code in codes if code in children],
            "rows": [[names[code], *children[code]] for code in codes if code in children],
            "target": CHILD_TARGET, "title": _("Children 0-18 on file insured anywhere (%)"), "denominator": children_basis,
            "overall": _rate(total_insured, total_children), "count": total_children, "insured": total_insured,
        },
        "reasons": _reason_chart(reasons),
        "conversion": {
            "labels": [row[0] for row in conversion], "tasks": [row[1] for row in conversion],
            "insured": [row[2] for row in conversion], "rates": [row[3] for row in conversion],
            "title": _("Outreach conversion by partner type"),
        },
        "trend": {**trend(user, area), "title": _("Trend across reporting periods")},
        "labels": {
            "target": _("Target"), "rate": _("Rate (%)"), "tasks": _("Tasks"),
            "insured_after_outreach": _("Insured after outreach"), "insured_total": _("Insured 0-18"),
            "newborns": _("Newborns through the birth one-stop platform"),
        },
    }
