"""The comparison page (数据比对), the closed-loop list of uninsured children with their
reasons, and the duplicate-enrollment list."""
import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..access.audit import record_access
from ..access.roles import role_required
from ..access.scoping import get_visible_or_404
from ..access.selectors import area_names
from ..models import AccessAction, CaseReferral, Decision, ListSource, Role, UninsuredCase
from ..models.accounts import BUREAU_ROLES
from ..models.lists import COMPARED_SOURCES
from ..portal.filters import county_column_hidden
from ..portal.params import MAX_PER_PAGE, paginate
from ..registry import selectors as registry
from ..registry.periods import insurance_year
from ..registry.tables import PersonTable
from . import listed, selectors, services
from .filters import CaseFilter
from .forms import CaseBulkForm, CaseReasonForm, ComparisonForm
from .runs import ComparisonRefused, people_of_run, run_comparison
from .tables import CaseTable, DuplicateEnrollmentTable

FIGURE_LABELS = {
    "on_list": gettext_lazy("On the list"), "insured_here": gettext_lazy("Insured here"),
    "insured_elsewhere": gettext_lazy("Insured elsewhere"), "uninsured": gettext_lazy("Found uninsured"),
    "after_outreach": gettext_lazy("Insured after outreach"), "still_uninsured": gettext_lazy("Still uninsured"),
}
# The figures of a run, in the order shown; each links to the people behind it.
RUN_FIGURES = ("on_list", "insured_here", "insured_elsewhere", "uninsured", "after_outreach", "still_uninsured")


def _source_rows(run):
    labels = dict(ListSource.choices)
    return [
        {"source": source, "label": labels.get(source, source),
         "cells": [(figure, figures.get(figure)) for figure in RUN_FIGURES], "cases_opened": figures.get("cases_opened")}
        for source, figures in run.results.get("sources", {}).items()
    ]


@role_required(*BUREAU_ROLES)
def comparison_page(request):
    form = ComparisonForm(initial={"as_of": datetime.date.today()})
    if request.method == "POST" and request.user.role == Role.COUNTY:
        form = ComparisonForm(request.POST)
        if form.is_valid():
            try:
                run = run_comparison(county=request.user.area, as_of=form.cleaned_data["as_of"], user=request.user)
            except ComparisonRefused as refused:
                form.add_error("as_of", refused.message)
            else:
                messages.success(request, _("Comparison done as of %(date)s.") % {"date": run.as_of})
                return redirect("comparison_run", run.pk)
    runs = selectors.comparison_runs(request.user)[:20]
    latest = runs[0] if runs else None
    return render(request, "enrollment/comparison.html", {
        "form": form if request.user.role == Role.COUNTY else None,
        "runs": runs, "latest": latest, "rows": _source_rows(latest) if latest else [],
    })


@role_required(*BUREAU_ROLES)
def comparison_run(request, pk):
    """One run of 历次比对: its figures per source, the lists it compared, links to the people."""
    run = get_visible_or_404(selectors.comparison_runs(request.user), request.user, pk=pk)
    return render(request, "enrollment/comparison_run.html", {
        "run": run, "rows": _source_rows(run), "lists": run.results.get("lists", []),
    })


@role_required(*BUREAU_ROLES)
def comparison_run_people(request, pk, source, figure):
    """The persons behind one figure of a run, recomputed by the same definition, IDs masked."""
    run = get_visible_or_404(selectors.comparison_runs(request.user), request.user, pk=pk)
    if source not in COMPARED_SOURCES or figure not in listed.FIGURES:
        raise Http404
    persons = people_of_run(registry.person_list(request.user, today=run.as_of), run, source, figure)
    table = PersonTable(persons)
    paginate(request, table, per_page=50)
    labels = dict(ListSource.choices)
    label = f"{labels.get(source, source)}·{FIGURE_LABELS[figure]}"
    record_access(request, AccessAction.VIEW_LIST,
                  _("Comparison figure %(label)s, %(area)s as of %(date)s")
                  % {"label": label, "area": run.county.name, "date": run.as_of},
                  record_count=table.paginator.count, county=run.county)
    return render(request, "enrollment/comparison_people.html", {"run": run, "label": label, "table": table})


@role_required(*BUREAU_ROLES)
def case_list(request):
    cases = CaseFilter(request.GET, queryset=selectors.uninsured_cases(request.user), request=request)
    county_staff = request.user.role == Role.COUNTY
    table = CaseTable(cases.qs, exclude=county_column_hidden(request.user) + (() if county_staff else ("select",)))
    paginate(request, table, per_page=50)
    record_access(request, AccessAction.VIEW_LIST, _("Uninsured children"),
                  record_count=len(table.page.object_list))
    return render(request, "enrollment/case_list.html", {
        "filter": cases, "table": table, "reason_form": CaseReasonForm(), "bulk_form": CaseBulkForm(),
        "can_set_reason": county_staff,
    })


