"""Enrollment notices (参保告知书) for guardians, rendered to PDF by WeasyPrint.

A batch is one HTML document with a page break after each notice, laid out by one WeasyPrint
call: fonts are loaded and subset once, which is what makes a thousand notices fast.
Chinese needs a real CJK font: notice.css asks for Noto Serif/Sans CJK SC (Debian
fonts-noto-cjk); a test checks the PDF embeds it, since a missing font fails silently.
"""
import datetime

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation

from enrollment.benefits import notice_consequence
from enrollment.models import Guardian

from .models import CountyContact
from .selectors import NEWBORN_DAYS, newborn_deadline
from .tables import masked_id

STYLESHEET = "css/notice.css"


def insurance_year(today):
    """The year families are asked to pay for: from September on, the coming year."""
    return today.year + 1 if today.month >= 9 else today.year


def prepare(persons):
    """Load what notices print for a queryset of persons, in a fixed number of queries."""
    return persons.select_related("school", "county").prefetch_related(
        Prefetch("guardians", queryset=Guardian.objects.order_by("pk"))
    ).order_by("school__name", "class_name", "name", "pk")


def notice_items(persons, *, pay_by, today):
    """One dict per child with everything its notice says."""
    persons = list(persons)
    contacts = {
        contact.county_id: contact
        for contact in CountyContact.objects.filter(county_id__in={p.county_id for p in persons})
    }
    year = insurance_year(today)
    consequences = {
        county_id: notice_consequence(county_id, today) for county_id in {p.county_id for p in persons}
    }
    items = []
    for person in persons:
        newborn = (today - person.birth_date).days < NEWBORN_DAYS
        guardians = list(person.guardians.all())
        items.append({
            "person": person,
            "masked_id": masked_id(person),
            "guardian": guardians[0].name if guardians else "",
            "school": person.school.name if person.school else "",
            "class_name": person.class_name,
            "newborn": newborn,
            "deadline": newborn_deadline(person.birth_date) if newborn else pay_by,
            "year": person.birth_date.year if newborn else year,
            "contact": contacts.get(person.county_id),
            "office": _office(person, contacts),
            "consequence": consequences[person.county_id],
        })
    return items


def _office(person, contacts):
    contact = contacts.get(person.county_id)
    return contact.office if contact else f"{person.county.name}医疗保障局"


def render_html(persons, *, pay_by, today=None):
    today = today or datetime.date.today()
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("outreach/notice.html", {
            "items": notice_items(persons, pay_by=pay_by, today=today),
            "today": today,
        })


def render_pdf(persons, *, pay_by, today=None, progress=None):
    """The PDF bytes of the notices of ``persons``; ``progress(percent)`` is told as it goes."""
    from weasyprint import CSS, HTML  # heavy import, only where PDFs are made

    report = progress or (lambda percent: None)
    html = render_html(persons, pay_by=pay_by, today=today)
    report(10)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[CSS(filename=finders.find(STYLESHEET))]
    )
    report(70)
    pdf = document.write_pdf()
    report(100)
    return pdf
