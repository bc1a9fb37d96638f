import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2 import A

from . import id_numbers


def masked_id(person):
    """A person's key as lists, exports and notices show it: the ID number masked, or a
    newborn's birth-certificate number cut to its first four characters."""
    if person.id_number:
        return id_numbers.mask(person.id_number)
    return _("Birth certificate %(no)s") % {"no": (person.birth_certificate_no or "")[:4] + "****"}


class PersonTable(tables.Table):
    name = tables.LinkColumn("person_detail", args=[A("pk")], verbose_name=_("name"))
    id_number = tables.Column(verbose_name=_("ID number"), empty_values=(), orderable=False)
    birth_date = tables.DateColumn(format="Y-m-d", verbose_name=_("birth date"))
    sex = tables.Column(verbose_name=_("sex"))
    county = tables.Column(verbose_name=_("county"), accessor="county__name")
    # Read through the person's ``school`` / ``class_name`` (its SchoolPlace); sorted by the place.
    school = tables.Column(verbose_name=_("school"), accessor="school__name", default="—",
                           order_by=("school_place__school__name",))
    class_name = tables.Column(verbose_name=_("class"), default="—", order_by=("school_place__class_name",))
    insured = tables.BooleanColumn(verbose_name=_("Insured this year"), orderable=False)

    class Meta:
        empty_text = _("No persons match.")
        order_by = ()

    def render_id_number(self, record):
        return masked_id(record)

