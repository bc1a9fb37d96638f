"""Submitted dispatch tables, frozen as sent; dispatch figures stored by the background runs."""
import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmittedReport(models.Model):
    """One county's dispatch table for one reporting period, as submitted.

    ``figures`` holds every column's value ({column key: int}) computed at submission; nothing
    recomputes it afterwards, so later imports never change a report already sent.
    """

    county = models.ForeignKey(
        "enrollment.Area", on_delete=models.PROTECT, related_name="submitted_reports",
        verbose_name=_("county"),
    )
    deadline = models.DateField(_("deadline"))
    cutoff = models.DateField(_("data as of"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    figures = models.JSONField(_("figures"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-deadline", "county"]
        verbose_name = _("submitted report")
        verbose_name_plural = _("submitted reports")
        constraints = [
            models.UniqueConstraint(fields=["county", "deadline"], name="report_once_per_period"),
        ]

    def __str__(self):
        return f"{self.county} {self.cutoff:%Y-%m-%d}"

    @property
    def is_late(self):
        return self.submitted_at.date() > self.deadline


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
