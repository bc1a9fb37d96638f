"""The dispatch table (宁德市儿童参加基本医疗保险情况调度表): its figures, as of a cut-off date.

Every column is defined once, as a predicate on the rows of one block (``blocks``: the insured
persons, the newborns, the list entries; one set-based query each); the same predicate gives
the figure (the matching rows counted, per county) and the list of people behind it
(``people_behind``: their ``person_id``), so a figure and its list cannot disagree.

Definitions (see ../shared/domain.md, "The dispatch table"):

- *Insurance year*: the calendar year of the cut-off date.
- *Insured as of the cut-off*: an enrollment record (any scheme) for that insurance year paid on
  or before the cut-off. *Insured here*: such a record whose ``area_code`` is the county of the
  row. The age block (参保总人数) counts the children insured in the county, wherever their file
  is kept; the list blocks count the county's own lists. *Insured nowhere*: no such record in any
  area. Duplicate records (two schemes, two areas) count the person once in a county; a city's
  total counts every child once, even one insured or listed in two of its counties.
- *Persons*: only live files count (``merged_into`` is null): a newborn's birth-certificate
  record merged into its ID record is counted once, through the ID record.
- *Age*: whole years at the cut-off; a birthday on the cut-off date has been had (born
  2023-06-30, cut-off 2024-06-30: age 1). Someone born on 29 February has the birthday on
  1 March in common years. Bands [0,1) [1,3) [3,6) [6,9) [9,12) [12,15) [15,18]; the last
  is closed, so a child turning 18 on the cut-off day is counted (in [15,18] and the total);
  one day later it is 18 years and one day old and still counted until its 19th birthday.
  The total 0–18 is the sum of the bands; people not yet born at the cut-off are not counted.
- *Newborns through the birth one-stop service*: born in the reporting period of the cut-off
  (``newborn_period_start``: the day after the previous period's cut-off, so November and
  December births count in the March report; 1 January for the first report) and on or before
  the cut-off, with a platform enrollment date on or before it (``blocks.newborns``).
- *Lists that count* (``enrollment.importing.selectors.counting_lists``, the one rule shared
  with the comparison): a list counts when its list date (数据截至日期) is on or before the
  cut-off and within a year of it; of one partner's lists the latest-dated counts (ties: the
  later import); each of county staff's own uploads counts. When a list was received does not
  matter: a table for a past cut-off recomputes to the same figures whatever was imported since
  (only an enrollment extract received later may show payments made before the cut-off).
- *Provided*: distinct persons on the counting lists of that source in the county.
  *Found uninsured* (比对未参保) and *insured after outreach* (动员后参保): as defined once in
  ``enrollment.comparison.listed`` (insured nowhere on the list's date; of those, insured after
  it and on or before the cut-off). ``blocks`` counts them set-based in SQL;
  tests/test_dispatch_figures.py checks its rows against ``listed``'s conditions person by
  person on a county made of the edge cases.
  *Kindergarten / school insured*: on such a list and insured here as of the cut-off.
  No figure reads the closed-loop cases: none depends on someone having run the comparison.
"""
import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enrollment.importing.selectors import counting_lists
from enrollment.models import Area, ListSource
from enrollment.registry.periods import insurance_year, years_before

from .. import periods as reporting_periods
from . import blocks

AGE_BANDS = ((0, 1), (1, 3), (3, 6), (6, 9), (9, 12), (12, 15), (15, 18))
OLDEST_AGE = 18  # the last band is closed: [15, 18]


def age_at(birth_date, cutoff):
    """Age in whole years at ``cutoff``, by the same rule as the bands."""
    age = cutoff.year - birth_date.year
    return age if birth_date <= years_before(cutoff, age) else age - 1


@dataclass
class Cutoff:
    """Everything the blocks need about one cut-off date."""

    date: datetime.date
    lists: dict = field(default_factory=dict)  # {batch id: list date}, from counting_lists

    @property
    def year(self):
        return insurance_year(self.date)

    def born_after_age(self, years):
        """Birth dates strictly after this are younger than ``years`` at the cut-off."""
        return years_before(self.date, years)

    def age_between(self, low, high, *, closed=False, prefix=""):
        """Q on a person's birth date (``prefix`` leads to the person): low <= age < high
        (<= high when ``closed``)."""
        upper = high + 1 if closed else high
        return Q(**{f"{prefix}birth_date__lte": self.born_after_age(low),
                    f"{prefix}birth_date__gt": self.born_after_age(upper)})


