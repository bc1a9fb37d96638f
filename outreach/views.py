"""Outreach pages: tasks, assigning uninsured children, progress, newborns, notifications.
Views only glue: reads go through ``selectors`` (scoped), writes through ``services``."""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enrollment.access.audit import AccessAction, record_access
from enrollment.access.roles import role_required
from enrollment.models import Role
from enrollment.models.accounts import BUREAU_ROLES
from enrollment.portal.exporting import table_response
from enrollment.portal.filters import county_column_hidden
from enrollment.portal.params import paginate

from . import selectors, services
from .filters import CaseFilter, PartnerTaskFilter, ProgressFilter, TaskFilter
from .forms import AssignForm, ContactForm, TaskChangeForm, TaskNoticeForm
from .roles import ALL_ROLES, NEWBORN_ROLES, PRINTING_ROLES
from .tables import CaseTable, NewbornTable, PartnerProgressTable, SchoolProgressTable, TaskTable, masked_id

EXPORT_FORMATS = ("csv", "xlsx")
PER_PAGE = 50


def _list_page(request, table, *, subject, filename):
    """Export the whole filtered table when ``?export=csv|xlsx``, else paginate it; audit both."""
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        response = table_response(table, filename, fmt)
        record_access(request, AccessAction.EXPORT, subject, record_count=len(table.rows))
        return response
    paginate(request, table, per_page=PER_PAGE)
    record_access(request, AccessAction.VIEW_LIST, subject, record_count=len(table.page.object_list))
    return None


def filtered_tasks(request):
    """The user's tasks as filtered by the query string (bureau and partner filters differ)."""
    user = request.user
    filter_class = TaskFilter if user.is_bureau else PartnerTaskFilter
    return filter_class(request.GET, queryset=selectors.tasks(user), request=request)


@role_required(*ALL_ROLES)
def task_list(request):
    user = request.user
    tasks = filtered_tasks(request)
    table = TaskTable(tasks.qs, exclude=county_column_hidden(user))
    response = _list_page(request, table, subject=_("Outreach tasks"), filename=_("outreach-tasks"))
    return response or render(request, "outreach/task_list.html", {
        "filter": tasks, "table": table, "notice_form": TaskNoticeForm(),
        "may_print": user.role in PRINTING_ROLES,
    })


@role_required(*ALL_ROLES)
def task_detail(request, pk):
    task = selectors.task(request.user, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_contact(user=request.user, task=task, **form.cleaned_data)
        except services.OutreachError as error:
            form.add_error(None, error.message)
        else:
            record_access(request, AccessAction.CHANGE, _("Outreach contact"), person=task.person)
            messages.success(request, _("The contact is recorded."))
            return redirect("outreach_task", pk=task.pk)
    record_access(request, AccessAction.VIEW_DETAIL, _("Outreach task"), person=task.person)
    may_change = request.user.role == Role.COUNTY and task.county_id == request.user.area_id
    return render(request, "outreach/task_detail.html", {
        "task": task, "contacts": selectors.task_contacts(task), "form": form,
        "change_form": TaskChangeForm(user=request.user, task=task) if may_change else None,
        "changes": selectors.task_changes(task),
        "person_visible": selectors.person_visible(request.user, task.person_id),
        "masked_id": masked_id(task.person), "guardians": task.person.guardians.all(),
        "may_work": services.may_work(request.user, task),
    })


@require_POST
@role_required(Role.COUNTY)
def task_change(request, pk):
    """Reassign a task and/or extend its deadline (county staff), with a trail."""
    task = selectors.task(request.user, pk)
    form = TaskChangeForm(request.POST, user=request.user, task=task)
    if form.is_valid():
        try:
            services.change_task(user=request.user, task=task, **form.cleaned_data)
        except services.OutreachError as error:
            messages.error(request, error.message)
        else:
            record_access(request, AccessAction.CHANGE, _("Outreach task changed"), person=task.person)
            messages.success(request, _("The task was changed."))
    else:
        for errors in form.errors.values():
            messages.error(request, errors.as_text())
    return redirect("outreach_task", pk=task.pk)


@role_required(*BUREAU_ROLES)
def case_list(request):
    """The uninsured list: choose children (one by one or all filtered) and assign them."""
    user = request.user
    cases = CaseFilter(request.GET, queryset=selectors.open_cases(user), request=request)
    form = AssignForm(request.POST or None, user=user)
    if request.method == "POST":
        if user.role != Role.COUNTY:
            raise Http404  # city staff read; only the county assigns
        if form.is_valid():
            chosen = cases.qs
            if request.POST.get("scope") != "filtered":
                chosen = chosen.filter(pk__in=[v for v in request.POST.getlist("select") if v.isdigit()])
            try:
                created = services.create_tasks(user=user, cases=chosen, **form.cleaned_data)
            except services.OutreachError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(count)s outreach tasks created.") % {"count": created})
                return redirect(request.get_full_path())
    table = CaseTable(cases.qs)
    response = _list_page(request, table, subject=_("Uninsured children"), filename=_("uninsured"))
    return response or render(request, "outreach/case_list.html", {
        "filter": cases, "table": table, "form": form, "may_assign": user.role == Role.COUNTY,
    })


@role_required(*BUREAU_ROLES)
def progress(request):
    by_school = request.GET.get("by") == "school"
    tasks = ProgressFilter(request.GET, queryset=selectors.tasks(request.user), request=request)
    if by_school:
        table = SchoolProgressTable(list(selectors.progress_by_school(tasks.qs)))
    else:
        table = PartnerProgressTable(list(selectors.progress_by_partner(tasks.qs)))
    subject = _("Outreach progress per school") if by_school else _("Outreach progress per partner")
    response = _list_page(request, table, subject=subject, filename=_("outreach-progress"))
    return response or render(request, "outreach/progress.html", {
        "filter": tasks, "table": table, "by_school": by_school,
    })


@role_required(*NEWBORN_ROLES)
def newborn_list(request):
    today = datetime.date.today()
    newborns = selectors.newborns(request.user, today=today)
    days = selectors.newborn_days_by_county(
        newborns.order_by().values_list("county_id", flat=True).distinct(), today)
    closed = selectors.past_newborn_deadline(today, days)
    past = newborns.filter(closed)
    state = request.GET.get("state")
    if state == "past":
        newborns = past
    elif state == "open":
        newborns = newborns.exclude(closed)
    exporting = request.GET.get("export") in EXPORT_FORMATS
    table = NewbornTable(newborns, today=today, days_by_county=days, exclude=("guardian",) if exporting else ())
    if not exporting:  # phones for the page's rows only; exports carry none
        paginate(request, table, per_page=PER_PAGE)
        table.guardians = selectors.guardian_contacts(request.user, [row.record.pk for row in table.page.object_list])
    response = _list_page(request, table, subject=_("Newborns without insurance"), filename=_("newborns"))
    windows = sorted(set(days.values())) or [selectors.NEWBORN_DAYS]
    window = f"{windows[0]}" if len(windows) == 1 else f"{windows[0]}–{windows[-1]}"
    return response or render(request, "outreach/newborn_list.html", {
        "table": table, "past_count": past.count(), "state": state or "", "window": window,
    })


@login_required
def notification_list(request):
    notifications = selectors.notifications(request.user)
    if request.method == "POST":
        services.mark_notifications_read(user=request.user)
        return redirect("outreach_notifications")
    return render(request, "outreach/notifications.html", {
        "notifications": notifications[:100], "unread": selectors.unread_count(request.user),
    })



