from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    SCHOOL_ROSTER = "school_roster", _("School roster")
    HEALTH_LIST = "health_list", _("Vaccination / village clinic list")
    NEWBORNS = "newborns", _("Newborns from the birth one-stop service")
    ENROLLMENT = "enrollment", _("Enrollment extract")
    WITHHOLDING = "withholding", _("Bank or payroll withholding results")
    SPECIAL_GROUPS = "special_groups", _("Special groups (civil affairs, disabled persons, rural revitalisation)")
    POPULATION_CHANGES = "population_changes", _("Births, deaths and moves (public security)")
    MATERNITY_CLAIMS = "maternity_claims", _("Maternity claims (delivery costs reimbursed)")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Validating")
    INVALID = "invalid", _("Has errors")
    READY = "ready", _("Ready to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportBatch(models.Model):
    """One uploaded file, from upload through validation to the one atomic write."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    county = models.ForeignKey(
        "enrollment.Area", on_delete=models.PROTECT, related_name="import_batches",
        verbose_name=_("county"),
    )
    organisation = models.ForeignKey(
        "enrollment.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="import_batches", verbose_name=_("uploading organisation"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="import_batches", verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    task_id = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # The day a partner's list describes (数据截至日期), given at upload; lists arrive days or
    # weeks after it. Which lists count for a cut-off follows from it
    # (``importing.selectors.counting_lists``). Empty for enrollment extracts and withholding
    # results, which carry their own payment dates.
    list_date = models.DateField(_("data as of"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.original_name