# The blocks of the table (``blocks``): the rows each block gives per county and person.
# ``INSURED`` counts the children insured in the county (its enrollment records, whoever keeps
# the file), ``NEWBORN`` the newborn column's persons, ``ENTRY`` the counting lists' entries.
INSURED, NEWBORN, ENTRY = "insured", "newborn", "entry"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str  # the merged header above it ("" for a column standing alone)
    block: str
    where: str  # SQL predicate on the block's rows (no parameters)


def _band(low, high):
    return "TRUE" if (low, high) == (0, OLDEST_AGE) else f"band = {AGE_BANDS.index((low, high))}"


def _on_list(source, flag=None):
    assert source in ListSource.values  # a constant of the code, never user input
    return f"source = '{source}'" + (f" AND {flag} = 1" if flag else "")


def newborn_period_start(cutoff_date):
    """The first birth date of the newborn column: the day after the last reporting period's
    cut-off before ``cutoff_date`` (births of November and December count in the March report),
    or 1 January of the cut-off's year when no period ended before it (the first report)."""
    earlier = [p.cutoff for p in reporting_periods.periods(cutoff_date) if p.cutoff < cutoff_date]
    if not earlier:
        return datetime.date(cutoff_date.year, 1, 1)
    return earlier[-1] + datetime.timedelta(days=1)


INSURED_GROUP = _("Insured persons (0-18 years)")
KINDERGARTEN_GROUP = _("Kindergarten children's enrollment campaign")
SCHOOL_GROUP = _("Primary and secondary pupils' enrollment campaign")
HEALTH_GROUP = _("Comparison of the health department's list")
K, S, H = ListSource.KINDERGARTEN, ListSource.SCHOOL, ListSource.HEALTH

COLUMNS = (
    Column("insured_total", _("Total"), INSURED_GROUP, INSURED, _band(0, OLDEST_AGE)),
    Column("age_0_1", _("of which: 0-1 years"), INSURED_GROUP, INSURED, _band(0, 1)),
    Column("age_1_3", _("1-3 years"), INSURED_GROUP, INSURED, _band(1, 3)),
    Column("age_3_6", _("3-6 years"), INSURED_GROUP, INSURED, _band(3, 6)),
    Column("age_6_9", _("6-9 years"), INSURED_GROUP, INSURED, _band(6, 9)),
    Column("age_9_12", _("9-12 years"), INSURED_GROUP, INSURED, _band(9, 12)),
    Column("age_12_15", _("12-15 years"), INSURED_GROUP, INSURED, _band(12, 15)),
    Column("age_15_18", _("15-18 years"), INSURED_GROUP, INSURED, _band(15, 18)),
    Column("newborns", _("Newborns enrolled through the birth one-stop platform"), "", NEWBORN, "TRUE"),
    Column("kg_provided", _("Kindergarten children provided by education"), KINDERGARTEN_GROUP,
           ENTRY, _on_list(K)),
    Column("kg_uninsured", pgettext_lazy("dispatch table", "Found uninsured"), KINDERGARTEN_GROUP, ENTRY, _on_list(K, "uninsured")),
    Column("kg_after_outreach", pgettext_lazy("dispatch table", "Insured after outreach"), KINDERGARTEN_GROUP, ENTRY,
           _on_list(K, "after_outreach")),
    Column("kg_insured", _("Kindergarten children insured"), KINDERGARTEN_GROUP, ENTRY,
           _on_list(K, "insured_here")),
    Column("school_provided", _("Pupils provided by education"), SCHOOL_GROUP, ENTRY, _on_list(S)),
    Column("school_uninsured", pgettext_lazy("dispatch table", "Found uninsured"), SCHOOL_GROUP, ENTRY, _on_list(S, "uninsured")),
    Column("school_after_outreach", pgettext_lazy("dispatch table", "Insured after outreach"), SCHOOL_GROUP, ENTRY,
           _on_list(S, "after_outreach")),
    Column("school_insured", _("Pupils insured"), SCHOOL_GROUP, ENTRY, _on_list(S, "insured_here")),
    Column("health_provided", _("Children on the immunisation programme list"), HEALTH_GROUP,
           ENTRY, _on_list(H)),
    Column("health_uninsured", pgettext_lazy("dispatch table", "Found uninsured"), HEALTH_GROUP, ENTRY, _on_list(H, "uninsured")),
    Column("health_after_outreach", pgettext_lazy("dispatch table", "Insured after outreach"), HEALTH_GROUP, ENTRY,
           _on_list(H, "after_outreach")),
)
# The definition (口径) of each column, shown one click away on the dispatch page.
_INSURED_DEFINITION = _(
    "Children aged 0-18 at the cut-off (whole years; an 18-year-old still counts) with an enrollment record "
    "for the cut-off's insurance year paid on or before the cut-off, insured in this county (counted where "
    "they are insured, wherever their file is kept). A child insured twice counts once.")
