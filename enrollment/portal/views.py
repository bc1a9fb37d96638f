"""The home page: each role's figures, and the next report due for bureau staff."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..models.accounts import BUREAU_ROLES, Role
from . import selectors


@login_required
def home(request):
    user = request.user
    context = {"summary": selectors.home_summary(user) if user.role else None}
    if user.role == Role.CITY:
        context["counties"] = selectors.county_overview(user)
    if user.is_partner:
        from outreach.todo import partner_todo

        context["todo"] = partner_todo(user)
    if user.role in BUREAU_ROLES:
        from reporting.periods import next_due  # the home page is the hub of every app

        today = timezone.localdate()
        context["next_period"] = next_due(today)
        context["days_left"] = (context["next_period"].deadline - today).days
    return render(request, "enrollment/home.html", context)
