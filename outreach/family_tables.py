"""Tables of issue 19's pages (django-tables2; ``as_values`` feeds the CSV/XLSX exports)."""
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from enrollment.models import UninsuredReason

from .guardian_sms import mask_name, mask_phone
from .models import UNINSURED_STRATUM
from .tables import MaskedIdColumn, masked_id


class RenewalTable(tables.Table):
    select = tables.CheckBoxColumn(accessor="pk", attrs={"th__input": {"aria-label": _("select all")}},
                                   exclude_from_export=True)
    name = tables.Column(verbose_name=_("name"))
    id_number = MaskedIdColumn(accessor="pk")
    school = tables.Column(accessor="school__name", verbose_name=_("school"), default="")
    class_name = tables.Column(verbose_name=_("class"), default="")
    guardian = tables.Column(accessor="guardian_name", verbose_name=_("guardian"), default="", orderable=False)
    phone = tables.Column(accessor="guardian_phone", verbose_name=_("guardian phone"), default="",
                          orderable=False)
    days_left = tables.Column(accessor="pk", verbose_name=_("days left"), orderable=False)
    cost = tables.Column(accessor="pk", verbose_name=_("what a lapse costs"), orderable=False)
    has_task = tables.BooleanColumn(verbose_name=_("task"), orderable=False)

    class Meta:
        empty_text = _("No child to remind.")
        orderable = False

    def __init__(self, data, *, book, **kwargs):
        super().__init__(data, **kwargs)
        self.book = book

    def render_id_number(self, record):
        return masked_id(record)

    value_id_number = render_id_number

    def render_name(self, record):
        return format_html('<a href="{}">{}</a>', reverse("person_detail", args=[record.pk]), record.name)

    def value_name(self, record):
        return record.name

    def render_days_left(self, record):
        return self.book.days_left(record)

    value_days_left = render_days_left

    def render_cost(self, record):
        return self.book.cost(record).text()

    value_cost = render_cost


class MessageTable(tables.Table):
    created_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("requested at"))
    child = tables.Column(accessor="person__name", verbose_name=_("child"))
    phone = tables.Column(verbose_name=_("guardian phone"))
    purpose = tables.Column(verbose_name=_("purpose"))
    status = tables.Column(verbose_name=_("status"))
    attempts = tables.Column(verbose_name=_("attempts"))
    sent_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("sent at"), default="")
    error = tables.Column(verbose_name=_("error"), default="")

    class Meta:
        orderable = False
        empty_text = _("No message sent.")

    def render_child(self, value):
        return mask_name(value)

    value_child = render_child

    def render_phone(self, value):
        return mask_phone(value)

    value_phone = render_phone

    def render_purpose(self, record):
        return record.get_purpose_display()

    value_purpose = render_purpose

    def render_status(self, record):
        return record.get_status_display()

    value_status = render_status


def reason_label(value):
    if value == UNINSURED_STRATUM:
        return _("Still uninsured, no reason")
    return dict(UninsuredReason.choices).get(value, value)


class CallbackTable(tables.Table):
    name = tables.Column(accessor="person__name", verbose_name=_("name"))
    id_number = MaskedIdColumn()
    reason = tables.Column(verbose_name=_("reason"))
    partner = tables.Column(accessor="partner__name", verbose_name=_("partner"), default="")
    assigned_to = tables.Column(accessor="assigned_to__display_name", verbose_name=_("call-back by"), default="")
    outcome = tables.Column(verbose_name=_("outcome"), default="")
    note = tables.Column(verbose_name=_("note"), default="")

    class Meta:
        orderable = False
        empty_text = _("No child in this sample.")

    def render_name(self, record):
        return format_html('<a href="{}">{}</a>', reverse("person_detail", args=[record.person_id]),
                           record.person.name)

    def value_name(self, record):
        return record.person.name

    def render_reason(self, value):
        return reason_label(value)

    value_reason = render_reason

    def render_outcome(self, record):
        return record.get_outcome_display()

    value_outcome = render_outcome


class RateTable(tables.Table):
    total = tables.Column(verbose_name=_("sampled"))
    confirmed = tables.Column(verbose_name=_("Reason confirmed"))
    wrong = tables.Column(verbose_name=_("Reason wrong"))
    now_insured = tables.Column(verbose_name=_("Now insured"))
    unreachable = tables.Column(verbose_name=_("Unreachable"))
    pending = tables.Column(verbose_name=_("not called yet"))
    rate = tables.Column(verbose_name=_("confirmation rate"))

    class Meta:
        orderable = False


class PartnerRateTable(RateTable):
    label = tables.Column(accessor="partner__name", verbose_name=_("partner"), default=_("no partner"))

    class Meta(RateTable.Meta):
        sequence = ("label", "...")


class ReasonRateTable(RateTable):
    label = tables.Column(accessor="reason", verbose_name=_("reason"))

    class Meta(RateTable.Meta):
        sequence = ("label", "...")

    def render_label(self, value):
        return reason_label(value)

    value_label = render_label
