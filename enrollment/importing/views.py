"""Pages of the import flow: upload -> validation report -> confirm; the import list, the
stored file, progress (JSON polled by the page) and the layout templates."""
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..access.audit import record_access
from ..access.roles import role_required
from ..access.scoping import get_visible_or_404
from ..models import AccessAction, ImportBatch, ImportStatus, Role
from ..portal.exporting import XLSX_TYPE, csv_response, file_response, xlsx_response
from ..portal.params import paginate
from . import feeds, readers, rejected, selectors, services, tasks
from .forms import UploadForm, kinds_for
from .layouts import LAYOUTS
from .tables import ImportBatchTable

IMPORT_ROLES = (Role.CITY, Role.COUNTY, Role.SCHOOL, Role.HEALTH)
COUNT_LABELS = {
    "rows": gettext_lazy("Rows"),
    "persons_created": gettext_lazy("New persons"),
    "persons_updated": gettext_lazy("Persons updated"),
    "school_places_written": gettext_lazy("Schools and classes recorded"),
    "persons_of_other_counties": gettext_lazy("Persons on file in another county (left unchanged)"),
    "ids_assigned": gettext_lazy("ID numbers added to newborn records"),
    "merged": gettext_lazy("Newborn records merged"),
    "guardians_added": gettext_lazy("Guardians added"),
    "entries": gettext_lazy("List entries"),
    "schools_created": gettext_lazy("Schools registered"),
    "providers_created": gettext_lazy("Vaccination points registered"),
    "records_created": gettext_lazy("Enrollment records added"),
    "records_updated": gettext_lazy("Enrollment records updated"),
    "cases_closed": gettext_lazy("Uninsured cases closed as insured"),
    "cases_insured_elsewhere": gettext_lazy("Cases found insured elsewhere"),
}
COUNT_LABELS.update(feeds.COUNT_LABELS)
DEFAULT_BACKGROUND_ROWS = 5000


