"""Writes of the reporting app: submitting (freezing) a county's dispatch table."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.models import Role

from . import dispatch, periods
from .models import SubmittedReport


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
    if SubmittedReport.objects.select_for_update().filter(county=user.area, deadline=deadline).exists():
        raise ValidationError(_("This period has already been submitted."))
    return period


@transaction.atomic
def submit_report(*, user, deadline, now=None, note=""):
    """Freeze the county user's table for the period of ``deadline`` as it stands now.

    The figures are computed once, here, and stored; the report is never recomputed, so later
    imports do not change it. A period is submitted once per county.
    """
    now = now or timezone.now()
    period = submittable_period(user=user, deadline=deadline, now=now)
    county = user.area
    figures = dispatch.compute([county], period.cutoff)[county.pk]
    return SubmittedReport.objects.create(
        county=county, deadline=period.deadline, cutoff=period.cutoff, submitted_by=user,
        submitted_at=now, figures=figures, note=note,
    )
