"""The person list (filtered, paginated, exportable) and the person file with its history."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from ..access import selectors as areas
from ..access.audit import record_access
from ..access.roles import role_required
from ..access.rules import bureau_counties
from ..access.scoping import get_visible_or_404
from ..models import AccessAction, Decision, Role
from ..portal.exporting import csv_response, xlsx_response
from . import id_numbers, selectors, services
from .filters import PersonFilter
from .places import places_of
from .tables import PersonTable

EXPORT_FORMATS = ("csv", "xlsx")


def _filtered_persons(request):
    user = request.user
    return PersonFilter(
        request.GET, queryset=selectors.person_list(user),
        counties=areas.counties_of(user), schools=selectors.schools_of(user),
    )


@role_required(*Role.values)
def person_list(request):
    persons = _filtered_persons(request)
    table = PersonTable(persons.qs)
    # No COUNT(*) over a county of a hundred thousand children: next/previous pages only.
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": LazyPaginator}).configure(table)
    record_access(request, AccessAction.VIEW_LIST, _("Person list"), record_count=len(table.page.object_list))
    return render(request, "enrollment/person_list.html", {
        "filter": persons, "table": table, "can_export": request.user.is_bureau,
    })


@role_required(Role.CITY, Role.COUNTY)
def person_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    persons = _filtered_persons(request).qs
    headers = [_("name"), _("ID number"), _("birth certificate number"), _("birth date"), _("sex"),
               _("county"), _("school"), _("class"), _("Insured this year")]
    rows = list(selectors.person_export_rows(persons, headers))
    record_access(request, AccessAction.EXPORT, _("Person list export"), record_count=len(rows) - 1)
    respond = xlsx_response if fmt == "xlsx" else csv_response
    return respond("persons", rows)


@role_required(*Role.values)
def person_detail(request, pk):
    user = request.user
    person = selectors.person_detail(user, pk)
    record_access(request, AccessAction.VIEW_DETAIL, _("Person file"), person=person)
    if not user.is_bureau:
        return render(request, "enrollment/person_partner.html", {
            "person": person, "id_shown": id_numbers.mask(person.id_number or ""),
            **selectors.partner_view_of(person, user),
        })
    history = selectors.person_history(person)
    ties, seen_through = selectors.person_ties(person, bureau_counties(user), history["enrollments"])
    places = places_of(person, history["guardians"])
    codes = {code for _kind, found in ties for code in found} | {place.county for place in places}
    return render(request, "enrollment/person_detail.html", {
        "person": person,
        "id_shown": person.id_number if user.role == Role.COUNTY else id_numbers.mask(person.id_number or ""),
        "area_names": areas.area_names(codes),
        "ties": ties, "seen_through": seen_through, "places": places,
        "merges": selectors.merges_of(person, user),
        "transfers": selectors.transfers(user).filter(person=person, status=Decision.PENDING),
        **history,
    })


@require_POST
@role_required(Role.COUNTY)
def transfer_decide(request, pk):
    transfer = get_visible_or_404(selectors.transfers(request.user), request.user, pk=pk)
    try:
        services.decide_transfer(transfer=transfer, accept=request.POST.get("accept") == "1", user=request.user)
    except services.StaleDecision:
        messages.error(request, _("This transfer was decided meanwhile."))
    else:
        messages.success(request, _("Transfer confirmed.") if request.POST.get("accept") == "1"
                         else _("Transfer returned."))
    if request.POST.get("next") == "list":
        return redirect("transfers")
    return redirect("person_detail", transfer.person_id)


@role_required(Role.COUNTY)
def transfer_list(request):
    pending = list(selectors.transfers(request.user).filter(status=Decision.PENDING).order_by("requested_at")[:500])
    record_access(request, AccessAction.VIEW_LIST, _("School transfers"), record_count=len(pending))
    return render(request, "enrollment/transfer_list.html", {"transfers": pending})
