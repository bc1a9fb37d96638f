"""The rows behind the dispatch table, as SQL: three blocks, each one pass over its table.

Each block gives one row per county and person (per county, list source and person for the
list entries) with the facts its columns read; ``together`` regroups them per person (per
source and person) for counties taken together, a city's total row. A column is a predicate on its block's rows (``figures.COLUMNS``): counting
the rows that match gives the figure, their ``person_id`` the people behind it, so a figure
and its drill-down are one definition. The definitions are those of ``figures`` (its
docstring) and of ``enrollment.comparison.listed``; tests/test_dispatch_figures.py checks on a
tricky county that these rows give what ``listed``'s conditions give.

- *insured*: the cut-off year's enrollment records paid by the cut-off, in the counties, of
  live persons aged 0-18, one row per (record area, person) with the person's age band.
- *newborns*: live persons born in the reporting period with a platform enrollment date (own,
  or on a record merged into theirs) on or before the cut-off: a narrow read of the period's
  births.
- *entries*: the counting lists' entries, merged files left out by an anti-join on the few
  merged files, joined to the days their persons became insured (records with their area,
  platform enrollments; of the cut-off's year, and of the year before for last year's lists)
  and grouped once per (county, source, person): ``uninsured`` (insured nowhere on a list's
  date), ``after_outreach`` (of those, insured after that date and by the cut-off),
  ``insured_here`` (insured in the entry's county as of the cut-off). No COUNT(DISTINCT): one
  hash join and one grouping. For one county the records are not read by a join with the
  province's records of the year: the county's own records are, and the other listed children's
  are probed one by one (``_COUNTY_INSURED_DAYS``), so that a county's table costs the same in a
  larger province.

The SQL is portable (PostgreSQL, SQLite): CASE instead of FILTER, no arrays.
"""
import datetime
import re

from enrollment.comparison.onepass import COUNTY_FIRST_PAYMENTS
from enrollment.models import EnrollmentRecord, ImportBatch, ListEntry, Person
from enrollment.registry.periods import insurance_year

RECORD = EnrollmentRecord._meta.db_table
PERSON = Person._meta.db_table
ENTRY = ListEntry._meta.db_table
BATCH = ImportBatch._meta.db_table

_NAMED = re.compile(r"%\((\w+)\)s")


def positional(sql, params):
    """``sql`` with ``%(name)s`` placeholders and ``params`` {name: value} as ``%s`` SQL and a
    list (what RawSQL inside a queryset needs); a list or tuple value fills ``IN (...)``."""
    values = []

    def placeholder(match):
        value = params[match.group(1)]
        if isinstance(value, (list, tuple)):
            values.extend(value)
            return ", ".join(["%s"] * len(value)) or "NULL"
        values.append(value)
        return "%s"

    return _NAMED.sub(placeholder, sql), values


def _common(cutoff, counties):
    year = insurance_year(cutoff.date)
    return {
        "cutoff": cutoff.date, "year": year, "previous_year": year - 1,
        "year_start": datetime.date(year, 1, 1), "previous_year_start": datetime.date(year - 1, 1, 1),
        "counties": list(counties),
    }


# Per block: the columns that, with the county, key its rows, and its 0/1 flags.
KEYS = {"insured": ("person_id", "band"), "newborn": ("person_id",), "entry": ("source", "person_id")}
FLAGS = {"insured": (), "newborn": (), "entry": ("uninsured", "after_outreach", "insured_here")}


def together(block, rows):
    """The rows of a block's SQL ``rows`` with the counties taken together: one row per person
    (per source and person for the entries), a flag set when set in any county."""
    keys = ", ".join(KEYS[block])
    flags = "".join(f", MAX({flag}) AS {flag}" for flag in FLAGS[block])
    return f"SELECT {keys}{flags} FROM ({rows}) by_county GROUP BY {keys}"


