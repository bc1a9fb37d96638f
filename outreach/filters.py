import django_filters
from django.utils.translation import gettext_lazy as _

from enrollment.comparison.filters import of_source
from enrollment.models import ListSource, OrganisationKind, UninsuredCase
from enrollment.models.organisations import EDUCATION_KINDS
from enrollment.portal.filters import CountyChoiceMixin, county_filter, date_filter, yes_no_filter

from . import selectors
from .models import Outcome, OutreachTask, TaskStatus


def _organisations(request):
    return selectors.organisations(request.user) if request else selectors.organisations(None)


def _schools(request):
    return _organisations(request).filter(kind__in=EDUCATION_KINDS)


class TaskFilter(CountyChoiceMixin, django_filters.FilterSet):
    county = county_filter()
    name = django_filters.CharFilter(field_name="person__name", lookup_expr="icontains", label=_("name"))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("status"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("outcome"))
    assignee = django_filters.ModelChoiceFilter(queryset=_organisations, label=_("assigned to"))
    school = django_filters.ModelChoiceFilter(field_name="person__school_place__school", queryset=_schools,
                                              label=_("school"))
    class_name = django_filters.CharFilter(field_name="person__school_place__class_name", label=_("class"))
    source = django_filters.ChoiceFilter(choices=ListSource.choices, label=_("source"),
                                         method=lambda qs, name, value: of_source(qs, value, "case__"))
    overdue = yes_no_filter(_("overdue"), method="filter_overdue")

    class Meta:
        model = OutreachTask
        fields = ["county", "name", "status", "outcome", "assignee", "school", "class_name", "source", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = selectors.overdue_condition()
        return queryset.filter(late) if value else queryset.exclude(late)


class PartnerTaskFilter(TaskFilter):
    """Partners work their own tasks: no choice of assignee."""

    class Meta(TaskFilter.Meta):
        fields = ["name", "status", "outcome", "class_name", "overdue"]


PartnerTaskFilter.base_filters.pop("assignee")
PartnerTaskFilter.base_filters.pop("school")
PartnerTaskFilter.base_filters.pop("source")
PartnerTaskFilter.base_filters.pop("county")


class CaseFilter(django_filters.FilterSet):
    """Choose uninsured children to assign: by school, class, village or source."""

    source = django_filters.ChoiceFilter(choices=ListSource.choices, label=_("source"),
                                         method=lambda qs, name, value: of_source(qs, value))
    school = django_filters.ModelChoiceFilter(field_name="person__school_place__school", queryset=_schools,
                                              label=_("school"))
    class_name = django_filters.CharFilter(field_name="person__school_place__class_name", label=_("class"))
    provider = django_filters.ModelChoiceFilter(
        field_name="entry__organisation", queryset=_organisations, label=_("listed by"),
    )
    residence = django_filters.CharFilter(
        field_name="person__residence_area_code", lookup_expr="startswith",
        label=_("residence area code"),
    )
    hukou = django_filters.CharFilter(
        field_name="person__hukou_area_code", lookup_expr="startswith",
        label=_("household registration area code"),
    )
    has_task = yes_no_filter(_("already assigned"), field_name="has_task")

    class Meta:
        model = UninsuredCase
        fields = ["source", "school", "class_name", "provider", "residence", "hukou", "has_task"]


class ProgressFilter(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(choices=ListSource.choices, label=_("source"),
                                         method=lambda qs, name, value: of_source(qs, value, "case__"))
    kind = django_filters.ChoiceFilter(
        field_name="assignee__kind", choices=OrganisationKind.choices, label=_("partner kind"),
    )
    due_from = date_filter("due_on", "gte", _("due from"))
    due_to = date_filter("due_on", "lte", _("due until"))

    class Meta:
        model = OutreachTask
        fields = ["source", "kind", "due_from", "due_to"]