_BAND_DEFINITION = _(
    "Of the insured total, by age in whole years at the cut-off: the lower age included, the upper one "
    "not (the band 15-18 includes 18-year-olds).")
_NEWBORN_DEFINITION = _(
    "Children born in the reporting period (from the day after the previous report's cut-off, or 1 January "
    "for the first report, to the cut-off) whose enrollment through the birth one-stop platform is dated on "
    "or before the cut-off.")
_PROVIDED_DEFINITION = _(
    "Distinct children on the partner lists that count for the cut-off: a list counts when its data-as-of "
    "date is on or before the cut-off and within a year of it; of one partner's lists the latest-dated "
    "counts. When a list was received does not matter.")
_UNINSURED_DEFINITION = _(
    "Of the children provided, those insured nowhere (no enrollment record in any area and no enrollment "
    "through the birth one-stop platform) on their list's data-as-of date.")
_AFTER_DEFINITION = _(
    "Of the children found uninsured, those insured (in any area) after their list's data-as-of date and on "
    "or before the cut-off; never more than found uninsured. An enrollment extract received later may still "
    "add payments made before the cut-off.")
_LIST_INSURED_DEFINITION = _("Of the children provided, those insured in this county as of the cut-off.")


def _definition(key):
    if key == "insured_total":
        return _INSURED_DEFINITION
    if key.startswith("age_"):
        return _BAND_DEFINITION
    if key == "newborns":
        return _NEWBORN_DEFINITION
    return {"provided": _PROVIDED_DEFINITION, "uninsured": _UNINSURED_DEFINITION,
            "after_outreach": _AFTER_DEFINITION, "insured": _LIST_INSURED_DEFINITION}[key.split("_", 1)[1]]


DEFINITIONS = {column.key: _definition(column.key) for column in COLUMNS}


def definitions():
    """[(key, full label, definition)] of every column, in table order."""
    return [(column.key, f"{column.group}·{column.label}" if column.group else str(column.label),
             DEFINITIONS[column.key]) for column in COLUMNS]


COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
KEYS = tuple(column.key for column in COLUMNS)


def current_batches(counties, cutoff_date):
    """Ids of the list imports that count at ``cutoff_date`` (see the module docstring)."""
    return sorted(counting_lists(counties, cutoff_date))


def make_cutoff(counties, cutoff_date):
    return Cutoff(date=cutoff_date, lists=counting_lists(counties, cutoff_date))


def _rows(block, counties, cutoff):
    """The SQL (``%(name)s`` placeholders) and parameters of one block's rows per county and
    person (``blocks``)."""
    if block == INSURED:
        return blocks.insured(cutoff, counties, AGE_BANDS, OLDEST_AGE)
    if block == NEWBORN:
        return blocks.newborns(cutoff, counties, newborn_period_start(cutoff.date))
    return blocks.entries(cutoff, counties)


def _figures(counties, cutoff, *, per_county=True, together=False):
    """Every column counted: {county code: {key: int}} (``per_county``) and {None: {key: int}}
    for the counties taken together, each child once (``together``). One query per block: its
    rows are read once for both."""
    figures = {}
    with connection.cursor() as cursor:
        for block in (INSURED, NEWBORN, ENTRY):
            columns = [column for column in COLUMNS if column.block == block]
            if block == ENTRY and not cutoff.lists:
                continue  # no list counts: every list figure is 0
            rows, params = _rows(block, counties, cutoff)
            counts = ", ".join(f"SUM(CASE WHEN {column.where} THEN 1 ELSE 0 END)" for column in columns)
            parts = []
            if per_county:
                parts.append(f"SELECT county_id, {counts} FROM block_rows GROUP BY county_id")
            if together:
                parts.append(f"SELECT NULL, {counts} FROM ({blocks.together(block, 'SELECT * FROM block_rows')}) t")
            cursor.execute(*blocks.positional(f"WITH block_rows AS ({rows}) {' UNION ALL '.join(parts)}", params))
            for county, *values in cursor.fetchall():
                figures.setdefault(county, {}).update(
                    {column.key: int(value or 0) for column, value in zip(columns, values)})
    return figures


