"""The audit trail page (访问日志)."""
from django.shortcuts import render
from django_tables2 import RequestConfig

from ..models.accounts import BUREAU_ROLES
from . import selectors
from .filters import AccessEventFilter
from .roles import role_required
from .tables import AccessEventTable


@role_required(*BUREAU_ROLES)
def audit_log(request):
    events = AccessEventFilter(request.GET, queryset=selectors.access_events(request.user))
    table = AccessEventTable(events.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "enrollment/audit_log.html", {"filter": events, "table": table})
