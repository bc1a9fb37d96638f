"""Scoping rules of the reporting app (see ``enrollment/scoping.py``): bureau staff, and the
city's supervisory departments for the figures alone."""
from django.db.models import Q

from enrollment.access import scoping
from enrollment.models import Role

from .models import DispatchFigures, ReportReminder, SubmittedReport


def figures_rule(user):
    """County staff see their county's rows, city staff and the city's supervisory
    departments (read-only, figures without persons) the city's counties'; partners nothing."""
    if user.role == Role.SUPERVISOR:
        return Q(county_id__in=scoping.city_counties_of(user))
    return scoping.by_area("county")(user)


scoping.register(SubmittedReport)(figures_rule)
scoping.register(DispatchFigures)(figures_rule)
scoping.register(ReportReminder)(figures_rule)
