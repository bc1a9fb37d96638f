from dataclasses import fields as dataclass_fields

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from enrollment.benefits.rules import BenefitParameters


class BenefitParameterSet(models.Model):
    """The numbers of the benefit rules (enrollment.benefits.rules) for one area from one date.

    A set applies to its area and to every area below it that has no set of its own, from
    ``effective_from`` until the next set of the same area takes over. With no set up the
    chain, the national defaults in code apply (enrollment.benefits.quotes.parameters_for).
    """

    area = models.ForeignKey(
        "enrollment.Area", on_delete=models.PROTECT, related_name="benefit_parameter_sets",
        verbose_name=_("area"),
    )
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    original_cap = models.DecimalField(_("original catastrophic cap"), max_digits=12, decimal_places=2)
    continuous_reward_per_year = models.DecimalField(
        _("continuous-enrollment reward per year"), max_digits=10, decimal_places=2
    )
    zero_claim_reward_per_year = models.DecimalField(
        _("zero-claim reward per year"), max_digits=10, decimal_places=2
    )
    reward_ceiling_ratio = models.DecimalField(_("reward ceiling ratio"), max_digits=4, decimal_places=3)
    continuous_years_before_reward = models.PositiveSmallIntegerField(_("years before a reward"))
    rewards_from_year = models.PositiveSmallIntegerField(_("rewards from year"))
    waiting_rules_from = models.DateField(_("waiting rules from"))
    fixed_waiting_months = models.PositiveSmallIntegerField(_("fixed waiting months"))
    variable_waiting_months_per_break_year = models.PositiveSmallIntegerField(
        _("variable waiting months per break year")
    )
    repair_months_per_back_paid_year = models.PositiveSmallIntegerField(
        _("months repaired per back-paid year")
    )
    long_break_years = models.PositiveSmallIntegerField(_("long break years"))
    long_break_floor_months = models.PositiveSmallIntegerField(_("waiting floor after a long break"))
    break_gap_months = models.PositiveSmallIntegerField(
        _("payment gap that breaks continuity (months)"), null=True, blank=True
    )
    concentrated_start_month = models.PositiveSmallIntegerField(_("concentrated period start month"))
    concentrated_start_day = models.PositiveSmallIntegerField(_("concentrated period start day"))
    concentrated_end_month = models.PositiveSmallIntegerField(_("concentrated period end month"))
    concentrated_end_day = models.PositiveSmallIntegerField(_("concentrated period end day"))
    newborn_days = models.PositiveSmallIntegerField(_("newborn enrollment days"))
    newborn_birth_year_exempt = models.BooleanField(_("newborns exempt in the birth year"))
    exempt_groups = models.JSONField(_("exempt special groups"), default=list, blank=True)
    transfer_in_reasons = models.JSONField(_("transfer-in reasons"), default=list, blank=True)
    transfer_in_grace_months = models.PositiveSmallIntegerField(_("transfer-in grace months"))
    transfer_in_from_next_month_reasons = models.JSONField(
        _("transfer-in reasons counted from the next month"), default=list, blank=True
    )
    employee_years_count = models.BooleanField(_("employee years count as continuous"))

    class Meta:
        ordering = ["area", "-effective_from"]
        verbose_name = _("benefit parameter set")
        verbose_name_plural = _("benefit parameter sets")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "effective_from"], name="benefit_parameters_once_per_date"
            ),
        ]

    def __str__(self):
        return f"{self.area} {self.effective_from}"

    def clean(self):
        try:
            self.to_parameters()
        except (ValueError, TypeError) as error:
            raise ValidationError(str(error))

    def to_parameters(self) -> BenefitParameters:
        return BenefitParameters(
            **{f.name: getattr(self, f.name) for f in dataclass_fields(BenefitParameters)}
        )

    @classmethod
    def field_values(cls, parameters: BenefitParameters) -> dict:
        """Model field values for a BenefitParameters (tuples stored as JSON lists)."""
        values = {}
        for f in dataclass_fields(BenefitParameters):
            value = getattr(parameters, f.name)
            values[f.name] = list(value) if isinstance(value, tuple) else value
        return values
