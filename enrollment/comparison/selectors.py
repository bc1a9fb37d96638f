"""Reads of the comparison: its runs, the closed-loop cases and duplicate enrollment."""
from django.db.models import Count

from ..access.scoping import visible_to
from ..models import CaseReferral, ComparisonRun, EnrollmentRecord, UninsuredCase


def comparison_runs(user):
    return visible_to(ComparisonRun, user).select_related("county", "run_by__organisation", "run_by__area")


def uninsured_cases(user):
    return visible_to(UninsuredCase, user).select_related("person", "entry__organisation", "county").order_by(
        "-insurance_year", "person__name", "pk")


def duplicate_enrollment_records(user, year):
    """Records of persons insured more than once in ``year``, within the user's counties."""
    records = visible_to(EnrollmentRecord, user).filter(year=year)
    twice = records.values("person_id").annotate(n=Count("pk")).filter(n__gt=1).values("person_id")
    return records.filter(person_id__in=twice).select_related("person").order_by("person__name", "scheme")



def referrals(user):
    """Referrals from or to the user's counties (both read the trail)."""
    return visible_to(CaseReferral, user)
