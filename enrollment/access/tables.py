import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ..models import AccessEvent


class AccessEventTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    user = tables.Column(verbose_name=_("user"))
    person = tables.Column(verbose_name=_("person"), accessor="person__name", default="—")

    class Meta:
        model = AccessEvent
        fields = ("at", "user", "action", "subject", "person", "record_count", "ip_address", "path")
        empty_text = _("No records.")

    def render_user(self, value):
        return value.display_name

    value_user = render_user

