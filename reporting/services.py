"""Writes of the reporting app: submitting (freezing) a county's dispatch table."""
import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.models import Role

from . import periods
from .dispatch import figures as dispatch_figures
from .models import SubmittedReport


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
    if SubmittedReport.objects.filter(county=user.area, deadline=deadline).exists():
        raise ValidationError(_("This period has already been submitted."))
    return period


def fingerprint(figures):
    """A short digest of a county's figures: the confirmation page shows figures, the submit
    checks it freezes those same figures."""
    return hashlib.sha256(json.dumps(figures, sort_keys=True, default=str).encode()).hexdigest()[:16]


@transaction.atomic
def submit_report(*, user, deadline, now=None, note="", shown=None):
    """Freeze the county user's table for the period of ``deadline`` as it stands now.

    The figures are computed once, here, and stored; the report is never recomputed, so later
    imports do not change it. A period is submitted once per county (two clicks at once: the
    second is told so). ``shown``: the fingerprint of the figures the user confirmed; if the
    data changed since, nothing is frozen and the user is asked to look again.
    """
    now = now or timezone.now()
    period = submittable_period(user=user, deadline=deadline, now=now)
    county = user.area
    figures = dispatch_figures.compute([county], period.cutoff)[county.pk]
    if shown and shown != fingerprint(figures):
        raise FiguresChanged(_("The figures changed since they were shown (an import landed): check them again "
                               "before submitting."))
    try:
        with transaction.atomic():
            return SubmittedReport.objects.create(
                county=county, deadline=period.deadline, cutoff=period.cutoff, submitted_by=user,
                submitted_at=now, figures=figures, note=note,
            )
    except IntegrityError:
        raise ValidationError(_("This period has already been submitted."))
