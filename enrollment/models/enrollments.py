from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    RESIDENT = "resident", _("Resident basic medical insurance")
    EMPLOYEE = "employee", _("Employee basic medical insurance")


class Channel(models.TextChoices):
    TAX = "tax", _("Tax collection")
    BANK = "bank", _("Bank withholding")
    FAMILY_ACCOUNT = "family_account", _("Family mutual aid from an employee account")
    SUBSIDY = "subsidy", _("Subsidised enrollment")


class EnrollmentRecord(models.Model):
    """A person's enrollment in one insurance year and scheme, from the insurance system.

    ``area_code`` is where the person is insured: the person's own county means insured here,
    any other code means insured elsewhere (异地参保).
    """

    person = models.ForeignKey(
        "enrollment.Person", on_delete=models.CASCADE, related_name="enrollments",
        db_index=False,  # enrollment_once_per_year_scheme leads with it
    )
    year = models.PositiveSmallIntegerField(_("insurance year"))
    scheme = models.CharField(_("scheme"), max_length=10, choices=Scheme.choices)
    area_code = models.CharField(_("insured area"), max_length=6)
    paid_on = models.DateField(_("payment date"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    in_concentrated_period = models.BooleanField(_("paid in the concentrated period"), default=False)
    catastrophic_paid = models.DecimalField(
        _("catastrophic insurance paid"), max_digits=12, decimal_places=2, default=0
    )
    fund_paid = models.DecimalField(
        _("fund reimbursement"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    batch = models.ForeignKey(
        "enrollment.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="enrollment_records",
    )

    class Meta:
        ordering = ["person", "year", "scheme"]
        verbose_name = _("enrollment record")
        verbose_name_plural = _("enrollment records")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "scheme"], name="enrollment_once_per_year_scheme"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "person", "paid_on"], name="enrollment_year_person"),
            # A county's records of a year with their persons and payment days, read from the index
            # alone: the comparison's "insured here" (one read per run, not a record per row), the
            # dispatch table's insured block and the scoping tie "insured in the county".
            models.Index(fields=["area_code", "year", "person", "paid_on"], name="enrollment_area_year_person"),
            # The few records of a scheme other than the residents' (a child enrolled twice has
            # one): the comparison's duplicate-enrollment count reads them alone, not the
            # province's records of the year.
            models.Index(fields=["year", "person"], name="enrollment_other_scheme",
                         condition=~models.Q(scheme=Scheme.RESIDENT)),
        ]

    def __str__(self):
        return f"{self.year} {self.get_scheme_display()}"
