"""Models of issue 19: messages to guardians (短信告知) and sampled call-backs (抽样回访).

Imported by ``outreach.models`` so that they belong to the outreach app.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MessagePurpose(models.TextChoices):
    UNINSURED = "uninsured", _("Uninsured child")
    RENEWAL = "renewal", _("Renewal")
    NEWBORN = "newborn", _("Newborn deadline")


class GuardianPreference(models.Model):
    """What a guardian agreed to, per phone number within a county: the phone is where a
    message goes, and the same parent is one Guardian row per child."""

    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("guardian phone"), max_length=20)
    consent = models.BooleanField(_("agreed to text messages"), default=False)
    do_not_contact = models.BooleanField(_("do not contact"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("guardian's contact preference")
        verbose_name_plural = _("guardians' contact preferences")
        constraints = [
            models.UniqueConstraint(fields=["county", "phone"], name="guardian_preference_once"),
        ]


class MessageTemplate(models.Model):
    """The text of one purpose's message, for one county (empty county: every county).
    Placeholders: {children} (masked names), {year}, {deadline}, {office}, {phone}."""

    county = models.ForeignKey(
        "enrollment.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("county"),
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=MessagePurpose.choices)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["county", "purpose"], name="message_template_once"),
        ]

    def __str__(self):
        return self.get_purpose_display()


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Handed to the gateway")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class GuardianMessage(models.Model):
    """One text message to one guardian's phone, created before the gateway is called.

    ``request_key`` (purpose, phone, week) is unique: the weekly limit and the idempotency of
    sending both rest on it. States: queued → sending → sent → delivered, or failed."""

    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "enrollment.Person", on_delete=models.CASCADE, related_name="guardian_messages",
        verbose_name=_("child"),
    )
    phone = models.CharField(_("guardian phone"), max_length=20)
    purpose = models.CharField(_("purpose"), max_length=12, choices=MessagePurpose.choices)
    week = models.DateField(_("week of"))  # the Monday of the week it was requested
    request_key = models.CharField(max_length=80, unique=True)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    gateway_id = models.CharField(_("gateway reference"), max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to a guardian")
        verbose_name_plural = _("messages to guardians")
        constraints = [
            models.UniqueConstraint(fields=["phone", "purpose", "week"], name="guardian_message_weekly"),
        ]
        indexes = [models.Index(fields=["county", "created_at"], name="guardian_message_county")]


class CallbackSample(models.Model):
    """A reproducible random sample of a county's uninsured children after a concentrated
    period, stratified by reason and partner (抽样回访)."""

    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+")
    insurance_year = models.PositiveSmallIntegerField(_("insurance year"))
    seed = models.CharField(_("seed"), max_length=40)
    size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    percent = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2, null=True, blank=True)
    population = models.PositiveIntegerField(_("children in the population"), default=0)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("drawn by"),
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        ordering = ["-drawn_at", "-pk"]
        verbose_name = _("call-back sample")
        verbose_name_plural = _("call-back samples")


class CallbackOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Reason confirmed")
    WRONG = "wrong", _("Reason wrong")
    NOW_INSURED = "now_insured", _("Now insured")
    UNREACHABLE = "unreachable", _("Unreachable")


UNINSURED_STRATUM = "uninsured"  # the stratum of children with no reason given


class Callback(models.Model):
    """One child of a sample, to be called back by a member of staff."""

    sample = models.ForeignKey(CallbackSample, on_delete=models.CASCADE, related_name="callbacks")
    person = models.ForeignKey("enrollment.Person", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(
        "enrollment.UninsuredCase", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20)  # the case's reason, or UNINSURED_STRATUM
    partner = models.ForeignKey(
        "enrollment.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("partner"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("assigned to"),
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=CallbackOutcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["reason", "partner__name", "person__name", "pk"]
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        constraints = [
            models.UniqueConstraint(fields=["sample", "person"], name="callback_once_per_sample"),
        ]