def insured(cutoff, counties, bands, oldest):
    """Rows (county_id, person_id, band): ``band`` is the index in ``bands`` ([low, high)
    years; the last closed at ``oldest``) of the person's age at the cut-off."""
    params = _common(cutoff, counties) | {"born_oldest": cutoff.born_after_age(oldest + 1)}
    cases = []
    for index, (_low, high) in enumerate(bands[:-1]):
        params[f"born_{index}"] = cutoff.born_after_age(high)
        cases.append(f"WHEN p.birth_date > %(born_{index})s THEN {index}")
    band = f"CASE {' '.join(cases)} ELSE {len(bands) - 1} END"
    insured_children = f"""
        SELECT r.area_code AS county_id, r.person_id, {band} AS band
        FROM {RECORD} r JOIN {PERSON} p ON p.id = r.person_id
        WHERE r.year = %(year)s AND r.paid_on <= %(cutoff)s AND r.area_code IN (%(counties)s)
          AND p.merged_into_id IS NULL AND p.birth_date <= %(cutoff)s AND p.birth_date > %(born_oldest)s"""
    group = "GROUP BY r.area_code, r.person_id, p.birth_date"
    if len(counties) > 1:  # a city's counties keep most of the registry: one scan of it
        return f"{insured_children} {group}", params
    # One county's table: the children it keeps, read from its index (person_county_birth
    # carries the columns), then those other counties keep, found by an anti-join; not a scan
    # of the province's whole person table.
    sql = f"""
        {insured_children} AND p.county_id IN (%(counties)s) {group}
        UNION ALL
        {insured_children} AND NOT EXISTS (
            SELECT 1 FROM {PERSON} kept WHERE kept.id = r.person_id AND kept.county_id IN (%(counties)s)) {group}"""
    return sql, params


def newborns(cutoff, counties, period_start):
    """Rows (county_id, person_id) of the newborn column."""
    params = _common(cutoff, counties) | {"period_start": period_start}
    sql = f"""
        SELECT p.county_id AS county_id, p.id AS person_id
        FROM {PERSON} p
        WHERE p.merged_into_id IS NULL AND p.county_id IN (%(counties)s)
          AND p.birth_date >= %(period_start)s AND p.birth_date <= %(cutoff)s
          AND (p.platform_enrolled_on <= %(cutoff)s OR p.id IN (
              SELECT m.merged_into_id FROM {PERSON} m
              WHERE m.merged_into_id IS NOT NULL AND m.platform_enrolled_on <= %(cutoff)s))"""
    return sql, params


_PLATFORM_YEAR = "CASE WHEN platform_enrolled_on >= %(year_start)s THEN %(year)s ELSE %(previous_year)s END"
_PLATFORM_DAY = "platform_enrolled_on >= %(previous_year_start)s AND platform_enrolled_on <= %(cutoff)s"
# The days a person became insured, per insurance year: the enrollment records (by paid date;
# with the area) and the platform enrollments (own, or of a record merged into the person's;
# the calendar year of the date; no area). Only the cut-off's year and the year before
# matter: a counting list is dated within a year of the cut-off; the year before only for the
# children on a list dated in it (usually none or few).
_LISTED = f"SELECT person_id FROM {ENTRY} WHERE batch_id IN (%(batches)s) AND county_id IN (%(counties)s)"
_LISTED_LAST_YEAR = f"SELECT person_id FROM {ENTRY} WHERE batch_id IN (%(previous_batches)s)"
# Read for the listed children only (``_LISTED``): the counties' lists, not the province's
# records and platform enrollments (a county's table took twice as long at 3,000,000 persons
# as at 1,000,000 when these were read whole).
_PLATFORM_DAYS = f"""
    SELECT id, {_PLATFORM_YEAR}, platform_enrolled_on, NULL FROM {PERSON}
    WHERE merged_into_id IS NULL AND id IN ({_LISTED}) AND {_PLATFORM_DAY}
    UNION ALL
    SELECT merged_into_id, {_PLATFORM_YEAR}, platform_enrolled_on, NULL FROM {PERSON}
    WHERE merged_into_id IN ({_LISTED}) AND {_PLATFORM_DAY}"""
# The records: for a city, its lists' children are a large part of the province's, and their
# records are read by one join with the year's records.
_CITY_INSURED_DAYS = f"""
    SELECT person_id, year, paid_on AS day, area_code FROM {RECORD}
    WHERE year = %(year)s AND paid_on <= %(cutoff)s AND person_id IN ({_LISTED})
    UNION ALL
    SELECT person_id, year, paid_on, area_code FROM {RECORD}
    WHERE year = %(previous_year)s AND paid_on <= %(cutoff)s AND person_id IN ({_LISTED_LAST_YEAR})
    UNION ALL {_PLATFORM_DAYS}"""
