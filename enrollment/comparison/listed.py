"""What a partner list says about a child, as of a cut-off date: the one definition of the list
figures, shared by the comparison's drill-down (``runs.people_of_run``; the run computes the
same conditions in one pass, ``onepass.py``, which a test holds to these), the dispatch table
and its drill-down (``reporting.dispatch.figures``) and the home, progress and dashboard figures.

- The lists that count for a cut-off D are ``importing.selectors.counting_lists`` ({batch id:
  list date}): list date on or before D and within a year of it, each partner's latest.
- *Insured on a day X* (``insured_on_day``): an enrollment record (any scheme, any area) for
  the insurance year of X paid on or before X, or an enrollment through the birth one-stop
  platform (平台参保日期) on or before X in that year: a newborn the platform enrolled is
  insured, even before the enrollment extract shows it.
- *Found uninsured* (比对未参保): on a counting list and insured nowhere on that list's date.
- *Insured after outreach* (动员后参保): of the found uninsured, insured (anywhere) after the
  list's date and on or before D. So it never exceeds found uninsured, and neither figure
  depends on when a list was received or on anyone having run the comparison.
- *Still uninsured*: found uninsured and not insured on D: the closed loop's work.

Every condition is a ``Q`` on ``ListEntry``; counting distinct ``person_id`` gives the figure,
``values("person_id")`` the people behind it.
"""
from django.db.models import Count, Exists, OuterRef, Q

from ..models import EnrollmentRecord, ListEntry, Person
from ..registry.periods import insurance_year

LIST_DATE = OuterRef("batch__list_date")


def by_list_year(lists):
    """{insurance year of the list date: [batch ids]} of ``lists`` ({batch id: list date})."""
    years = {}
    for pk, list_date in lists.items():
        years.setdefault(insurance_year(list_date), []).append(pk)
    return years


def platform_enrolled(person_ref, *, until, year, after=None):
    """Exists: enrolled through the birth one-stop platform in insurance year ``year``, after
    ``after`` (if given) and on or before ``until`` (dates or outer references), on the
    person's own record or on a birth-certificate record merged into it."""
    own_or_merged = Q(pk=OuterRef(person_ref)) | Q(merged_into_id=OuterRef(person_ref))
    platform = Person.objects.filter(own_or_merged, platform_enrolled_on__year=year,
                                     platform_enrolled_on__lte=until)
    if after is not None:
        platform = platform.filter(platform_enrolled_on__gt=after)
    return Exists(platform)


def insured_on_day(person_ref, *, until, year, after=None):
    """Q: insured anywhere in insurance year ``year`` by ``until`` (after ``after`` when given):
    an enrollment record paid in that window or a platform enrollment in it."""
    records = EnrollmentRecord.objects.filter(person_id=OuterRef(person_ref), year=year, paid_on__lte=until)
    if after is not None:
        records = records.filter(paid_on__gt=after)
    return Q(Exists(records)) | Q(platform_enrolled(person_ref, after=after, until=until, year=year))


def on_lists(lists, source=None):
    """Q on ListEntry: a row of one of ``lists`` (of ``source`` when given), live files only."""
    condition = Q(batch_id__in=list(lists), person__merged_into__isnull=True)
    return condition & Q(source=source) if source else condition


def found_uninsured(lists):
    """Q on ListEntry: on one of ``lists`` and insured nowhere on that list's date."""
    condition = Q(pk__in=[])
    for year, ids in by_list_year(lists).items():
        condition |= Q(batch_id__in=ids) & ~insured_on_day("person_id", until=LIST_DATE, year=year)
    return condition


def after_outreach(lists, cutoff):
    """Q on ListEntry: found uninsured, then insured after the list's date, by ``cutoff``."""
    return found_uninsured(lists) & insured_on_day(
        "person_id", after=LIST_DATE, until=cutoff, year=insurance_year(cutoff))


def still_uninsured(lists, cutoff):
    """Q on ListEntry: found uninsured and not insured on ``cutoff``."""
    return found_uninsured(lists) & ~insured_on_day("person_id", until=cutoff, year=insurance_year(cutoff))


def insured_here(cutoff, area_ref="county_id"):
    """Q on ListEntry: insured on ``cutoff`` in the county ``area_ref`` (an outer field)."""
    return Q(Exists(EnrollmentRecord.objects.filter(
        person_id=OuterRef("person_id"), year=insurance_year(cutoff), paid_on__lte=cutoff,
        area_code=OuterRef(area_ref))))


# The comparison's figures per source, each one condition (given lists and the cut-off).
FIGURES = {
    "on_list": lambda lists, day: Q(),
    "insured_here": lambda lists, day: insured_here(day),
    "insured_elsewhere": lambda lists, day: insured_on_day("person_id", until=day, year=insurance_year(day))
    & ~insured_here(day),
    "uninsured": lambda lists, day: found_uninsured(lists),
    "after_outreach": after_outreach,
    "still_uninsured": still_uninsured,
}


def entries(county_codes, lists, source=None):
    """The rows of ``lists`` in ``county_codes`` (of ``source`` when given)."""
    return ListEntry.objects.filter(on_lists(lists, source), county_id__in=county_codes).order_by()


def figure_entries(county_codes, lists, source, figure, cutoff):
    """The rows behind one comparison figure; ``values("person_id")`` gives its people."""
    return entries(county_codes, lists, source).filter(FIGURES[figure](lists, cutoff))


def after_outreach_total(county_codes, cutoff, sources):
    """动员后参保 of ``county_codes`` as the dispatch table shows it: per source, the distinct
    children insured after outreach on that source's counting lists (a city's counties taken
    together count each child once per source), summed over ``sources``. One query."""
    from ..importing.selectors import counting_lists

    lists = counting_lists(county_codes, cutoff)
    figures = entries(county_codes, lists).aggregate(**{
        source: Count("person_id", filter=Q(source=source) & after_outreach(lists, cutoff), distinct=True)
        for source in sources
    })
    return sum(figures.values())
