"""One notice per household (家庭告知书): the household's children (renewal worklist or any
children the user sees), each with what the family owes for the coming insurance year and what
a lapse would cost that child. Laid out by WeasyPrint like the single-child notices."""
import datetime

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation

from enrollment.access.scoping import visible_to
from enrollment.benefits.quotes import contributions_for
from enrollment.models import EnrollmentRecord, Guardian, Person

from . import households, renewals
from .models import CountyContact
from .notices.pdf import STYLESHEET, _layout_part
from .tables import masked_id


def household_items(*, user, person_ids, today):
    persons = {
        person.pk: person for person in
        visible_to(Person, user).filter(pk__in=person_ids).select_related("school_place__school", "county").prefetch_related(
            Prefetch("guardians", queryset=Guardian.objects.filter(organisation__isnull=True).order_by("pk")),
            Prefetch("enrollments", queryset=EnrollmentRecord.objects.order_by("year")), "special_groups")
    }
    found = renewals.user_windows(user, today) or renewals.windows({p.county_id for p in persons.values()}, today)
    book = renewals.CostBook(found, today)
    # the coming year's standard, else last year's (often not published before the period)
    standards = {code: contributions_for(code, [window.year, window.year - 1]) for code, window in found.items()}
    contacts = {c.county_id: c for c in CountyContact.objects.filter(county_id__in=list(found))}
    items = []
    for group in households.group(persons):
        children = []
        for pk in sorted(group, key=lambda pk: (persons[pk].birth_date, pk)):
            person = persons[pk]
            window = book.window(person)
            known = standards.get(window.county_id, {})
            standard = known.get(window.year) or known.get(window.year - 1)
            subsidised = bool(person.special_groups.all())
            children.append({
                "person": person, "masked_id": masked_id(person), "year": window.year,
                "owes": None if subsidised or standard is None else standard.individual,
                "subsidised": subsidised, "cost": book.cost(person).text(),
                "standard_year": standard.year if standard is not None and standard.year != window.year else None,
            })
        first = persons[children[0]["person"].pk]
        guardian = next(iter(first.guardians.all()), None)
        window = book.window(first)
        total = sum((c["owes"] for c in children if c["owes"] is not None), 0) or None
        items.append({"guardian": guardian, "children": children, "total": total, "window": window,
                      "contact": contacts.get(window.county_id)})
    return items


def render_household_pdf(*, user, person_ids, today=None):
    """(PDF bytes, number of households) for the households of ``person_ids`` in scope."""
    today = today or datetime.date.today()
    items = household_items(user=user, person_ids=person_ids, today=today)
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("outreach/household_notice.html", {"items": items, "today": today})
    return _layout_part(html, finders.find(STYLESHEET)), len(items)
