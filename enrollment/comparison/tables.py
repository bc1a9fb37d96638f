import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2 import A

from ..models import UninsuredReason
from ..registry import id_numbers


class CaseTable(tables.Table):
    # The bulk form sits above the table: the boxes join it by its id (no nested forms).
    select = tables.CheckBoxColumn(accessor="pk", attrs={
        "th__input": {"aria-label": _("select all"), "form": "case-bulk"},
        "td__input": {"form": "case-bulk"},
    })
    person = tables.LinkColumn("person_detail", args=[A("person_id")], accessor="person__name",
                               verbose_name=_("name"))
    id_number = tables.Column(verbose_name=_("ID number"), accessor="person__id_number", default="—",
                              orderable=False)
    county = tables.Column(verbose_name=_("county"), accessor="county__name")
    source = tables.Column(verbose_name=_("source"))  # every list kind that found the child
    organisation = tables.Column(verbose_name=_("school or provider"), accessor="entry__organisation__name",
                                 default="—", orderable=False)
    insurance_year = tables.Column(verbose_name=_("insurance year"))
    found_on = tables.DateColumn(format="Y-m-d", verbose_name=_("found uninsured on"))
    reason = tables.TemplateColumn(template_name="enrollment/includes/case_reason_cell.html",
                                   extra_context={"reasons": UninsuredReason.choices},
                                   verbose_name=_("uninsured reason"), orderable=False)
    insured_on = tables.DateColumn(format="Y-m-d", verbose_name=_("insured after outreach on"), default="—")
    trail = tables.LinkColumn("case_detail", args=[A("pk")], text=_("Referral"), verbose_name=_("referral"),
                              orderable=False, empty_values=())

    class Meta:
        empty_text = _("No uninsured children.")

    def render_id_number(self, value):
        return id_numbers.mask(value)

    def render_source(self, record):
        return record.get_sources_display()

    def value_source(self, record):
        return record.get_sources_display()


class DuplicateEnrollmentTable(tables.Table):
    person = tables.LinkColumn("person_detail", args=[A("person_id")], accessor="person__name",
                               verbose_name=_("name"))
    id_number = tables.Column(verbose_name=_("ID number"), accessor="person__id_number", default="—")
    year = tables.Column(verbose_name=_("insurance year"))
    scheme = tables.Column(verbose_name=_("scheme"))
    area_code = tables.Column(verbose_name=_("insured area"))
    paid_on = tables.DateColumn(format="Y-m-d", verbose_name=_("payment date"))
    channel = tables.Column(verbose_name=_("channel"))

    class Meta:
        empty_text = _("No duplicate enrollment.")
        orderable = False

    def render_id_number(self, value):
        return id_numbers.mask(value)

