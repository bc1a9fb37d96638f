"""Pages of issue 19: the renewal worklist, household notices, messages to guardians and
sampled call-backs. Glue only: reads through the scoped selectors of each module, writes
through their services; every list, export and print is audited."""
import datetime

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from enrollment.access.audit import AccessAction, record_access
from enrollment.access.roles import role_required
from enrollment.access.scoping import get_visible_or_404
from enrollment.models import Role
from enrollment.models.accounts import BUREAU_ROLES

from . import callbacks, guardian_sms, households, renewals
from .family_forms import (
    AssignStaffForm,
    CallbackOutcomeForm,
    MessageFilter,
    PreferenceForm,
    RenewalAssignForm,
    RenewalFilter,
    SampleForm,
)
from .family_tables import CallbackTable, MessageTable, PartnerRateTable, ReasonRateTable, RenewalTable
from .household_notices import render_household_pdf
from .models import CallbackSample, MessagePurpose
from .services import OutreachError
from .views import PER_PAGE, _list_page

HOUSEHOLD_NOTICE_LIMIT = 500  # children per PDF laid out while the user waits


def _chosen(request, queryset):
    """The rows a POST acts on: all that match the filter, or the ticked ones."""
    if request.POST.get("scope") == "filtered":
        return queryset
    return queryset.filter(pk__in=[v for v in request.POST.getlist("select") if v.isdigit()])


@role_required(*BUREAU_ROLES)
def renewal_list(request):
    user = request.user
    today = datetime.date.today()
    found = renewals.user_windows(user, today)
    children = RenewalFilter(request.GET, queryset=renewals.children(user, today=today), request=request)
    form = RenewalAssignForm(request.POST if request.POST.get("action") == "tasks" else None, user=user)
    if request.method == "POST":
        if user.role != Role.COUNTY:
            raise Http404  # city staff read; the county acts
        response = _renewal_action(request, form, _chosen(request, children.qs), found, today)
        if response is not None:
            return response
    book = renewals.CostBook(found, today) if found else None
    table = RenewalTable(children.qs, book=book)
    response = _list_page(request, table, subject=_("Renewal worklist"), filename=_("renewals"))
    if response:
        return response
    ids = list(children.qs.values_list("pk", flat=True))
    window = next(iter(found.values()), None)
    return render(request, "outreach/renewal_list.html", {
        "filter": children, "table": table, "form": form, "may_act": user.role == Role.COUNTY,
        "counts": households.count(ids), "window": window,
        "days_left": window.days_left(today) if window else None,
    })


def _renewal_action(request, form, chosen, found, today):
    action = request.POST.get("action")
    user = request.user
    if action == "tasks":
        if not form.is_valid():
            return None
        try:
            created, covered = renewals.create_renewal_tasks(user=user, persons=chosen, today=today,
                                                             **form.cleaned_data)
        except OutreachError as error:
            form.add_error(None, error.message)
            return None
        messages.success(request, _("%(count)s outreach tasks created for %(children)s children.") % {
            "count": created, "children": covered})
    elif action == "sms":
        window = found[user.area_id]
        ids = list(chosen.values_list("pk", flat=True))
        queued, limited = guardian_sms.queue(county_id=user.area_id, purpose=MessagePurpose.RENEWAL, person_ids=ids,
                                             year=window.year, deadline=window.end, user=user, today=today)
        record_access(request, AccessAction.CHANGE, _("Messages to guardians"), record_count=queued)
        messages.success(request, _("%(count)s messages queued; %(limited)s guardians already had one this week.") % {
            "count": queued, "limited": limited})
    elif action == "notices":
        ids = list(chosen.values_list("pk", flat=True))
        if not ids or len(ids) > HOUSEHOLD_NOTICE_LIMIT:
            messages.error(request, _("Choose at least one child.") if not ids else _(
                "At most %(limit)s children at a time: filter by school or class first.") % {
                "limit": HOUSEHOLD_NOTICE_LIMIT})
            return redirect(request.get_full_path())
        pdf, groups = render_household_pdf(user=user, person_ids=ids, today=today)
        record_access(request, AccessAction.PRINT, _("Household notices"), record_count=len(ids))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="household-notices.pdf"'
        return response
    else:
        raise Http404
    return redirect(request.get_full_path())


