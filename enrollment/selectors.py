"""Reads of the registry app. Every query here starts from ``scoping.visible_to``."""
import datetime

from django.db.models import Count, Q

from .models import AccessEvent, Area, ImportBatch, Person, UninsuredCase
from .scoping import visible_to


def persons(user):
    return visible_to(Person, user)


def access_events(user):
    return visible_to(AccessEvent, user).select_related("user", "county", "person")


def home_summary(user, *, today=None):
    """The figures on a user's home page, all within the user's scope."""
    today = today or datetime.date.today()
    cases = visible_to(UninsuredCase, user)
    return {
        "persons": persons(user).count(),
        "children": persons(user).filter(birth_date__gt=_years_before(today, 18)).count(),
        "open_cases": cases.filter(insured_on__isnull=True).count(),
        "closed_cases": cases.filter(insured_on__isnull=False).count(),
        "recent_imports": visible_to(ImportBatch, user).select_related("uploaded_by")[:5],
    }


def counties_of(user):
    """The counties a bureau user may choose among (a county user: just its own)."""
    return visible_to(Area, user).filter(level="county")


def county_overview(user):
    """Per county: persons on file and open cases (for the city home page)."""
    return counties_of(user).annotate(
        person_count=Count("persons", filter=Q(persons__merged_into__isnull=True), distinct=True),
    )


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
