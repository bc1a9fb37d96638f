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
        constraints = [
            # One partner works a case at a time: reassigning moves the task (its assignee), it
            # does not add a second one. OPEN and DONE are ``services.ACTIVE_STATUSES``.
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status__in=["open", "done"]),
                name="one_active_task_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status"], name="task_assignee_status"),
            models.Index(fields=["county", "status", "due_on"], name="task_county_status_due"),
            models.Index(fields=["person", "status"], name="task_person_status"),
        ]


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    HOME_VISIT = "home_visit", _("Home visit")
    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")
    AT_SCHOOL = "at_school", _("At school")
    OTHER = "other", _("Other")


class ContactRecord(models.Model):
    """One attempt to reach a family, recorded by the partner working the task."""

    task = models.ForeignKey(OutreachTask, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("contact date"))
    method = models.CharField(_("method"), max_length=12, choices=ContactMethod.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")


class Notification(models.Model):
    """An in-portal message to one user (reminders arrive here, by e-mail and by SMS)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=24)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read = models.BooleanField(_("read"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read"], name="notification_unread")]

    def __str__(self):
        return self.title


class ReminderLog(models.Model):
    """A reminder already sent: one row per kind, subject and recipient, never twice."""

    kind = models.CharField(_("kind"), max_length=24)
    subject_key = models.CharField(_("subject"), max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    county = models.ForeignKey(
        "enrollment.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "recipient"], name="reminder_once_per_recipient"
            ),
        ]


class CountyContact(models.Model):
    """The bureau's contact printed on notices to families."""

    county = models.OneToOneField(
        "enrollment.Area", on_delete=models.CASCADE, primary_key=True, related_name="+",
        verbose_name=_("county"),
    )
    office = models.CharField(_("office"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40)
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.CharField(_("opening hours"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("bureau contact")
        verbose_name_plural = _("bureau contacts")

    def __str__(self):
        return self.office


class NoticeScope(models.TextChoices):
    CLASS = "class", _("A class")
    SCHOOL = "school", _("A school")
    TASKS = "tasks", _("A task list")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class NoticeBatch(models.Model):
    """A PDF of enrollment notices (参保告知书) generated in the background."""

    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "enrollment.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="The partner that asked for it; empty for bureau staff.",
    )
    scope = models.CharField(_("scope"), max_length=8, choices=NoticeScope.choices)
    title = models.CharField(_("title"), max_length=200)
    person_ids = models.JSONField(default=list)
    pay_by = models.DateField(_("pay by"))
    status = models.CharField(
        _("status"), max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total = models.PositiveIntegerField(_("notices"), default=0)
    file = models.FileField(upload_to="notices/%Y/%m/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice batch")
        verbose_name_plural = _("notice batches")


class TaskChange(models.Model):
    """The trail of a task handed to another partner or given more time by county staff:
    who, when, old → new, why (issue 17)."""

    task = models.ForeignKey(OutreachTask, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    old_assignee = models.ForeignKey("enrollment.Organisation", on_delete=models.PROTECT, related_name="+")
    new_assignee = models.ForeignKey("enrollment.Organisation", on_delete=models.PROTECT, related_name="+")
    old_due_on = models.DateField()
    new_due_on = models.DateField()
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("task change")
        verbose_name_plural = _("task changes")


# Issue 19: messages to guardians and sampled call-backs (their own module).
from .family_models import (  # noqa: E402,F401
    UNINSURED_STRATUM,
    Callback,
    CallbackOutcome,
    CallbackSample,
    GuardianMessage,
    GuardianPreference,
    MessagePurpose,
    MessageStatus,
    MessageTemplate,
)
