"""Pages of the reporting app: the dispatch table, its people, exports, periods, the city's
review and 催报, the 通报, the dashboard.

Bureau staff, and for the figures (never the persons behind them) the city's supervisory
departments; a partner gets 404. Areas and reports are looked up through the selectors,
which answer 404 for anything outside the user's scope.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enrollment.access.audit import record_access
from enrollment.access.roles import role_required
from enrollment.access.selectors import counties_of
from enrollment.models import AccessAction, Role
from enrollment.models.accounts import BUREAU_ROLES, FIGURE_ROLES
from enrollment.portal.exporting import file_response
from enrollment.portal.params import BadParameter, paginate, required_date
from enrollment.registry import selectors as registry
from enrollment.registry.filters import PersonFilter
from enrollment.registry.periods import parse_iso_date
from enrollment.registry.tables import PersonTable

from . import bulletin as bulletins
from . import dashboard as charts
from . import periods, selectors, services
from .dispatch import exports
from .dispatch import figures as dispatch_figures
from .dispatch import stored as stored_figures
from .forms import ReviewForm, SubmissionForm, TableChoiceForm
from .models import ReviewStatus


def _today():
    return timezone.localdate()


def _choice(request, data=None):
    """The chosen area (404 when it is outside the user's scope) and cut-off date, from the
    query string or the posted ``data``."""
    data = request.GET if data is None else data
    areas = selectors.areas_for(request.user)
    requested = data.get("area")
    if requested:
        selectors.area_for(request.user, requested, areas=areas)
    form = TableChoiceForm(data, areas=areas, today=_today())
    code, cutoff = form.choice()
    return form, selectors.area_for(request.user, code, areas=areas), cutoff


def _table_url(area, cutoff):
    return f"{reverse('reporting_dispatch')}?area={area.pk}&as_of={cutoff:%Y-%m-%d}"


@role_required(*FIGURE_ROLES)
def dispatch_table(request):
    """The table from the stored figures, with the time they were computed (see stored_figures).
    Bureau staff click a figure for the persons behind it; a supervisory department sees the
    figures only."""
    form, area, cutoff = _choice(request)
    table, stored = stored_figures.table_for(user=request.user, area=area, cutoff=cutoff)
    context = {"form": form, "area": area, "cutoff": cutoff, "table": table, "stored": stored,
               # imports and the nightly run recompute the cut-off the page opens on, no other
               "follows_imports": cutoff == periods.default_cutoff(_today()),
               "bureau": request.user.is_bureau}
    if table is not None:
        # the header cells carry their column's key: each links to its definition (口径)
        context.update(headers=dispatch_figures.header_rows(), title=exports.title(table),
                       subtitle=exports.subtitle(table), definitions=dispatch_figures.definitions())
    return render(request, "reporting/dispatch_table.html", context)


@require_POST
@role_required(*BUREAU_ROLES)
def dispatch_recompute(request):
    """Recompute the chosen table in the background; the page shows it as under way."""
    _form, area, cutoff = _choice(request, request.POST)
    if stored_figures.request_computation(area=area, cutoff=cutoff):
        messages.success(request, _("The dispatch table is being recomputed in the background."))
    else:
        messages.info(request, _("The dispatch table is already being computed."))
    return redirect(_table_url(area, cutoff))


@role_required(*FIGURE_ROLES)
def dispatch_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    _form, area, cutoff = _choice(request)
    table, _stored = stored_figures.table_for(user=request.user, area=area, cutoff=cutoff)
    if table is None:
        messages.info(request, _("The dispatch table is still being computed: download it once its figures are shown.")
                      if _stored.pending else _("The dispatch table of this date has not been computed yet: "
                                                 "compute it with the button, then download it."))
        return redirect(_table_url(area, cutoff))
    record_access(request, AccessAction.EXPORT, _("Dispatch table %(area)s as of %(date)s")
                  % {"area": area.name, "date": cutoff}, county=area if area.is_county else None)
    lines = exports.form_lines(user=request.user, area=area, today=_today())
    return file_response(exports.render(table, fmt, lines=lines), exports.filename(table, fmt),
                         exports.CONTENT_TYPES[fmt])


@role_required(*BUREAU_ROLES)
def dispatch_people(request, code, key):
    """The persons behind one figure, IDs masked, paginated, recorded in the audit log."""
    cutoff = required_date(request.GET.get("as_of"), "as_of")
    if cutoff > _today():
        raise BadParameter("as_of", _("the date is in the future"))
    area, persons = selectors.people_behind(request.user, code, key, cutoff)
    narrowed = PersonFilter(request.GET, queryset=persons, counties=counties_of(request.user),
                            schools=registry.schools_of(request.user), today=cutoff)
    table = PersonTable(narrowed.qs)
    paginate(request, table, per_page=50)
    column = dispatch_figures.COLUMN_BY_KEY[key]
    label = f"{column.group}·{column.label}" if column.group else str(column.label)
    record_access(request, AccessAction.VIEW_LIST, _("Dispatch table figure %(label)s, %(area)s as of %(date)s")
                  % {"label": label, "area": area.name, "date": cutoff},
                  record_count=table.paginator.count, county=area if area.is_county else None)
    return render(request, "reporting/dispatch_people.html", {
        "area": area, "cutoff": cutoff, "label": label, "table": table, "filter": narrowed,
        "back": f"?area={area.pk}&as_of={cutoff:%Y-%m-%d}",
    })


@role_required(*FIGURE_ROLES)
def period_list(request):
    """Per period, each county's submission, its review and the city's 催报; the city reminds
    the late counties from here, and a county submits (or submits again after a return)."""
    today = _today()
    return render(request, "reporting/period_list.html", {
        "overview": selectors.period_overview(request.user, today),
        "next_due": periods.next_due(today), "today": today,
        "can_submit": request.user.role == Role.COUNTY, "can_remind": request.user.role == Role.CITY,
        "city_wide": request.user.role in selectors.CITY_WIDE,
    })


@require_POST
@role_required(Role.CITY)
def period_remind(request, deadline):
    """催报: remind the counties late for this period (the others are not told)."""
    try:
        late = services.remind_late(user=request.user, deadline=_deadline(deadline))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reminder sent to: %(counties)s.") % {
            "counties": "、".join(county.name for county in late)})
    return redirect("reporting_periods")


@require_http_methods(["GET", "POST"])
@role_required(Role.COUNTY)
def period_submit(request, deadline):
    """GET: the figures that would be frozen and a confirmation; POST: submit and freeze."""
    day = _deadline(deadline)
    try:
        period = services.submittable_period(user=request.user, deadline=day)
        if request.method == "GET":
            return _confirm_submission(request, period)
        form = SubmissionForm(request.POST)
        if not form.is_valid():
            return _confirm_submission(request, period, form)
        report = services.submit_report(user=request.user, deadline=day, shown=request.POST.get("figures"),
                                        **form.cleaned_data)
    except services.FiguresChanged as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting_submit", deadline=deadline)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting_periods")
    messages.success(request, _("The dispatch table as of %(date)s has been submitted and frozen.")
                     % {"date": report.cutoff})
    return redirect("reporting_report", pk=report.pk)


def _submission_initial(user, returned):
    """The returned version's narrative and lines (to correct), else the form's lines from the
    submitter's account and the county's contact."""
    if returned is not None:
        return {field: getattr(returned, field) for field in services.SUBMISSION_FIELDS}
    lines = exports.form_lines(user=user, area=user.area)
    return {"unit": lines.unit, "phone": lines.phone}


def _confirm_submission(request, period, form=None):
    """The confirmation page; ``form`` is the posted one when it had errors, else a new one."""
    county = request.user.area
    figures = dispatch_figures.compute([county], period.cutoff)[county.pk]
    table = dispatch_figures.build_table(county, period.cutoff, figures={county.pk: figures})
    returned = selectors.last_version(request.user, county.pk, period.deadline)  # returned, if any
    if form is None:
        form = SubmissionForm(initial=_submission_initial(request.user, returned))
    return render(request, "reporting/submit_confirm.html", {
        "period": period, "table": table, "headers": exports.header_rows(), "form": form, "returned": returned,
        "fingerprint": services.fingerprint(figures),
        "title": exports.title(table), "subtitle": exports.subtitle(table),
    })


def _report_table(report):
    return dispatch_figures.build_table(report.county, report.cutoff, figures={report.county_id: report.figures})


@role_required(*FIGURE_ROLES)
def report_detail(request, pk):
    """One version: its figures, narrative, form lines, review, and every version of the period."""
    report = selectors.submitted_report(request.user, pk)
    table = _report_table(report)
    lines = exports.form_lines(report=report)
    return render(request, "reporting/report_detail.html", {
        "report": report, "table": table, "headers": exports.header_rows(), "lines": lines,
        "title": exports.title(table), "subtitle": exports.subtitle(table, lines),
        "versions": selectors.versions_of(request.user, report),
        "can_review": request.user.role == Role.CITY and report.status == ReviewStatus.SUBMITTED,
        "review_form": ReviewForm(),
        "can_resubmit": (request.user.role == Role.COUNTY and report.status == ReviewStatus.RETURNED
                         and not selectors.live_reports(request.user).filter(
                             county=report.county_id, deadline=report.deadline).exists()),
    })


@require_POST
@role_required(Role.CITY)
def report_review(request, pk):
    """The city accepts the version or returns it with a reason."""
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or to return the table."))
        return redirect("reporting_report", pk=selectors.submitted_report(request.user, pk).pk)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        report = services.review_report(user=request.user, pk=pk, accept=accept, reason=form.cleaned_data["reason"])
    except PermissionDenied:
        raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The table has been accepted.") if accept else _("Returned to %(county)s.") % {
            "county": report.county.name})
    return redirect("reporting_report", pk=pk)


@role_required(*FIGURE_ROLES)
def report_export(request, pk, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    report = selectors.submitted_report(request.user, pk)
    table = _report_table(report)
    record_access(request, AccessAction.EXPORT, _("Submitted dispatch table %(area)s as of %(date)s")
                  % {"area": report.county.name, "date": report.cutoff}, county=report.county)
    content = exports.render(table, fmt, lines=exports.form_lines(report=report), report=report)
    return file_response(content, exports.filename(table, fmt), exports.CONTENT_TYPES[fmt])


def _deadline(value):
    day = parse_iso_date(value)
    if day is None:
        raise Http404
    return day


@role_required(*FIGURE_ROLES)
def period_detail(request, deadline):
    """The submitted tables of one period: for the city, its counties stacked with a total."""
    period, reports, table = selectors.period_table(request.user, _deadline(deadline))
    return render(request, "reporting/period_detail.html", {
        "period": period, "reports": reports, "table": table, "headers": exports.header_rows(),
        "title": exports.title(table), "subtitle": exports.subtitle(table),
    })


@role_required(*FIGURE_ROLES)
def period_export(request, deadline, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    period, _reports, table = selectors.period_table(request.user, _deadline(deadline))
    record_access(request, AccessAction.EXPORT, _("Submitted dispatch tables %(area)s due %(date)s")
                  % {"area": table.area.name, "date": period.deadline}, county=table.area if table.area.is_county else None)
    lines = exports.form_lines(user=request.user, area=table.area, today=_today())
    return file_response(exports.render(table, fmt, lines=lines), exports.filename(table, fmt),
                         exports.CONTENT_TYPES[fmt])


def _bulletin(request, deadline):
    bulletin = bulletins.bulletin_for(request.user, _deadline(deadline))
    if bulletin is None:
        raise Http404
    return bulletin


@role_required(*selectors.CITY_WIDE)
def period_bulletin(request, deadline):
    """The city's 通报: its counties ranked by the key rates of their accepted tables."""
    return render(request, "reporting/bulletin.html", {"bulletin": _bulletin(request, deadline)})


@role_required(*selectors.CITY_WIDE)
def period_bulletin_pdf(request, deadline):
    bulletin = _bulletin(request, deadline)
    record_access(request, AccessAction.EXPORT, _("Bulletin %(area)s due %(date)s")
                  % {"area": bulletin.city.name, "date": bulletin.period.deadline})
    content = exports.pdf_from_html(render_to_string("reporting/bulletin_print.html", {"bulletin": bulletin}))
    return file_response(content, f"通报_{bulletin.city.pk}_{bulletin.period.deadline:%Y%m%d}.pdf",
                         exports.CONTENT_TYPES["pdf"])


@role_required(*FIGURE_ROLES)
def dashboard(request):
    form, area, cutoff = _choice(request)
    return render(request, "reporting/dashboard.html", {
        "form": form, "area": area, "cutoff": cutoff,
        "charts": charts.chart_data(selectors.figures_reader(request.user), area, cutoff),
    })
