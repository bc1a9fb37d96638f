"""The comparison's per-child facts in one pass over the lists (raw SQL, PostgreSQL and SQLite).

``listed`` holds the one definition of the list figures as ``Q`` conditions, each an index
probe per list row; the comparison needs six of them on every row of a county's lists (100,000
rows for a large school roster) and then the still uninsured again for the cases: up to
fourteen probes per row. Here the county's own records of the year are read once; only the
rows they do not show insured by the list's date probe their records of the years involved,
once for all the conditions (index only); and the child's file and the files merged into it
are read only for the rows the records leave uninsured. The result,
one row per child and source, goes to a temporary table ``comparison_flags`` that the run's
figures and its case writes read:

    person_id, source, insured_here, insured_elsewhere, uninsured, after_outreach,
    still_uninsured (0/1 each, as the figures of ``listed.FIGURES``), case_entry (the
    list row a case points to: the child's latest row that is still uninsured, when the child
    is active; NULL: no case)

``tests/test_comparison.py`` checks every figure against ``listed.figure_entries``.
"""
import datetime

from ..models import EnrollmentRecord, ListEntry, Person, PersonStatus
from ..models.lists import COMPARED_SOURCES
from ..registry.periods import insurance_year

TABLE = "comparison_flags"
# A county's records of the cut-off's year paid by the cut-off, one row per child with its
# first payment, read from the index on (area, year, person, paid_on) alone (parameters
# ``county``, ``year``, ``cutoff``): what shows a child insured in the county, read once and
# hashed by the comparison and by one county's dispatch table (``reporting.dispatch.blocks``).
COUNTY_FIRST_PAYMENTS = (f'SELECT person_id, MIN(paid_on) AS paid_on FROM "{EnrollmentRecord._meta.db_table}"'
                         " WHERE area_code = %(county)s AND year = %(year)s AND paid_on <= %(cutoff)s"
                         " GROUP BY person_id")


