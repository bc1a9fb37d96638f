"""The person list (filtered, paginated, exportable) and the person file with its history."""
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import selectors as areas
from ..access.audit import record_access
from ..access.roles import role_required
from ..access.rules import bureau_counties
from ..access.scoping import get_visible_or_404
from ..corrections import selectors as corrections
from ..models import AccessAction, ChangeStatus, Decision, ExportJob, ExportStatus, Role
from ..models.accounts import PERSONAL_DATA_ROLES
from ..portal import params
from ..portal.exporting import csv_response, xlsx_response
from ..portal.params import paginate_with_total
from . import exports, id_numbers, selectors, services
from .places import places_of
from .tables import PersonTable

EXPORT_FORMATS = ("csv", "xlsx")


def _filtered_persons(request):
    return exports.filtered_persons(request.user, request.GET)


@role_required(*PERSONAL_DATA_ROLES)
def person_list(request):
    persons = _filtered_persons(request)
    parts = selectors.kept_first(persons.qs, request.user)
    counts = params.counts_up_to(parts)
    table = PersonTable(selectors.rows_to_list(persons.qs, parts, counts))
    total = paginate_with_total(request, table, per_page=50, total=sum(counts))
    record_access(request, AccessAction.VIEW_LIST, _("Person list"), record_count=len(table.page.object_list))
    return render(request, "enrollment/person_list.html", {
        "filter": persons, "table": table, "can_export": request.user.is_bureau, "total": total,
        "count_cap": params.COUNT_CAP,
    })


@role_required(Role.CITY, Role.COUNTY)
def person_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    persons = _filtered_persons(request).qs
    if persons.count() > exports.background_rows():
        job = exports.request_export(user=request.user, fmt=fmt, query=request.GET.urlencode())
        messages.info(request, _("The export is large: it is being written in the background. "
                                 "Download it from this page when it is ready."))
        return redirect("export_job", pk=job.pk)
    rows = list(exports.rows(persons))
    record_access(request, AccessAction.EXPORT, _("Person list export"), record_count=len(rows) - 1)
    respond = xlsx_response if fmt == "xlsx" else csv_response
    return respond("persons", rows)


@role_required(Role.CITY, Role.COUNTY)
def export_job(request, pk):
    job = get_visible_or_404(ExportJob, request.user, pk=pk)
    return render(request, "enrollment/export_job.html", {
        "job": job, "pending": job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
    })


@role_required(Role.CITY, Role.COUNTY)
def export_download(request, pk):
    job = get_visible_or_404(ExportJob, request.user, pk=pk)
    if job.status != ExportStatus.DONE or not job.file or not job.file.storage.exists(job.file.name):
        raise Http404
    record_access(request, AccessAction.EXPORT, _("Person list export"), record_count=job.row_count)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=exports.filename(job))


@role_required(*PERSONAL_DATA_ROLES)
def person_detail(request, pk):
    user = request.user
    person = selectors.person_detail(user, pk)
    record_access(request, AccessAction.VIEW_DETAIL, _("Person file"), person=person)
    changes = corrections.described(list(corrections.of_person(user, person)[:50]))
    if not user.is_bureau:
        return render(request, "enrollment/person_partner.html", {
            "person": person, "id_shown": id_numbers.mask(person.id_number or ""), "changes": changes,
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
        "changes": changes, "can_propose": user.role == Role.COUNTY and person.county_id == user.area_id,
        "pending_changes": sum(1 for change in changes if change.status == ChangeStatus.PENDING),
        **history,
    })


@require_POST
@role_required(Role.COUNTY)
def transfer_decide(request, pk):
    transfer = get_visible_or_404(selectors.transfers(request.user), request.user, pk=pk)
    accept = request.POST.get("accept") == "1"
    try:
        services.decide_transfer(transfer=transfer, accept=accept, user=request.user)
    except services.StaleDecision:
        messages.error(request, _("This transfer was decided meanwhile."))
    else:
        messages.success(request, _("Transfer confirmed.") if accept else _("Transfer returned."))
    if request.POST.get("next") == "list":
        return redirect("transfers")
    return redirect("person_detail", transfer.person_id)


@role_required(Role.COUNTY)
def transfer_list(request):
    pending = list(selectors.transfers(request.user).filter(status=Decision.PENDING).order_by("requested_at")[:500])
    record_access(request, AccessAction.VIEW_LIST, _("School transfers"), record_count=len(pending))
    return render(request, "enrollment/transfer_list.html", {"transfers": pending})
