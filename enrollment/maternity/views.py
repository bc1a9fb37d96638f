from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access.audit import record_access
from ..access.roles import role_required
from ..models import AccessAction
from ..models.accounts import BUREAU_ROLES
from ..portal.params import MAX_PAGE, whole_number
from ..registry import id_numbers
from . import selectors


@role_required(*BUREAU_ROLES)
def maternity_list(request):
    today = timezone.localdate()
    number = whole_number(request.GET["page"], "page", maximum=MAX_PAGE) if request.GET.get("page") else 1
    page = Paginator(selectors.uninsured_deliveries(request.user, today), 50).get_page(number)
    claims = selectors.with_days_left(page.object_list, today)
    for claim in claims:
        claim.mother_shown = id_numbers.mask(claim.mother_id_number)
    record_access(request, AccessAction.VIEW_LIST, _("Newborns of maternity claims"), record_count=len(claims))
    return render(request, "enrollment/maternity_list.html", {"page": page, "claims": claims})
