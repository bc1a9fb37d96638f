"""Printing enrollment notices: one child at once, or a batch in the background."""
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enrollment.access.audit import AccessAction, record_access
from enrollment.access.roles import role_required
from enrollment.models import Person
from enrollment.portal.params import paginate
from enrollment.registry.periods import parse_iso_date

from .. import selectors
from ..forms import NoticeBatchForm, TaskNoticeForm, end_of_year
from ..models import NoticeScope, NoticeStatus
from ..roles import PRINTING_ROLES
from ..services import OutreachError
from ..tables import NoticeBatchTable
from ..views import filtered_tasks
from . import batches as notice_batches
from . import pdf as notice_pdf


@role_required(*PRINTING_ROLES)
def notice_list(request):
    user = request.user
    form = NoticeBatchForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        school, class_name = form.cleaned_data["school"], form.cleaned_data["class_name"].strip()
        persons = selectors.notice_persons_of_school(user, school, class_name)
        title = f"{school.name} {class_name}".strip()
        scope = NoticeScope.CLASS if class_name else NoticeScope.SCHOOL
        if _request(request, persons, scope, title, form.cleaned_data["pay_by"]):
            return redirect("outreach_notices")
    batches = selectors.notice_batches(user)
    table = NoticeBatchTable(batches)
    paginate(request, table, per_page=20)
    working = batches.filter(status__in=(NoticeStatus.PENDING, NoticeStatus.RUNNING)).exists()
    return render(request, "outreach/notice_list.html", {"form": form, "table": table, "working": working})


@require_POST
@role_required(*PRINTING_ROLES)
def notice_for_tasks(request):
    """A batch for the task list as filtered (the filter's query string is posted along)."""
    user = request.user
    tasks = filtered_tasks(request)
    form = TaskNoticeForm(request.POST)
    if form.is_valid():
        persons = selectors.notice_persons(user).filter(pk__in=tasks.qs.values("person_id"))
        if _request(request, persons, NoticeScope.TASKS, _("Outreach task list"),
                    form.cleaned_data["pay_by"]):
            return redirect("outreach_notices")
    for error in form.errors.values():
        messages.error(request, error.as_text())
    return redirect("outreach_notices")


def _request(request, persons, scope, title, pay_by):
    try:
        batch = notice_batches.request_batch(user=request.user, persons=persons, scope=scope,
                                             title=title, pay_by=pay_by)
    except OutreachError as error:
        messages.error(request, error.message)  # shown at the top of the page either way
        return False
    messages.success(request, _("%(count)s notices are being generated.") % {"count": batch.total})
    return True


@role_required(*PRINTING_ROLES)
def notice_download(request, pk):
    batch = selectors.notice_batch(request.user, pk)
    if not batch.file:
        return redirect("outreach_notices")
    record_access(request, AccessAction.DOWNLOAD, _("Enrollment notices: %(title)s") % {"title": batch.title},
                  record_count=batch.total, county=batch.county)
    return FileResponse(batch.file.open("rb"), as_attachment=True,
                        filename=f"{_('enrollment-notices')}-{batch.pk}.pdf", content_type="application/pdf")


@role_required(*PRINTING_ROLES)
def notice_for_person(request, pk):
    person = selectors.notice_person(request.user, pk)
    pay_by = parse_iso_date(request.GET.get("pay_by"), end_of_year())
    pdf = notice_pdf.render_pdf(Person.objects.filter(pk=person.pk), pay_by=pay_by)
    record_access(request, AccessAction.PRINT, _("Enrollment notice"), person=person)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{person.pk}.pdf"'
    return response
