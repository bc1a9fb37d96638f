"""The audit trail page (访问日志)."""
from django.shortcuts import render

from ..models.accounts import BUREAU_ROLES
from ..portal.params import paginate
from . import selectors
from .filters import AccessEventFilter
from .roles import role_required
from .tables import AccessEventTable


@role_required(*BUREAU_ROLES)
def audit_log(request):
    events = AccessEventFilter(request.GET, queryset=selectors.access_events(request.user))
    table = AccessEventTable(events.qs)
    paginate(request, table, per_page=50)
    return render(request, "enrollment/audit_log.html", {"filter": events, "table": table})
