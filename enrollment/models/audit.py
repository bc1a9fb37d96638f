from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW_LIST = "view_list", _("Viewed a list")
    VIEW_DETAIL = "view_detail", _("Viewed a person")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    DOWNLOAD = "download", _("Downloaded a file")
    PRINT = "print", _("Printed")


class AccessEvent(models.Model):
    """The read and write log of personal data: who, what, which person, when, from where."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=12, choices=AccessAction.choices)
    county = models.ForeignKey(
        "enrollment.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("county"),
    )
    person = models.ForeignKey(
        "enrollment.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("person"),
    )
    subject = models.CharField(_("what"), max_length=200)
    record_count = models.PositiveIntegerField(_("records"), default=0)
    path = models.CharField(_("address"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        indexes = [models.Index(fields=["county", "at"], name="access_county_at")]
