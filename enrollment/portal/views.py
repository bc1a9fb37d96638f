"""The home page: each role's figures, and the next report due for bureau staff."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access.audit import record_access
from ..models import AccessAction
from ..models.accounts import FIGURE_ROLES, PERSONAL_DATA_ROLES, Role
from . import selectors


@login_required
def home(request):
    user = request.user
    context = {"summary": selectors.home_summary(user) if user.role in PERSONAL_DATA_ROLES else None}
    if user.role == Role.CITY:
        context["counties"] = selectors.county_overview(user)
    if user.is_partner:
        from outreach.todo import partner_todo

        context["todo"] = todo = partner_todo(user)
        shown = sum(len(part.rows) for part in (todo["overdue"], todo["due_soon"], todo["newborns"]) if part)
        if shown:  # the list names children (and newborns' guardians' phones): audited like any list
            record_access(request, AccessAction.VIEW_LIST, _("To-do list"), record_count=shown)
    if user.role in FIGURE_ROLES:
        from reporting.periods import next_due  # the home page is the hub of every app
        from reporting.selectors import open_reminders

        today = timezone.localdate()
        context["next_period"] = next_due(today)
        context["days_left"] = (context["next_period"].deadline - today).days
        context["report_reminders"] = open_reminders(user) if user.role == Role.COUNTY else []
    return render(request, "enrollment/home.html", context)
