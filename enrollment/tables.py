import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2 import A

from . import id_numbers
from .models import AccessEvent, UninsuredReason


def masked_id(person):
    """A person's key as lists, exports and notices show it: the ID number masked, or a
    newborn's birth-certificate number cut to its first four characters."""
    if person.id_number:
        return id_numbers.mask(person.id_number)
    return _("Birth certificate %(no)s") % {"no": (person.birth_certificate_no or "")[:4] + "****"}


class AccessEventTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    user = tables.Column(verbose_name=_("user"), accessor="user__username")
    person = tables.Column(verbose_name=_("person"), accessor="person__name", default="—")

    class Meta:
        model = AccessEvent
        fields = ("at", "user", "action", "subject", "person", "record_count", "ip_address", "path")
        empty_text = _("No records.")


class PersonTable(tables.Table):
    name = tables.LinkColumn("person_detail", args=[A("pk")], verbose_name=_("name"))
    id_number = tables.Column(verbose_name=_("ID number"), empty_values=(), orderable=False)
    birth_date = tables.DateColumn(format="Y-m-d", verbose_name=_("birth date"))
    sex = tables.Column(verbose_name=_("sex"))
    county = tables.Column(verbose_name=_("county"), accessor="county__name")
    school = tables.Column(verbose_name=_("school"), accessor="school__name", default="—")
    class_name = tables.Column(verbose_name=_("class"), default="—")
    insured = tables.BooleanColumn(verbose_name=_("Insured this year"), orderable=False)

    class Meta:
        empty_text = _("No persons match.")
        order_by = ()

    def render_id_number(self, record):
        return masked_id(record)


class ImportBatchTable(tables.Table):
    original_name = tables.LinkColumn("import_detail", args=[A("pk")], verbose_name=_("file name"))
    kind = tables.Column(verbose_name=_("kind"))
    county = tables.Column(verbose_name=_("county"), accessor="county__name")
    uploaded_by = tables.Column(verbose_name=_("uploaded by"), accessor="uploaded_by__username", default="—")
    uploaded_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("uploaded at"))
    status = tables.Column(verbose_name=_("status"))
    row_count = tables.Column(verbose_name=_("rows"))
    error_count = tables.Column(verbose_name=_("errors"))
    created = tables.Column(verbose_name=_("new persons"), accessor="counts__persons_created", default="—",
                            orderable=False)

    class Meta:
        empty_text = _("No imports yet.")
        order_by = ("-uploaded_at",)


class CaseTable(tables.Table):
    person = tables.LinkColumn("person_detail", args=[A("person_id")], accessor="person__name",
                               verbose_name=_("name"))
    id_number = tables.Column(verbose_name=_("ID number"), accessor="person__id_number", default="—",
                              orderable=False)
    source = tables.Column(verbose_name=_("source"))
    organisation = tables.Column(verbose_name=_("school or provider"), accessor="entry__organisation__name",
                                 default="—", orderable=False)
    insurance_year = tables.Column(verbose_name=_("insurance year"))
    found_on = tables.DateColumn(format="Y-m-d", verbose_name=_("found uninsured on"))
    reason = tables.TemplateColumn(template_name="enrollment/includes/case_reason_cell.html",
                                   extra_context={"reasons": UninsuredReason.choices},
                                   verbose_name=_("uninsured reason"), orderable=False)
    insured_on = tables.DateColumn(format="Y-m-d", verbose_name=_("insured after outreach on"), default="—")

    class Meta:
        empty_text = _("No uninsured children.")

    def render_id_number(self, value):
        return id_numbers.mask(value)


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
