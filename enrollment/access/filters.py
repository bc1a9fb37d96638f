import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import AccessAction, AccessEvent
from ..portal.filters import date_filter


class AccessEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=AccessAction.choices, label=_("action"))
    user = django_filters.CharFilter(field_name="user__username", label=_("user"))
    person = django_filters.CharFilter(field_name="person__name", label=_("person"))
    date_from = date_filter("at", "date__gte", _("from date"))
    date_to = date_filter("at", "date__lte", _("to date"))

    class Meta:
        model = AccessEvent
        fields = ["action", "user", "person", "date_from", "date_to"]

