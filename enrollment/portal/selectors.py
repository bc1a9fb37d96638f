"""The figures of the home pages, within the user's scope."""
import datetime

from django.db.models import Count, Q

from ..access.scoping import visible_to
from ..access.selectors import counties_of
from ..models import ImportBatch, UninsuredCase
from ..registry.periods import years_before
from ..registry.selectors import persons


def home_summary(user, *, today=None):
    """The figures on a user's home page, all within the user's scope."""
    today = today or datetime.date.today()
    cases = visible_to(UninsuredCase, user)
    return {
        "persons": persons(user).count(),
        "children": persons(user).filter(birth_date__gt=years_before(today, 18)).count(),
        "open_cases": cases.filter(insured_on__isnull=True).count(),
        "closed_cases": cases.filter(insured_on__isnull=False).count(),
        "recent_imports": visible_to(ImportBatch, user).select_related("uploaded_by__organisation", "uploaded_by__area")[:5],
    }


def county_overview(user):
    """Per county: persons on file and open cases (for the city home page)."""
    return counties_of(user).annotate(
        person_count=Count("persons", filter=Q(persons__merged_into__isnull=True), distinct=True),
    )

