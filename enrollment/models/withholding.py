from django.db import models
from django.utils.translation import gettext_lazy as _


class WithholdingRecord(models.Model):
    """One deduction attempt under a withholding agreement (代扣代缴协议), from a bank's or
    payroll agent's result list. Lishui's plan (004): "对已签订协议但扣缴不成功的参保人员，做好
    原因分析，提供精准服务，提升代扣代缴成功率": a failed deduction opens a case with its reason,
    and the agents' success rates are shown side by side."""

    batch = models.ForeignKey(
        "enrollment.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="withholding_records",
    )
    person = models.ForeignKey(
        "enrollment.Person", on_delete=models.CASCADE, related_name="withholding_records",
    )
    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+")
    agent = models.CharField(_("bank or payroll agent"), max_length=100)
    agreed_on = models.DateField(_("agreement date"))
    deducted_on = models.DateField(_("deduction date"))
    succeeded = models.BooleanField(_("deducted"))
    failure_reason = models.CharField(_("failure reason"), max_length=200, blank=True)
    row_number = models.PositiveIntegerField(_("row"))

    class Meta:
        verbose_name = _("withholding result")
        verbose_name_plural = _("withholding results")
        constraints = [
            models.UniqueConstraint(fields=["person", "agent", "deducted_on"],
                                    name="withholding_once_per_deduction"),
        ]
        indexes = [models.Index(fields=["county", "agent"], name="withholding_county_agent")]

    def __str__(self):
        return f"{self.agent} {self.deducted_on}"
