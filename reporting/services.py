"""Writes of the reporting app: submitting (freezing) a county's dispatch table, the city's
review of it (accept, or return with a reason for a new version) and its 催报 to late counties."""
import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.access.scoping import visible_to
from enrollment.models import Role, User

from . import periods, selectors
from .dispatch import figures as dispatch_figures
from .models import ReportReminder, ReviewStatus, SubmittedReport

# What a submission carries besides its figures: the narrative report and the form's lines.
SUBMISSION_FIELDS = ("progress", "problems", "suggestions", "unit", "checked_by", "phone", "note")


class FiguresChanged(ValidationError):
    """The data changed between the confirmation page and the submit."""


def submittable_period(*, user, deadline, now=None):
    """The period of ``deadline`` if the county user may submit it now (the confirmation page
    asks before ``submit_report`` freezes it); ValidationError saying why not otherwise."""
    if user.role != Role.COUNTY or user.area is None:
        raise PermissionDenied
    period = periods.period_for(deadline)
    if period is None:
        raise ValidationError(_("%(date)s is not a reporting deadline.") % {"date": deadline})
    if period.cutoff >= timezone.localdate(now or timezone.now()):
        raise ValidationError(
            _("The data of this period are as of %(date)s: it can be submitted from the day after.")
            % {"date": period.cutoff}
        )
    if _live_versions(user.area, deadline).exists():
        raise ValidationError(_("This period has already been submitted."))
    return period


def _live_versions(county, deadline):
    """The version awaiting review or accepted (at most one): a returned one may be sent again."""
    return SubmittedReport.objects.filter(county=county, deadline=deadline).exclude(status=ReviewStatus.RETURNED)


def fingerprint(figures):
    """A short digest of a county's figures: the confirmation page shows figures, the submit
    checks it freezes those same figures."""
    return hashlib.sha256(json.dumps(figures, sort_keys=True, default=str).encode()).hexdigest()[:16]


@transaction.atomic
def submit_report(*, user, deadline, now=None, shown=None, **fields):
    """Freeze the county user's table for the period of ``deadline`` as it stands now.

    The figures are computed once, here, and stored; the report is never recomputed, so later
    imports do not change it. A period has one live version per county (two clicks at once:
    the second is told so); after the city returns it, the next submission is a new version
    and the returned one is kept. ``shown``: the fingerprint of the figures the user confirmed;
    if the data changed since, nothing is frozen and the user is asked to look again.
    ``fields``: the narrative and form lines of ``SUBMISSION_FIELDS``.
    """
    unknown = set(fields) - set(SUBMISSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    now = now or timezone.now()
    period = submittable_period(user=user, deadline=deadline, now=now)
    county = user.area
    figures = dispatch_figures.compute([county], period.cutoff)[county.pk]
    if shown and shown != fingerprint(figures):
        raise FiguresChanged(_("The figures changed since they were shown (an import landed): check them again "
                               "before submitting."))
    versions = SubmittedReport.objects.filter(county=county, deadline=period.deadline)
    version = (versions.aggregate(last=Max("version"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            return SubmittedReport.objects.create(
                county=county, deadline=period.deadline, cutoff=period.cutoff, version=version,
                submitted_by=user, submitted_at=now, figures=figures, **fields,
            )
    except IntegrityError:
        raise ValidationError(_("This period has already been submitted."))


@transaction.atomic
def review_report(*, user, pk, accept, reason="", now=None, email_backend=None):
    """The city accepts a submitted version, or returns it with a reason; the county's staff
    are told either way. Only city staff review, and only their own counties' reports (404
    otherwise); a version already reviewed is not reviewed again, so an accepted table (and
    its figures) is final."""
    if user.role != Role.CITY:
        raise PermissionDenied
    report = visible_to(SubmittedReport, user).select_for_update().filter(pk=pk).first()
    if report is None:
        raise Http404
    if report.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("This version has already been reviewed."))
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError(_("Reason for returning: please say what the county must correct."))
    report.status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
    report.reviewed_by, report.reviewed_at = user, now or timezone.now()
    report.return_reason = "" if accept else reason[:500]
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason"])
    _tell_county(report.county, kind="report_review", url=reverse("reporting_report", args=[report.pk]),
                 title=(_("The city accepted your dispatch table due %(date)s") if accept else
                        _("The city returned your dispatch table due %(date)s")) % {"date": report.deadline},
                 body=reason, email_backend=email_backend)
    return report


@transaction.atomic
def remind_late(*, user, deadline, now=None):
    """催报: remind each county of the city whose table of the period is late (the deadline
    has passed and no version is awaiting review or accepted). Recorded per county, told to
    the county's staff in the portal (and by e-mail and SMS as other reminders are). Returns
    the counties reminded."""
    if user.role != Role.CITY:
        raise PermissionDenied
    now = now or timezone.now()
    period = periods.period_for(deadline)
    if period is None:
        raise Http404
    today = timezone.localdate(now)
    late = selectors.late_counties(user, period, today)
    if not late:
        raise ValidationError(_("No county is late for this period."))
    # a second click (or a second clerk) the same day tells no county twice
    reminded_today = set(ReportReminder.objects.filter(
        deadline=period.deadline, county__in=[county.pk for county in late],
        sent_at__date=today).values_list("county_id", flat=True))
    late = [county for county in late if county.pk not in reminded_today]
    if not late:
        raise ValidationError(_("The late counties were already reminded today."))
    ReportReminder.objects.bulk_create(
        [ReportReminder(county=county, deadline=period.deadline, sent_by=user, sent_at=now) for county in late])
    for county in late:
        _tell_county(county, kind="report_reminder", url=reverse("reporting_periods"),
                     title=_("Reminder from the city: your dispatch table due %(date)s is late") % {
                         "date": period.deadline},
                     body=_("Please submit the dispatch table with data as of %(date)s.") % {"date": period.cutoff})
    return late


def _tell_county(county, *, kind, title, body="", url="", email_backend=None):
    """A message to every active staff account of the county (outreach's delivery)."""
    from outreach.delivery import Message, deliver  # the portal's one way to notify users

    staff = User.objects.filter(role=Role.COUNTY, area=county, is_active=True)
    deliver([Message(recipient=u, kind=kind, title=str(title), body=str(body), url=url) for u in staff],
            email_backend=email_backend)
