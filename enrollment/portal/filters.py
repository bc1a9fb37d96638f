"""Filter helpers shared by the apps' list pages. Empty choices read 全部 (settings'
FILTERS_EMPTY_CHOICE_LABEL); yes/no filters too, not Django's 未知."""
import django_filters
from django.utils.translation import gettext_lazy as _

from .widgets import DateInput


def date_filter(field_name, lookup_expr, label):
    """A date filter with the browser's date picker."""
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr=lookup_expr, label=label,
        widget=DateInput(),
    )


class YesNoSelect(django_filters.widgets.BooleanWidget):
    """全部 / 是 / 否."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("All")), ("true", _("Yes")), ("false", _("No")))


def yes_no_filter(label, **kwargs):
    return django_filters.BooleanFilter(label=label, widget=YesNoSelect(), **kwargs)


def _counties(request):
    from ..access.selectors import counties_of
    return counties_of(request.user).order_by("code") if request else None


def county_filter(field_name="county"):
    """县（区）: the counties the user may see (the city's list pages)."""
    return django_filters.ModelChoiceFilter(field_name=field_name, queryset=_counties, label=_("county"))


def sees_counties(user):
    """Only the city's staff work across counties; county staff and partners see one."""
    from ..models.accounts import Role
    return getattr(user, "role", None) == Role.CITY


class CountyChoiceMixin:
    """A filter set whose 县（区） filter only the city gets (needs ``request``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not sees_counties(getattr(self.request, "user", None)):
            self.filters.pop("county", None)


def county_column_hidden(user):
    """The ``exclude`` of a table's 县（区） column: shown to the city only."""
    return () if sees_counties(user) else ("county",)
