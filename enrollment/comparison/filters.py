import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import ListSource, UninsuredCase, UninsuredReason
from ..portal.filters import CountyChoiceMixin, county_filter


def of_source(queryset, value, prefix=""):
    """Cases (or rows reaching a case through ``prefix``) any of whose lists is of kind
    ``value``: one case per child and year lists every source that found the child."""
    return queryset.filter(Q(**{f"{prefix}sources__contains": value})
                           | Q(**{f"{prefix}sources": "", f"{prefix}source": value}))


class CaseFilter(CountyChoiceMixin, django_filters.FilterSet):
    county = county_filter()
    source = django_filters.ChoiceFilter(choices=ListSource.choices, label=_("source"), method="filter_source")
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

    def filter_source(self, queryset, name, value):
        return of_source(queryset, value)

    def filter_reason(self, queryset, name, value):
        return queryset.filter(reason="" if value == "none" else value)

    def filter_state(self, queryset, name, value):
        return queryset.filter(insured_on__isnull=(value == "open"))

