import django_filters
from django.db.models import Q
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from ..models import AccessAction, AccessEvent
from ..portal.filters import date_filter


class AccessEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=AccessAction.choices, label=_("action"))
    user = django_filters.CharFilter(method="filter_user", label=_("user"))
    person = django_filters.CharFilter(field_name="person__name", label=_("person"))
    date_from = date_filter("at", "date__gte", _("from date"))
    date_to = date_filter("at", "date__lte", _("to date"))

    class Meta:
        model = AccessEvent
        fields = ["action", "user", "person", "date_from", "date_to"]

    def filter_user(self, queryset, name, value):
        """A login name, or a name as pages show it (陈建华, 陈)."""
        value = value.strip()
        return queryset.annotate(user_name=Concat("user__last_name", "user__first_name")).filter(
            Q(user__username=value) | Q(user_name__startswith=value))