@require_POST
@role_required(Role.COUNTY)
def case_reason(request, pk):
    case = get_visible_or_404(UninsuredCase.objects.select_related("person"), request.user, pk=pk)
    form = CaseReasonForm(request.POST)
    if form.is_valid() and case.is_open and case.county_id == request.user.area_id:
        services.set_case_reason(case=case, reason=form.cleaned_data["reason"],
                                 note=form.cleaned_data["note"], user=request.user)
        record_access(request, AccessAction.CHANGE, _("Uninsured reason set"), person=case.person)
        messages.success(request, _("Reason saved for %(name)s.") % {"name": case.person.name})
    else:
        messages.error(request, _("The reason could not be saved."))
    return redirect("cases")


@require_POST
@role_required(Role.COUNTY)
def case_bulk(request):
    """The list's bulk action: a reason, or a referral, for the chosen rows (scoped)."""
    user = request.user
    # One page of the list at most (a forged POST of a million ids is cut there).
    ids = [v for v in request.POST.getlist("select")[:MAX_PER_PAGE] if v.isdigit()]
    chosen = selectors.uninsured_cases(user).filter(pk__in=ids)
    back = redirect(f"{reverse('cases')}?{request.POST.get('query', '')}")
    if not ids:
        messages.error(request, _("Choose at least one child in the list."))
        return back
    form = CaseBulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors.as_text())
        return back
    data = form.cleaned_data
    if data["action"] == CaseBulkForm.REASON:
        count = services.set_case_reasons(cases=chosen, reason=data["reason"], note=data["note"], user=user)
        messages.success(request, _("Reason saved for %(count)s children.") % {"count": count})
    else:
        count, refused = services.refer_cases(cases=chosen, to=data["refer_to"], reason=data["note"], user=user)
        messages.success(request, _("%(count)s cases referred.") % {"count": count})
        for name, message in refused[:20]:
            messages.error(request, f"{name}：{message}")
    record_access(request, AccessAction.CHANGE, _("Uninsured cases changed in bulk"), record_count=count)
    return back


@role_required(*BUREAU_ROLES)
def case_detail(request, pk):
    """One case with its referral trail; the county handling it may refer it, the county it
    is referred to may accept or return it."""
    user = request.user
    case = get_visible_or_404(selectors.uninsured_cases(user), user, pk=pk)
    record_access(request, AccessAction.VIEW_DETAIL, _("Uninsured case"), person=case.person)
    referrals = case.referrals.select_related("from_county", "to_county", "referred_by", "answered_by")
    pending = next((r for r in referrals if r.status == Decision.PENDING), None)
    targets = services.referral_targets(case) if case.county_id == user.area_id and case.is_open else []
    names = area_names(targets)
    return render(request, "enrollment/case_detail.html", {
        "case": case, "referrals": referrals, "pending": pending,
        "targets": [] if pending else [(code, names.get(code, code)) for code in targets],
        "can_answer": pending is not None and pending.to_county_id == user.area_id,
    })


@require_POST
@role_required(Role.COUNTY)
def case_refer(request, pk):
    case = get_visible_or_404(selectors.uninsured_cases(request.user), request.user, pk=pk)
    try:
        services.refer_case(case=case, to_county=request.POST.get("to_county", ""),
                            reason=request.POST.get("reason", ""), user=request.user)
    except services.ReferralRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The case was referred."))
    return redirect("case_detail", case.pk)


@require_POST
@role_required(Role.COUNTY)
def referral_answer(request, pk):
    referral = get_visible_or_404(CaseReferral, request.user, pk=pk)
    accept = request.POST.get("accept") == "1"
    try:
        services.answer_referral(referral=referral, accept=accept, answer=request.POST.get("answer", ""),
                                 user=request.user)
    except services.ReferralRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Referral accepted: the case is now yours.") if accept
                         else _("Referral returned."))
    return redirect("case_detail", referral.case_id)


@role_required(*BUREAU_ROLES)
def referral_list(request):
    referrals = list(selectors.referrals(request.user).select_related("case__person", "from_county", "to_county")
                     .order_by("status", "-referred_at")[:500])
    record_access(request, AccessAction.VIEW_LIST, _("Referrals"), record_count=len(referrals))
    return render(request, "enrollment/referral_list.html", {"referrals": referrals})


@role_required(*BUREAU_ROLES)
def duplicate_list(request):
    year = insurance_year(datetime.date.today())
    try:
        year = int(request.GET.get("year", year))
    except ValueError:
        pass
    table = DuplicateEnrollmentTable(selectors.duplicate_enrollment_records(request.user, year))
    paginate(request, table, per_page=50)
    record_access(request, AccessAction.VIEW_LIST, _("Duplicate enrollment"),
                  record_count=len(table.page.object_list))
    return render(request, "enrollment/duplicates.html", {"table": table, "year": year})