def background_rows():
    """Files with more data rows than this are validated and imported by a Celery task."""
    return int(getattr(settings, "IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))


def _get_batch(request, pk):
    return get_visible_or_404(selectors.import_batches(request.user), request.user, pk=pk)


@role_required(*IMPORT_ROLES)
def import_list(request):
    form = UploadForm(user=request.user) if kinds_for(request.user) else None
    if request.method == "POST" and form is not None:
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            batch = _stage(request, form)
            if batch is not None and selectors.import_batches(request.user).filter(pk=batch.pk).exists():
                return redirect("import_detail", pk=batch.pk)
            if batch is not None:  # the same file, imported before by someone this user cannot see
                return redirect("imports")
    table = ImportBatchTable(selectors.import_batches(request.user))
    paginate(request, table, per_page=25)
    return render(request, "enrollment/import_list.html", {
        "form": form, "table": table, "layouts": LAYOUTS.values(),
    })


def _stage(request, form):
    user = request.user
    try:
        batch, created = services.stage_upload(
            kind=form.cleaned_data["kind"], county=user.area, uploaded=form.cleaned_data["file"],
            name=form.cleaned_data["file"].name, user=user, organisation=user.organisation,
            list_date=form.cleaned_data["list_date"],
        )
    except readers.FileProblem as problem:
        form.add_error("file", problem.message)
        return None
    if not created:
        messages.info(request, _("This file was imported before; nothing was changed."))
        return batch
    record_access(request, AccessAction.IMPORT, _("Uploaded %(name)s") % {"name": batch.original_name},
                  county=batch.county)
    if readers.count_rows(batch.file.path) > background_rows():
        _in_background(batch, ImportStatus.VALIDATING)
    else:
        services.validate_import(batch=batch)
    return batch


def _in_background(batch, status):
    """Hand the batch to a worker: only if it is still in the state this request read, so a
    click while a worker finishes never turns a finished batch back and runs it twice.
    Returns whether the task was queued."""
    moved = ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(
        status=status, progress=0, errors=[], error_count=0)
    if moved:
        batch.status, batch.progress, batch.errors, batch.error_count = status, 0, [], 0
        transaction.on_commit(lambda: tasks.queue(batch.pk, status))
    return bool(moved)


@role_required(*IMPORT_ROLES)
def import_detail(request, pk):
    batch = _get_batch(request, pk)
    errors = batch.errors
    if request.user.role == Role.CITY:  # the city sees no full ID number: no raw values either
        errors = [{**error, "value": ""} for error in errors]
    return render(request, "enrollment/import_detail.html", {
        "can_download_rejected": (batch.status == ImportStatus.INVALID and request.user.role != Role.CITY
                                  and rejected.has_rows(batch)),
        "batch": batch, "errors": errors, "more_errors": batch.error_count - len(errors),
        "running": batch.status in (ImportStatus.VALIDATING, ImportStatus.IMPORTING),
        "can_confirm": batch.status == ImportStatus.READY and request.user.role != Role.CITY,
        "can_retry": (batch.status in (ImportStatus.IMPORTING, ImportStatus.FAILED)
                      and request.user.role != Role.CITY),
        "unknown_columns": batch.counts.get("unknown_columns", []),
        "counts": [(COUNT_LABELS[k], v) for k, v in batch.counts.items() if k in COUNT_LABELS],
    })


@require_POST
@role_required(Role.COUNTY, Role.SCHOOL, Role.HEALTH)
def import_confirm(request, pk):
    batch = _get_batch(request, pk)
    if batch.status == ImportStatus.DONE:  # e.g. a worker that died while its commit landed
        messages.info(request, _("The import finished in the meantime; nothing was started again."))
        return redirect("import_detail", pk=batch.pk)
    if batch.status not in (ImportStatus.READY, ImportStatus.IMPORTING, ImportStatus.FAILED):
        messages.error(request, _("This file cannot be imported in its present state."))
        return redirect("import_detail", pk=batch.pk)
    record_access(request, AccessAction.IMPORT, _("Imported %(name)s") % {"name": batch.original_name},
                  county=batch.county, record_count=batch.row_count)
    if batch.status != ImportStatus.READY:
        # A retry after a worker died mid-write: its transaction was rolled back, and the write
        # locks the batch row and returns at once when another run finished it: always safe.
        if _in_background(batch, ImportStatus.IMPORTING):
            messages.info(request, _("The import was started again."))
        else:
            messages.info(request, _("The import finished in the meantime; nothing was started again."))
    elif batch.row_count > background_rows() or selectors.county_import_running(batch):
        # Large, or waiting for another import of the county (imports of a county are
        # serialised): a worker waits, the browser does not.
        _in_background(batch, ImportStatus.IMPORTING)
    else:
        batch = services.confirm_or_reject(batch=batch)
        if batch.status == ImportStatus.DONE:
            messages.success(request, _("Imported: %(rows)s rows.") % {"rows": batch.row_count})
        else:
            messages.error(request, _("The file has errors now; nothing was imported."))
    return redirect("import_detail", pk=batch.pk)


@role_required(*IMPORT_ROLES)
def import_progress(request, pk):
    batch = _get_batch(request, pk)
    return JsonResponse({
        "status": batch.status, "status_label": batch.get_status_display(), "progress": batch.progress,
        "done": batch.status not in (ImportStatus.VALIDATING, ImportStatus.IMPORTING),
    })


@role_required(Role.COUNTY, Role.SCHOOL, Role.HEALTH)
def import_file(request, pk):
    """The file as uploaded, full ID numbers and all: for the county's staff and the partner
    that sent it, not for city staff, who see masked numbers everywhere."""
    batch = _get_batch(request, pk)
    if not batch.file or not batch.file.storage.exists(batch.file.name):
        raise Http404
    record_access(request, AccessAction.DOWNLOAD, _("Downloaded %(name)s") % {"name": batch.original_name},
                  county=batch.county, record_count=batch.row_count)
    return FileResponse(batch.file.open("rb"), as_attachment=True, filename=batch.original_name)


@role_required(Role.COUNTY, Role.SCHOOL, Role.HEALTH)
def import_rejected(request, pk):
    """The file back with a reason on each rejected row, to correct and upload again: full ID
    numbers, so for the county's staff and the partner that sent it, as the file itself."""
    batch = _get_batch(request, pk)
    if (batch.status != ImportStatus.INVALID or not rejected.has_rows(batch) or not batch.file
            or not batch.file.storage.exists(batch.file.name)):
        raise Http404
    record_access(request, AccessAction.DOWNLOAD, _("Rejected rows of %(name)s") % {"name": batch.original_name},
                  county=batch.county, record_count=batch.error_count)
    stem = batch.original_name.rsplit(".", 1)[0]
    return file_response(rejected.workbook_bytes(batch), f"{stem}_待改正.xlsx", XLSX_TYPE)


@role_required(*IMPORT_ROLES)
def import_template(request, kind, fmt):
    layout = LAYOUTS.get(kind)
    if layout is None or fmt not in ("csv", "xlsx"):
        raise Http404
    rows = [layout.headers]
    filename = f"{kind}_template"
    return xlsx_response(filename, rows, sheet_title=kind) if fmt == "xlsx" else csv_response(filename, rows)
