import datetime

import django_filters
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ..importing.fields import CODE
from ..models import (
    Area,
    Organisation,
    Person,
    PersonSpecialGroup,
    SpecialGroup,
    UninsuredCase,
    UninsuredReason,
)
from .periods import years_before

AGE_BANDS = (  # (value, label, lower age, upper age): half-open [lower, upper), 15-18 closed
    ("0-1", "0–1", 0, 1),
    ("1-3", "1–3", 1, 3),
    ("3-6", "3–6", 3, 6),
    ("6-9", "6–9", 6, 9),
    ("9-12", "9–12", 9, 12),
    ("12-15", "12–15", 12, 15),
    ("15-18", "15–18", 15, 19),
)


def age_band_range(band, today):
    """The birth dates ``(after, on_or_before)`` of an age band on ``today``."""
    for value, _label, lower, upper in AGE_BANDS:
        if value == band:
            return years_before(today, upper), years_before(today, lower)
    return None


def name_prefix(value):
    """Names starting with ``value``. Where the database orders text by code point (SQLite; a
    PostgreSQL database created with the C.UTF-8 collation, as README says) the prefix is also
    the range [value, next value): an index condition on the name-ordered person index, instead
    of a filter over every person the index walks past (300 ms at a million persons, 15 ms)."""
    prefix = Q(name__startswith=value)
    if not text_in_code_point_order():
        return prefix
    return prefix & Q(name__gte=value, name__lt=value[:-1] + chr(ord(value[-1]) + 1))


def text_in_code_point_order():
    if connection.vendor != "postgresql":
        return connection.vendor == "sqlite"
    if not hasattr(connection, "code_point_collation"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            connection.code_point_collation = cursor.fetchone()[0] in ("C", "POSIX", "C.UTF-8", "C.utf8")
    return connection.code_point_collation


class PersonFilter(django_filters.FilterSet):
    """Filters of the person list; ``counties`` and ``schools`` are the choices the user may see."""

    q = django_filters.CharFilter(method="filter_q", label=_("Name or ID number"))
    county = django_filters.ModelChoiceFilter(queryset=Area.objects.none(), label=_("county"))
    school = django_filters.ModelChoiceFilter(queryset=Organisation.objects.none(), method="filter_school",
                                              label=_("school"))
    age_band = django_filters.ChoiceFilter(
        choices=[(v, label) for v, label, _l, _u in AGE_BANDS], method="filter_age_band",
        label=_("age band"),
    )
    status = django_filters.ChoiceFilter(
        choices=(("insured", _("Insured this year")), ("uninsured", _("Not insured this year"))),
        method="filter_status", label=_("status"),
    )
    special_group = django_filters.ChoiceFilter(
        choices=SpecialGroup.choices, method="filter_special_group", label=_("special group"),
    )
    uninsured_reason = django_filters.ChoiceFilter(
        choices=UninsuredReason.choices, method="filter_reason", label=_("uninsured reason"),
    )

    class Meta:
        model = Person
        fields = ["q", "county", "school", "age_band", "status", "special_group", "uninsured_reason"]

    def __init__(self, *args, counties, schools, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or datetime.date.today()
        self.filters["county"].queryset = counties
        self.filters["school"].queryset = schools

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if len(value) == 18:
            return queryset.filter(id_number=value.upper())
        if CODE.match(value):  # letters and digits: a birth certificate number, or a name in letters
            return queryset.filter(Q(name__startswith=value) | Q(birth_certificate_no=value))
        return queryset.filter(name_prefix(value))

    def filter_school(self, queryset, name, value):
        """The school's children in the list's order (county, name, id), read from the places'
        ``school_place_order`` index, which carries the person's sort key: a page stops after
        its rows however large the school (sorting a 33,000-pupil school's children for each
        page took 0.7 s at a million persons; walking the person index in name order instead,
        800,000 rows for a school of the last county, 7.8 s)."""
        return queryset.filter(school_place__school=value).order_by(
            "school_place__person_county", "school_place__person_name", "id")

    def filter_age_band(self, queryset, name, value):
        after, on_or_before = age_band_range(value, self.today)
        return queryset.filter(birth_date__gt=after, birth_date__lte=on_or_before)

    def filter_status(self, queryset, name, value):
        return queryset.filter(insured=(value == "insured"))

    def filter_special_group(self, queryset, name, value):
        return queryset.filter(Exists(PersonSpecialGroup.objects.filter(person_id=OuterRef("pk"), group=value)))

    def filter_reason(self, queryset, name, value):
        return queryset.filter(Exists(UninsuredCase.objects.filter(
            person_id=OuterRef("pk"), reason=value, insured_on__isnull=True)))

