import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class AgentTable(tables.Table):
    agent = tables.Column(verbose_name=_("bank or payroll agent"))
    agreements = tables.Column(verbose_name=_("people with an agreement"))
    deductions = tables.Column(verbose_name=_("deductions"))
    succeeded_count = tables.Column(verbose_name=_("succeeded"))
    failed_count = tables.Column(verbose_name=_("failed"))
    rate = tables.Column(verbose_name=_("success rate"))

    class Meta:
        orderable = False
        empty_text = _("No withholding results imported yet.")

    def render_rate(self, value):
        return f"{value * 100:.1f}%"

    def value_rate(self, value):
        return f"{value * 100:.1f}%"