def compute_with_total(counties, cutoff_date):
    """(``compute``, ``total``) of ``counties`` (codes or Areas), each block read once."""
    codes = [getattr(county, "pk", county) for county in counties]
    found = _figures(codes, make_cutoff(codes, cutoff_date), together=True)
    figures = {code: dict.fromkeys(KEYS, 0) | found.get(code, {}) for code in codes}
    return figures, dict.fromkeys(KEYS, 0) | found.get(None, {})


def total(counties, cutoff_date):
    """The figures of ``counties`` taken together, each child counted once (a city's total
    row: a child insured, or listed, in two of its counties is one child)."""
    cutoff = make_cutoff(counties, cutoff_date)
    return dict.fromkeys(KEYS, 0) | _figures(list(counties), cutoff, per_county=False, together=True).get(None, {})


def compute(counties, cutoff_date):
    """Figures per county code: {code: {column key: int}} for ``counties`` (codes or Areas)."""
    codes = [getattr(county, "pk", county) for county in counties]
    found = _figures(codes, make_cutoff(codes, cutoff_date))
    return {code: dict.fromkeys(KEYS, 0) | found.get(code, {}) for code in codes}


@dataclass
class Row:
    code: str
    name: str
    figures: dict  # {key: int}, or {key: None} for a county that has not submitted
    is_total: bool = False

    @property
    def is_missing(self):
        return self.figures[KEYS[0]] is None

    def cells(self):
        return [(key, self.figures[key]) for key in KEYS]


@dataclass
class DispatchTable:
    """The table as shown and exported: one row per county, a total row for a city."""

    area: Area
    cutoff: datetime.date
    rows: list

    @property
    def columns(self):
        return COLUMNS

    @property
    def title_area(self):
        """The city whose table this is (the paper form is the city's)."""
        return self.area if not self.area.is_county else self.area.parent or self.area


def counties_of(area):
    """The counties of a city (or the county itself), in code order."""
    if area.is_county:
        return [area]
    return list(Area.objects.filter(parent=area, level="county").order_by("code"))


def build_table(area, cutoff_date, figures=None):
    """The dispatch table of a county or a city.

    ``figures`` (frozen, submitted ones: {county code: {key: int}}) skip computing; a county
    without figures there gets an empty row (not submitted) that the total leaves out. A city's
    total row is ``figures[city code]`` when given (each child once, see ``total``), else the
    sum of its counties' rows (submitted tables, each county's own).
    """
    counties = counties_of(area)
    if figures is None and area.is_county:
        figures = compute(counties, cutoff_date)
    elif figures is None:
        figures, city_total = compute_with_total(counties, cutoff_date)
        figures[area.pk] = city_total
    rows = [
        Row(c.pk, c.name, {k: int(figures[c.pk].get(k, 0)) if c.pk in figures else None for k in KEYS})
        for c in counties
    ]
    if not area.is_county:
        together = figures.get(area.pk) or {key: sum(row.figures[key] for row in rows if not row.is_missing)
                                            for key in KEYS}
        rows.append(Row(area.pk, str(_("Total")), {k: int(together.get(k, 0)) for k in KEYS}, is_total=True))
    return DispatchTable(area=area, cutoff=cutoff_date, rows=rows)


def people_behind(persons, column_key, counties, cutoff_date):
    """The persons behind one figure: ``persons`` (already scoped) narrowed to the column: the
    ``person_id`` of the block rows its figure counts (the counties taken together, as in
    ``total``; for one county, as in ``compute``).

    ``counties`` is a list of county codes (one county, or a city's counties for a total).
    """
    column = COLUMN_BY_KEY[column_key]
    cutoff = make_cutoff(counties, cutoff_date)
    if column.block == ENTRY and not cutoff.lists:
        return persons.none()
    rows, params = _rows(column.block, list(counties), cutoff)
    return persons.filter(pk__in=RawSQL(*blocks.positional(
        f"SELECT person_id FROM ({blocks.together(column.block, rows)}) block_rows WHERE {column.where}", params)))


def header_rows():
    """The two header rows of the paper form as (label, colspan, rowspan, column key or None):
    the county column and the newborn column span both rows, each group spans its columns."""
    top = [(_("County (city, district)"), 1, 2, None)]
    bottom = []
    for group, members in groupby(COLUMNS, key=lambda column: column.group):
        members = list(members)
        if not group:
            top.extend((column.label, 1, 2, column.key) for column in members)
            continue
        top.append((group, len(members), 1, None))
        bottom.extend((column.label, 1, 1, column.key) for column in members)
    return top, bottom
