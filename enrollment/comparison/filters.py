import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import ListSource, UninsuredCase, UninsuredReason
from ..portal.filters import CountyChoiceMixin, county_filter


class CaseFilter(CountyChoiceMixin, django_filters.FilterSet):
    county = county_filter()
    source = django_filters.ChoiceFilter(choices=ListSource.choices, label=_("source"))
    reason = django_filters.ChoiceFilter(
        choices=[("none", _("No reason yet")), *UninsuredReason.choices], method="filter_reason",
        label=_("uninsured reason"),
    )
    state = django_filters.ChoiceFilter(
        choices=(("open", _("Open")), ("insured", _("Insured after outreach"))),
        method="filter_state", label=_("state"),
    )
    insurance_year = django_filters.NumberFilter(label=_("insurance year"))

    class Meta:
        model = UninsuredCase
        fields = ["county", "source", "reason", "state", "insurance_year"]

    def filter_reason(self, queryset, name, value):
        return queryset.filter(reason="" if value == "none" else value)

    def filter_state(self, queryset, name, value):
        return queryset.filter(insured_on__isnull=(value == "open"))

