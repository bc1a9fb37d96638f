"""Filter helpers shared by the apps' list pages."""
import django_filters

from .widgets import DateInput


def date_filter(field_name, lookup_expr, label):
    """A date filter with the browser's date picker."""
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr=lookup_expr, label=label,
        widget=DateInput(),
    )

