"""Newborn cases from maternity claims: each reimbursed delivery whose newborn is not insured
(unknown to the registry yet, or on file without any enrollment), with the days left to the
newborn deadline (the county's ``newborn_days``, 90 by default)."""
import datetime

from django.db.models import Exists, OuterRef, Q

from ..access.scoping import visible_to
from ..benefits.quotes import parameters_by_area
from ..models import EnrollmentRecord, MaternityClaim, Person

WINDOW_DAYS = 365


def uninsured_deliveries(user, today):
    insured = Exists(EnrollmentRecord.objects.filter(person_id=OuterRef("newborn_id"))) | Exists(
        Person.objects.filter(Q(pk=OuterRef("newborn_id")) | Q(merged_into_id=OuterRef("newborn_id")),
                              platform_enrolled_on__isnull=False))  # the birth one-stop platform's
    return (visible_to(MaternityClaim, user)
            .filter(delivered_on__gte=today - datetime.timedelta(days=WINDOW_DAYS), delivered_on__lte=today)
            .filter(Q(newborn__isnull=True) | ~insured)
            .select_related("newborn", "county").order_by("delivered_on", "pk"))


def with_days_left(claims, today):
    """The claims with ``deadline`` and ``days_left`` (negative: past the deadline)."""
    claims = list(claims)
    days = {code: params.newborn_days for code, params in
            parameters_by_area({claim.county_id for claim in claims}, today).items()}
    for claim in claims:
        claim.deadline = claim.delivered_on + datetime.timedelta(days=days.get(claim.county_id, 90))
        claim.days_left = (claim.deadline - today).days
        claim.days_past = -claim.days_left
    return claims
