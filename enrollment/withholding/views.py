"""The withholding follow-up page: agreements and success rate per agent. Counts only, no
personal data (the failed deductions are cases on the uninsured-reasons page)."""
from django.shortcuts import render

from ..access.roles import role_required
from ..models.accounts import BUREAU_ROLES
from . import selectors
from .tables import AgentTable


@role_required(*BUREAU_ROLES)
def agent_list(request):
    table = AgentTable(selectors.agent_rates(request.user))
    return render(request, "enrollment/withholding.html", {"table": table})
