from dataclasses import fields as dataclass_fields

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from enrollment.benefits.rules import SOURCES, BenefitParameters


def _source(key, reading):
    """Admin help of a contested reading: what the value means and the sentence behind it."""
    return format_lazy("{} {}{}", reading, _("Source:"), SOURCES[key])


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
    newborn_days = models.PositiveSmallIntegerField(
        _("newborn enrollment days"),
        help_text=_source("newborn_days", _(
            "A newborn paid within these days of birth is covered from the birth date, for the "
            "birth year even when paid in the next year. Outreach's newborn deadline uses it.")),
    )
    newborn_birth_year_exempt = models.BooleanField(_("newborns exempt in the birth year"))
    exempt_groups = models.JSONField(
        _("exempt special groups"), default=list, blank=True,
        help_text=_source("exempt_groups", _(
            "Codes of the special groups with no waiting period: medical_assistance, "
            "extreme_poverty, subsistence, poverty_monitoring, orphan, unsupported, disabled, left_behind.")),
    )
    transfer_in_reasons = models.JSONField(_("transfer-in reasons"), default=list, blank=True)
    transfer_in_grace_months = models.PositiveSmallIntegerField(_("transfer-in grace months"))
    transfer_in_from_next_month_reasons = models.JSONField(
        _("transfer-in reasons counted from the next month"), default=list, blank=True
    )
    employee_years_count = models.BooleanField(
        _("employee years count as continuous"), default=False,
        help_text=_source("employee_years_count", _(
            "Off (the text's reading): only resident-scheme years count toward the continuous-"
            "enrollment reward; employee years keep continuity but are not counted.")),
    )
    same_scheme_gap_breaks = models.BooleanField(
        _("a late payment in the resident scheme breaks continuity"), default=False,
        help_text=_source("same_scheme_gap_breaks", _(
            "Contested. Off (the text's plain reading): the payment gap breaks continuity only "
            "for a change of insurance relationship across years or schemes; a resident who "
            "simply pays late is not broken (and waits the fixed period for paying outside the "
            "concentrated period). On: a late payment with the same gap is a break too.")),
    )
    break_waits_in_concentrated_period = models.BooleanField(
        _("a break paid in the concentrated period waits"), default=True,
        help_text=_source("break_waits_in_concentrated_period", _(
            "Contested. On: the national wording, anyone not continuously insured waits, even "
            "when paying in the concentrated period. Off: Lishui's plain reading, the waiting "
            "period applies only to residents who did not pay in the concentrated period.")),
    )
    newborn_code_days = models.PositiveSmallIntegerField(
        _("days a newborn may use the medical insurance code"), null=True, blank=True,
        help_text=_source("newborn_code_days", _(
            "A local measure the notice encourages: empty where the area has not adopted it; "
            "notices print the sentence only where it is set (180).")),
    )
    rejoin_cap_reduction = models.DecimalField(
        _("cap reduction in the year of rejoining after a break"), max_digits=12,
        decimal_places=2, default=0,
        help_text=_source("rejoin_cap_reduction", _(
            "Optional measure, 0 (off) unless the area decides an amount.")),
    )

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


class ContributionStandard(models.Model):
    """One area's resident contribution standard (个人缴费标准) and government subsidy per
    person for one insurance year. The back-payment that repairs a missed year costs that
    year's individual contribution ("缴费参照当年参保地的个人缴费标准"); an area without its own
    figure for a year uses the nearest area's up the chain (enrollment.benefits.quotes)."""

    area = models.ForeignKey(
        "enrollment.Area", on_delete=models.PROTECT, related_name="contribution_standards",
        verbose_name=_("area"),
    )
    year = models.PositiveSmallIntegerField(_("insurance year"))
    individual = models.DecimalField(_("individual contribution"), max_digits=10, decimal_places=2)
    subsidy = models.DecimalField(
        _("government subsidy per person"), max_digits=10, decimal_places=2,
    )
    source = models.CharField(
        _("source"), max_length=200,
        help_text=format_lazy("{} {}{}", _("The document that sets these amounts."),
                              _("Source:"), SOURCES["contribution"]),
    )

    class Meta:
        ordering = ["area", "-year"]
        verbose_name = _("contribution standard")
        verbose_name_plural = _("contribution standards")
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="contribution_once_per_year"),
        ]

    def __str__(self):
        return f"{self.area} {self.year}"
