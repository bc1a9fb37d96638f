"""Submitted dispatch tables, frozen as sent; dispatch figures stored by the background runs."""
import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted by the city")
    RETURNED = "returned", _("Returned to the county")


class SubmittedReport(models.Model):
    """One version of a county's dispatch table for one reporting period, as submitted.

    ``figures`` holds every column's value ({column key: int}) computed at submission; nothing
    recomputes it afterwards, so later imports never change a report already sent. The city
    accepts a version or returns it with a reason; a returned version stays as it was and the
    county submits a new one (``version`` + 1). At most one version of a county and period is
    not returned (awaiting review or accepted); an accepted one is final.
    The narrative (工作进展、存在问题、意见建议) and the paper form's lines (填报单位, 审核人,
    联系电话) are kept with the version they were sent with.
    """

    county = models.ForeignKey(
        "enrollment.Area", on_delete=models.PROTECT, related_name="submitted_reports",
        verbose_name=_("county"),
    )
    deadline = models.DateField(_("deadline"))
    cutoff = models.DateField(_("data as of"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    figures = models.JSONField(_("figures"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    progress = models.TextField(_("work progress"), max_length=2000, blank=True)
    problems = models.TextField(_("problems"), max_length=2000, blank=True)
    suggestions = models.TextField(_("suggestions"), max_length=2000, blank=True)
    unit = models.CharField(_("reporting unit"), max_length=100, blank=True)
    checked_by = models.CharField(_("checked by"), max_length=50, blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(_("review"), max_length=10, choices=ReviewStatus.choices,
                              default=ReviewStatus.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=500, blank=True)

    class Meta:
        ordering = ["-deadline", "county", "-version"]
        verbose_name = _("submitted report")
        verbose_name_plural = _("submitted reports")
        constraints = [
            models.UniqueConstraint(fields=["county", "deadline", "version"], name="report_version_once"),
            models.UniqueConstraint(fields=["county", "deadline"], condition=~models.Q(status="returned"),
                                    name="report_one_live_version"),
        ]

    def __str__(self):
        return f"{self.county} {self.cutoff:%Y-%m-%d} v{self.version}"

    @property
    def is_late(self):
        return self.submitted_at.date() > self.deadline

    @property
    def narrative(self):
        """(heading, text) of the narrative report, in the order the notice names them."""
        return [(_("Work progress"), self.progress), (_("Problems"), self.problems),
                (_("Suggestions"), self.suggestions)]


class ReportReminder(models.Model):
    """A 催报: the city reminded a county that its table of a period is late."""

    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("county"))
    deadline = models.DateField(_("deadline"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("sent by"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        indexes = [models.Index(fields=["county", "deadline"], name="report_reminder_period")]

    def __str__(self):
        return f"{self.county_id} {self.deadline:%Y-%m-%d}"


class DispatchFigures(models.Model):
    """One county's dispatch-table figures for one cut-off, computed in the background.

    The live computation takes seconds to tens of seconds for a city (about 21 s at 1,000,000
    persons), so the page shows these stored figures with the time they were computed. A city's
    table is the stored rows of its counties. ``figures`` stays null until the first computation
    has finished; ``computed_at`` is when the computation that made them started (the data it
    read). ``queued_at`` (and ``started_at`` once a worker has it) mark a computation under way,
    cleared when it ends; a request made while it ran stays queued for the next run.
    """

    county = models.ForeignKey(
        "enrollment.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("county"),
    )
    cutoff = models.DateField(_("data as of"))
    figures = models.JSONField(_("figures"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    queued_at = models.DateTimeField(_("computation requested at"), null=True, blank=True)
    started_at = models.DateTimeField(_("computation started at"), null=True, blank=True)

    # A computation requested longer ago than this and not finished is taken as lost (a worker
    # that died): the page stops showing it as under way and a new one can be requested.
    PENDING_FOR = datetime.timedelta(hours=1)

    class Meta:
        ordering = ["county", "-cutoff"]
        verbose_name = _("stored dispatch figures")
        verbose_name_plural = _("stored dispatch figures")
        constraints = [
            models.UniqueConstraint(fields=["county", "cutoff"], name="dispatch_figures_once_per_cutoff"),
        ]

    def __str__(self):
        return f"{self.county_id} {self.cutoff:%Y-%m-%d}"