@role_required(*BUREAU_ROLES)
def message_list(request):
    user = request.user
    queryset = guardian_sms.messages_for(user)
    found = MessageFilter(request.GET, queryset=queryset)
    form = PreferenceForm(request.POST or None)
    if request.method == "POST":
        if user.role != Role.COUNTY:
            raise Http404
        if form.is_valid():
            try:
                guardian_sms.record_preference(user=user, **form.cleaned_data)
            except ValueError as error:
                form.add_error("phone", str(error))
            else:
                record_access(request, AccessAction.CHANGE, _("Guardian's contact preference"))
                messages.success(request, _("The guardian's preference is recorded."))
                return redirect("outreach_messages")
    table = MessageTable(found.qs)
    response = _list_page(request, table, subject=_("Messages to guardians"), filename=_("messages"))
    return response or render(request, "outreach/message_list.html", {
        "filter": found, "table": table, "form": form, "may_act": user.role == Role.COUNTY,
    })


@role_required(*BUREAU_ROLES)
def callback_list(request):
    user = request.user
    form = SampleForm(request.POST or None, initial={"year": datetime.date.today().year,
                                                     "seed": datetime.date.today().isoformat()})
    if request.method == "POST":
        if user.role != Role.COUNTY:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                sample = callbacks.draw(user=user, year=data["year"], seed=data["seed"], size=data.get("size"),
                                        percent=data.get("percent"))
            except OutreachError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(count)s children drawn.") % {"count": sample.callbacks.count()})
                return redirect("outreach_callback", pk=sample.pk)
    return render(request, "outreach/callback_list.html", {
        "samples": callbacks.samples(user)[:100], "form": form, "may_act": user.role == Role.COUNTY,
    })


@role_required(*BUREAU_ROLES)
def callback_detail(request, pk):
    user = request.user
    sample = get_visible_or_404(CallbackSample, user, pk=pk)
    rows = callbacks.callbacks(user, sample)
    assign_form = AssignStaffForm(request.POST if request.POST.get("action") == "assign" else None,
                                  staff=callbacks.staff_of(user))
    outcome_form = CallbackOutcomeForm(request.POST if request.POST.get("action") == "outcome" else None)
    if request.method == "POST":
        if user.role != Role.COUNTY:
            raise Http404
        try:
            if assign_form.is_bound and assign_form.is_valid():
                count = callbacks.assign(user=user, sample=sample, staff=list(assign_form.cleaned_data["staff"]))
                messages.success(request, _("%(count)s call-backs assigned.") % {"count": count})
                return redirect("outreach_callback", pk=sample.pk)
            if outcome_form.is_bound and outcome_form.is_valid():
                callback = get_visible_or_404(rows, user, pk=outcome_form.cleaned_data["callback"])
                callbacks.record_outcome(user=user, callback=callback, outcome=outcome_form.cleaned_data["outcome"],
                                         note=outcome_form.cleaned_data["note"])
                record_access(request, AccessAction.CHANGE, _("Call-back"), person=callback.person)
                messages.success(request, _("The call-back is recorded."))
                return redirect(request.get_full_path())
        except OutreachError as error:
            messages.error(request, error.message)
    mine = request.GET.get("mine") == "1"
    if mine:
        rows = rows.filter(assigned_to=user)
    by_partner, by_reason = callbacks.report(callbacks.callbacks(user, sample))
    table = CallbackTable(rows)
    response = _list_page(request, table, subject=_("Call-back sample"), filename=_("callbacks"))
    return response or render(request, "outreach/callback_detail.html", {
        "sample": sample, "table": table, "assign_form": assign_form, "outcome_form": outcome_form,
        "partner_table": PartnerRateTable(by_partner), "reason_table": ReasonRateTable(by_reason),
        "may_act": user.role == Role.COUNTY, "mine": mine,
        "open_rows": rows.filter(Q(outcome="")).order_by("pk")[:PER_PAGE] if user.role == Role.COUNTY else [],
    })


__all__ = ["callback_detail", "callback_list", "message_list", "renewal_list"]
