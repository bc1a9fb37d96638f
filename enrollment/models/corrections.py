"""Corrections with approval (变更申请): a proposed change to a person's facts, decided by a
county user other than the proposer, and kept as the file's trail (who, when, what, why,
who approved)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ChangeRequest(models.Model):
    """``items``: ``[{"target", "field", "old", "new"}]``, values as text (dates ISO), where
    ``target`` is ``person``, ``guardian:<pk>``, ``guardian:new`` or ``group:<code>``. ``old``
    is what the file said when the change was proposed: a file that says something else by
    the time of approval makes the proposal stale (refused)."""

    person = models.ForeignKey("enrollment.Person", on_delete=models.CASCADE, related_name="change_requests")
    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("county"))
    organisation = models.ForeignKey(  # a partner's proposal (its own contacts of the child)
        "enrollment.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("proposed by partner"),
    )
    items = models.JSONField(_("changes"), default=list)
    reason = models.CharField(_("reason"), max_length=300)
    attachment = models.FileField(_("attachment"), upload_to="changes/%Y/%m/", blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=120, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=ChangeStatus.choices,
                              default=ChangeStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-proposed_at"]
        indexes = [
            models.Index(fields=["county", "status", "proposed_at"], name="change_county_status"),
            models.Index(fields=["person", "status"], name="change_person_status"),
        ]
