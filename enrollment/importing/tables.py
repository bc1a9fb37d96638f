import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2 import A


class ImportBatchTable(tables.Table):
    original_name = tables.LinkColumn("import_detail", args=[A("pk")], verbose_name=_("file name"))
    kind = tables.Column(verbose_name=_("kind"))
    county = tables.Column(verbose_name=_("county"), accessor="county__name")
    list_date = tables.DateColumn(format="Y-m-d", verbose_name=_("List data as of"), default="—")
    uploaded_by = tables.Column(verbose_name=_("uploaded by"), default="—")
    uploaded_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("uploaded at"))
    status = tables.Column(verbose_name=_("status"))
    row_count = tables.Column(verbose_name=_("rows"))
    error_count = tables.Column(verbose_name=_("errors"))
    created = tables.Column(verbose_name=_("new persons"), accessor="counts__persons_created", default="—",
                            orderable=False)

    class Meta:
        empty_text = _("No imports yet.")
        order_by = ("-uploaded_at",)

    def render_uploaded_by(self, value):
        return value.display_name

    value_uploaded_by = render_uploaded_by

