"""Submitted dispatch tables, frozen as sent."""
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
