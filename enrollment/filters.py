import django_filters
from django.utils.translation import gettext_lazy as _

from .models import AccessAction, AccessEvent


class AccessEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=AccessAction.choices, label=_("action"))
    user = django_filters.CharFilter(field_name="user__username", label=_("user"))
    person = django_filters.CharFilter(field_name="person__name", label=_("person"))
    date_from = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("from date"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("to date"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AccessEvent
        fields = ["action", "user", "person", "date_from", "date_to"]