def write_flags(cursor, *, county, lists, cutoff):
    """(Re)create ``comparison_flags`` for ``county``'s ``lists`` ({batch id: list date}) as
    of ``cutoff``. Returns nothing; the caller reads and drops the table."""
    year = insurance_year(cutoff)
    params = {"county": county, "year": year, "year_start": datetime.date(year, 1, 1), "cutoff": cutoff,
              "active": PersonStatus.ACTIVE}
    values = []
    for number, (pk, day) in enumerate(lists.items()):
        params.update({f"b{number}": pk, f"d{number}": day, f"y{number}": insurance_year(day),
                       f"s{number}": datetime.date(insurance_year(day), 1, 1)})
        values.append(f"(%(b{number})s, %(d{number})s, %(y{number})s, %(s{number})s)")
    years = sorted({year, *(insurance_year(day) for day in lists.values())})
    params.update({f"year{number}": value for number, value in enumerate(years)})
    params.update({f"source{number}": value for number, value in enumerate(COMPARED_SOURCES)})
    entry, person, record = (model._meta.db_table for model in (ListEntry, Person, EnrollmentRecord))

    def platform(column):
        """The bits a platform enrollment on ``column`` sets (no 4: it names no area)."""
        return (f"CASE WHEN {column} >= l.year_start AND {column} <= l.list_date THEN 1 ELSE 0 END"
                f" + CASE WHEN {column} >= %(year_start)s AND {column} <= %(cutoff)s THEN 2 ELSE 0 END"
                f" + CASE WHEN {column} >= %(year_start)s AND {column} <= %(cutoff)s"
                f" AND {column} > l.list_date THEN 8 ELSE 0 END")

    # A list row's facts as bits, each condition of ``listed`` read once: 1 insured (anywhere)
    # on the list's date, 2 insured on the cut-off, 4 insured in the county on the cut-off, 8
    # insured after the list's date, by the cut-off; 16 an active child. First the county's own
    # records of the cut-off's year, read once and hashed (grouped from the index on (area,
    # year, person, paid_on) alone): a child they show insured in the county by the list's date
    # of that year has bits 1, 2 and 4, and no other figure reads bit 8 when bit 1 is set, so
    # only the other rows probe their records of the years involved (index only: one probe
    # each). Only for the rows whose records leave the child uninsured on either date (the rest
    # have every figure they need) the child's file is read (its platform enrollment, its
    # status), and the files merged into it (their platform enrollment: bit by bit, as SQLite
    # has no BIT_OR). Each step is a subquery behind an OFFSET fence, so that its bits are
    # computed once per row and not once per use, and not written to a CTE's tuplestore.
    by_cutoff = "r.year = %(year)s AND r.paid_on <= %(cutoff)s"
    years_in = ", ".join(f"%(year{n})s" for n in range(len(years)))
    merged = f'SELECT id FROM "{person}" WHERE merged_into_id IS NOT NULL'  # few: read once, hashed
    fence = "OFFSET 0" if cursor.db.vendor == "postgresql" else "LIMIT -1 OFFSET 0"
    sql = f"""
        CREATE TEMPORARY TABLE {TABLE} AS
        WITH lists (batch_id, list_date, list_year, year_start) AS (VALUES {", ".join(values)}),
        paid AS (
            SELECT e.id AS entry_id, e.person_id, e.source, l.list_date, l.year_start,
                CASE WHEN h.paid_on <= l.list_date AND l.list_year = %(year)s THEN 7 ELSE COALESCE((
                    SELECT MAX(CASE WHEN r.year = l.list_year AND r.paid_on <= l.list_date THEN 1 ELSE 0 END)
                        + MAX(CASE WHEN {by_cutoff} THEN 2 ELSE 0 END)
                        + MAX(CASE WHEN {by_cutoff} AND r.paid_on > l.list_date THEN 8 ELSE 0 END)
                    FROM "{record}" r WHERE r.person_id = e.person_id AND r.year IN ({years_in})), 0)
                    + CASE WHEN h.person_id IS NULL THEN 0 ELSE 4 END END AS paid
            FROM "{entry}" e
            JOIN lists l ON l.batch_id = e.batch_id
            LEFT JOIN ({COUNTY_FIRST_PAYMENTS}) h ON h.person_id = e.person_id
            WHERE e.county_id = %(county)s
                AND e.source IN ({", ".join(f"%(source{n})s" for n in range(len(COMPARED_SOURCES)))})
                AND e.person_id NOT IN ({merged})
            {fence}
        ),
        facts AS (  -- l: a list row, its list's dates, what its records say
            SELECT l.entry_id, l.person_id, l.source, l.paid | CASE WHEN (l.paid & 3) = 3 THEN 0 ELSE COALESCE((
                SELECT ({platform("p.platform_enrolled_on")})
                    + CASE WHEN p.status = %(active)s THEN 16 ELSE 0 END
                FROM "{person}" p WHERE p.id = l.person_id), 0)
                | COALESCE((
                    SELECT MAX(({platform("m.platform_enrolled_on")}) & 1)
                        | MAX(({platform("m.platform_enrolled_on")}) & 2)
                        | MAX(({platform("m.platform_enrolled_on")}) & 8)
                    FROM "{person}" m WHERE m.merged_into_id = l.person_id), 0) END AS facts
            FROM paid l
            {fence}
        )
        SELECT person_id, source,
            MAX(CASE WHEN (facts & 4) = 4 THEN 1 ELSE 0 END) AS insured_here,
            MAX(CASE WHEN (facts & 6) = 2 THEN 1 ELSE 0 END) AS insured_elsewhere,
            MAX(CASE WHEN (facts & 1) = 0 THEN 1 ELSE 0 END) AS uninsured,
            MAX(CASE WHEN (facts & 9) = 8 THEN 1 ELSE 0 END) AS after_outreach,
            MAX(CASE WHEN (facts & 3) = 0 THEN 1 ELSE 0 END) AS still_uninsured,
            MAX(CASE WHEN (facts & 19) = 16 THEN entry_id END) AS case_entry
        FROM facts
        GROUP BY person_id, source
    """
    cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    cursor.execute(sql, params)
