"""The figures of the home pages, within the user's scope."""
import datetime

from django.db.models import Count, Q

from ..access.scoping import visible_to
from ..access.selectors import counties_of
from ..comparison import listed
from ..models import ImportBatch, ListSource, UninsuredCase
from ..models.accounts import BUREAU_ROLES
from ..registry.periods import insurance_year, years_before
from ..registry.selectors import persons

# The list blocks of the dispatch table that have a 动员后参保 column.
DISPATCH_SOURCES = (ListSource.KINDERGARTEN, ListSource.SCHOOL, ListSource.HEALTH)


def home_summary(user, *, today=None):
    """The figures on a user's home page, all within the user's scope.

    ``open_cases`` (待闭环未参保) counts children, not rows: those with an open case of the
    current insurance year. For bureau staff ``after_outreach`` is the dispatch table's
    动员后参保 as of the cut-off the table opens on (``after_outreach_as_of``): the sum of its
    three list blocks, by the one definition of ``comparison.listed``. A partner sees its own
    children's cases closed as insured after outreach."""
    from reporting.periods import default_cutoff  # the home page is the hub of every app

    today = today or datetime.date.today()
    cases = visible_to(UninsuredCase, user).filter(insurance_year=insurance_year(today))
    summary = {
        "children": persons(user).filter(birth_date__gt=years_before(today, 18)).count(),
        "open_cases": cases.filter(insured_on__isnull=True).values("person_id").distinct().count(),
        "recent_imports": visible_to(ImportBatch, user).select_related("uploaded_by__organisation", "uploaded_by__area")[:5],
    }
    if user.role in BUREAU_ROLES:
        cutoff = default_cutoff(today)
        codes = list(counties_of(user).values_list("pk", flat=True))
        summary["after_outreach"] = listed.after_outreach_total(codes, cutoff, DISPATCH_SOURCES)
        summary["after_outreach_as_of"] = cutoff
    else:
        summary["after_outreach"] = cases.filter(insured_on__isnull=False).values("person_id").distinct().count()
    return summary


def county_overview(user):
    """Per county: persons on file and open cases (for the city home page)."""
    return counties_of(user).annotate(
        person_count=Count("persons", filter=Q(persons__merged_into__isnull=True), distinct=True),
    )