# For one county, that join would read the province's records of the year (0.2 s at 1M, 0.45 s
# at 3M persons). Instead the county's own records of the year are read (index only, hashed),
# and a listed child's records are probed (index only) only when these do not show the child
# insured by the county's first list date of this year. What the groups read of the records:
# the first day of this year, in any area (NULL: none); the county's record's day stands for it
# when on or before every list date of this year, as no flag can then tell them apart. The area
# is the county when the child has a record of this year in it. The last day of this year is
# read only for the children of last year's lists, with all their records: no other flag reads it.
_COUNTY_INSURED_DAYS = f"""
    SELECT l.person_id, %(year)s AS year,
        CASE WHEN h.paid_on <= %(first_list_date)s THEN h.paid_on ELSE (
            SELECT MIN(r.paid_on) FROM {RECORD} r
            WHERE r.person_id = l.person_id AND r.year = %(year)s AND r.paid_on <= %(cutoff)s) END AS day,
        CASE WHEN h.person_id IS NULL THEN NULL ELSE %(county)s END AS area_code
    FROM (SELECT DISTINCT person_id FROM {ENTRY} WHERE batch_id IN (%(batches)s) AND county_id = %(county)s) l
    LEFT JOIN ({COUNTY_FIRST_PAYMENTS}) h ON h.person_id = l.person_id
    UNION ALL
    SELECT person_id, year, paid_on, area_code FROM {RECORD}
    WHERE year IN (%(year)s, %(previous_year)s) AND paid_on <= %(cutoff)s AND person_id IN ({_LISTED_LAST_YEAR})
    UNION ALL {_PLATFORM_DAYS}"""

# One group per (county, source, person), over its entries joined to its insured days: the
# earliest list date of its lists of each year, the first and last day insured of each year.
# Found uninsured on some list of a year <=> not insured by the earliest of those list dates.
# Insured after outreach on some list: this year's list, not insured on its date, is insured
# after it and by the cut-off exactly when first insured this year after that date; last
# year's list, when insured this year after its date and not insured last year by then. Both
# hold for some list when they hold for the earliest.
_GROUP = """
    MIN(CASE WHEN b.list_date >= %(year_start)s THEN b.list_date END) AS listed_current,
    MIN(CASE WHEN b.list_date < %(year_start)s THEN b.list_date END) AS listed_previous,
    MIN(CASE WHEN d.year = %(year)s THEN d.day END) AS first_current,
    MAX(CASE WHEN d.year = %(year)s THEN d.day END) AS last_current,
    MIN(CASE WHEN d.year = %(previous_year)s THEN d.day END) AS first_previous,
    MAX(CASE WHEN d.year = %(year)s AND d.area_code = le.county_id THEN 1 ELSE 0 END) AS insured_here"""
_UNINSURED_PREVIOUS = "(g.first_previous IS NULL OR g.first_previous > g.listed_previous)"
_FLAGS = f"""
    CASE WHEN (g.listed_current IS NOT NULL AND (g.first_current IS NULL OR g.first_current > g.listed_current))
           OR (g.listed_previous IS NOT NULL AND {_UNINSURED_PREVIOUS}) THEN 1 ELSE 0 END AS uninsured,
    CASE WHEN g.first_current > g.listed_current
           OR (g.last_current > g.listed_previous AND {_UNINSURED_PREVIOUS}) THEN 1 ELSE 0 END AS after_outreach,
    g.insured_here"""


def entries(cutoff, counties):
    """Rows (county_id, source, person_id, uninsured, after_outreach, insured_here) of the
    counting lists' entries in ``counties``; the flags are 0 or 1."""
    params = _common(cutoff, counties) | {
        "batches": sorted(cutoff.lists), "county": counties[0],
        "previous_batches": sorted(pk for pk, day in cutoff.lists.items() if insurance_year(day) < cutoff.year)}
    params["first_list_date"] = min((day for day in cutoff.lists.values() if day >= params["year_start"]), default=None)
    insured_days = _COUNTY_INSURED_DAYS if len(counties) == 1 else _CITY_INSURED_DAYS
    assert all(day <= cutoff.date and insurance_year(day) >= params["previous_year"] for day in cutoff.lists.values())
    sql = f"""
        SELECT g.county_id, g.source, g.person_id, {_FLAGS}
        FROM (
            SELECT le.county_id, le.source, le.person_id, {_GROUP}
            FROM {ENTRY} le
            JOIN {BATCH} b ON b.id = le.batch_id
            LEFT JOIN ({insured_days}) d ON d.person_id = le.person_id
            LEFT JOIN (SELECT id FROM {PERSON} WHERE merged_into_id IS NOT NULL) merged ON merged.id = le.person_id
            WHERE le.batch_id IN (%(batches)s) AND le.county_id IN (%(counties)s) AND merged.id IS NULL
            GROUP BY le.county_id, le.source, le.person_id
        ) g"""
    return sql, params
