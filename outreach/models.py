from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Outcome recorded")
    INSURED = "insured", _("Insured after outreach")


class Outcome(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WILL_ENROLL = "will_enroll", _("Will enroll")
    INSURED_ELSEWHERE = "insured_elsewhere", _("Insured elsewhere")
    UNWILLING = "unwilling", _("Unwilling")
    UNREACHABLE = "unreachable", _("Unreachable")
    MOVED_AWAY = "moved_away", _("Moved away")


class OutreachTask(models.Model):
    """Reach one uninsured child's family: assigned to the partner best placed to do it."""

    case = models.ForeignKey(
        "enrollment.UninsuredCase", on_delete=models.CASCADE, related_name="tasks"
    )
    person = models.ForeignKey(
        "enrollment.Person", on_delete=models.CASCADE, related_name="outreach_tasks"
    )
    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        "enrollment.Organisation", on_delete=models.PROTECT, related_name="outreach_tasks",
        verbose_name=_("assigned to"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("outreach task")
        verbose_name_plural = _("outreach tasks")
        indexes = [
            models.Index(fields=["assignee", "status"], name="task_assignee_status"),
            models.Index(fields=["county", "status", "due_on"], name="task_county_status_due"),
            models.Index(fields=["person", "status"], name="task_person_status"),
        ]
