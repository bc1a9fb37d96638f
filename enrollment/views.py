from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from . import selectors
from .access import role_required
from .filters import AccessEventFilter
from .models.accounts import BUREAU_ROLES, Role
from .tables import AccessEventTable


@login_required
def home(request):
    user = request.user
    context = {"summary": selectors.home_summary(user) if user.role else None}
    if user.role == Role.CITY:
        context["counties"] = selectors.county_overview(user)
    if user.role in BUREAU_ROLES:
        from reporting.periods import next_due  # the home page is the hub of every app

        today = timezone.localdate()
        context["next_period"] = next_due(today)
        context["days_left"] = (context["next_period"].deadline - today).days
    return render(request, "enrollment/home.html", context)


@role_required(*BUREAU_ROLES)
def audit_log(request):
    events = AccessEventFilter(request.GET, queryset=selectors.access_events(request.user))
    table = AccessEventTable(events.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "enrollment/audit_log.html", {"filter": events, "table": table})
