"""Enrollment notices (参保告知书) for guardians, rendered to PDF by WeasyPrint.

A batch is cut into chunks of CHUNK_SIZE notices; each chunk is one HTML document with a page
break after each notice, laid out by one WeasyPrint call (fonts loaded and subset once per
chunk). The chunks are laid out in parallel, one process per core, and their PDFs joined in
order with pypdf: layout is pure CPU, so this is what brings a thousand notices under a minute.
The database work and the templates stay in the calling process; the forked processes only lay
out HTML strings and write PDF files (see _layout_in_parallel).

Chinese needs a real CJK font: notice.css asks for Noto Serif/Sans CJK SC (Debian
fonts-noto-cjk); a test checks the PDF embeds it, since a missing font fails silently.
"""
import datetime
import io
import logging
import os
import signal
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from enrollment.benefits.quotes import (
    campaign_year,
    contributions_for,
    notice_consequence,
    parameters_by_area,
    special_groups_of,
)
from enrollment.benefits.rules import concentrated_period, insurance_year_for, waiting_period
from enrollment.models import Area, Guardian
from enrollment.registry.places import places_of

from ..models import CountyContact
from ..selectors import newborn_deadline, within_newborn_deadline
from ..tables import masked_id

STYLESHEET = "css/notice.css"
CHUNK_SIZE = 100  # notices per WeasyPrint call: 10 progress steps per 1,000; each chunk embeds
# its own font subsets (about 0.3 MB and 0.25 s of CPU), so smaller chunks cost size and time

# WeasyPrint logs every page it lays out and draws at INFO: thousands of lines per batch.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def prepare(persons):
    """Load what notices print for a queryset of persons, in a fixed number of queries."""
    return persons.select_related("school_place__school", "county").prefetch_related(
        Prefetch("guardians", queryset=Guardian.objects.order_by("pk")), "special_groups",
    ).order_by("school_place__school__name", "school_place__class_name", "name", "pk")


@dataclass(frozen=True)
class YearTerms:
    """The years a notice printed on one day speaks of, under one area's parameters.

    ``year``: the insurance year the family is asked to pay for (inside the concentrated period,
    the coming one; outside it, the current one, paid late). ``next_year``: the year whose
    concentrated period is running or comes next, which the consequence paragraph is about.
    ``late``: ``year``'s concentrated period (``start`` to ``end``) is over and the waiting
    period rules are in force, so paying now means ``fixed_months`` of waiting.
    ``break_waits``: a break waits even when paid in the concentrated period (the area's reading
    of the texts, ``break_waits_in_concentrated_period``)."""

    year: int
    start: datetime.date
    end: datetime.date
    next_year: int
    late: bool
    fixed_months: int
    break_waits: bool = True


def year_terms(today, params):
    year = insurance_year_for(today, params)
    start, end = concentrated_period(year, params)
    rules_apply = max(today, datetime.date(year, 1, 1)) >= params.waiting_rules_from
    return YearTerms(year=year, start=start, end=end, next_year=campaign_year(today, params),
                     late=today > end and rules_apply, fixed_months=params.fixed_waiting_months,
                     break_waits=params.break_waits_in_concentrated_period)


def notice_items(persons, *, pay_by, today):
    """One dict per child with everything its notice says."""
    persons = list(persons)
    county_ids = {p.county_id for p in persons}
    contacts = {contact.county_id: contact
                for contact in CountyContact.objects.filter(county_id__in=county_ids)}
    parameters = parameters_by_area(county_ids, today)
    consequences = {}
    for county_id, params in parameters.items():  # per county, a few queries each
        year = campaign_year(today, params)
        standards = contributions_for(county_id, (year - 1, year))
        consequences[county_id] = notice_consequence(county_id, today, params, standards)
    terms = {county_id: year_terms(today, params) for county_id, params in parameters.items()}
    where = {person.pk: places_of(person, person.guardians.all(), today) for person in persons}
    names = dict(Area.objects.filter(pk__in={p.county for found in where.values() for p in found})
                 .values_list("pk", "name"))
    items = []
    for person in persons:
        params = parameters[person.county_id]
        newborn = within_newborn_deadline(person.birth_date, today, params.newborn_days)
        guardians = list(person.guardians.all())
        county_terms = terms[person.county_id]
        items.append({
            "person": person,
            "masked_id": masked_id(person),
            "guardian": guardians[0].name if guardians else "",
            "school": person.school.name if person.school else "",
            "class_name": person.class_name,
            "newborn": newborn,
            "deadline": newborn_deadline(person.birth_date, params.newborn_days) if newborn else pay_by,
            "newborn_days": params.newborn_days,
            "code_days": params.newborn_code_days,
            "year": person.birth_date.year if newborn else county_terms.year,
            "late": county_terms.late and not _exempt(person, today, county_terms, params),
            "terms": county_terms,
            "contact": contacts.get(person.county_id),
            "office": _office(person, contacts),
            "consequence": consequences[person.county_id],
            "places": _places_text(where[person.pk], names, person.county_id),
        })
    return items


def _exempt(person, today, terms, params):
    """Whether the child would enrol today without a waiting period (a newborn, a child in its
    year of birth, an exempt special group): the benefit rules decide, as in the calculator."""
    waiting = waiting_period((), today, params, insurance_year=terms.year, birth_date=person.birth_date,
                             special_groups=special_groups_of(person))
    return waiting.exemption is not None


def _places_text(found, names, keeper):
    """Where a child tied to other counties may enroll, for the notice: "霞浦县（户籍地参保）、…";
    empty for a child whose only place is the county that prints the notice."""
    if not found or [place.county for place in found] == [keeper]:
        return ""
    return "、".join(f"{names.get(place.county, place.county)}（{'；'.join(r.split('：')[0] for r in place.reasons)}）"
                    for place in found)


def _office(person, contacts):
    contact = contacts.get(person.county_id)
    if contact:
        return contact.office
    return _("%(county)s Healthcare Security Administration") % {"county": person.county.name}


def _chunk_html(items, today):
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("outreach/notice.html", {"items": items, "today": today})


def render_pdf(persons, *, pay_by, today=None, progress=None, chunk_size=None):
    """The PDF bytes of the notices of ``persons``, one page each in order;
    ``progress(percent)`` is told as chunks are done."""
    report = progress or (lambda percent: None)
    today = today or datetime.date.today()
    chunk_size = chunk_size or CHUNK_SIZE
    items = notice_items(persons, pay_by=pay_by, today=today)
    chunks = [items[start:start + chunk_size] for start in range(0, len(items), chunk_size)] or [[]]
    htmls = [_chunk_html(chunk, today) for chunk in chunks]
    report(5)
    if len(htmls) == 1:
        pdf = _layout_part(htmls[0], finders.find(STYLESHEET))
    else:
        pdf = _join(_layout_in_parallel(htmls, lambda done: report(5 + 90 * done // len(htmls))))
    report(100)
    return pdf


def _layout_in_parallel(htmls, done):
    """The PDFs of the HTML documents ``htmls``, yielded in order as soon as each one and those
    before it are laid out (so joining overlaps the layout), by one forked process per core;
    ``done(number)`` is told each time one more is finished.

    Plain ``os.fork``, not multiprocessing: a Celery prefork worker child is a daemonic process,
    which multiprocessing forbids to have children. The document numbers wait in a pipe as
    fixed-size records; each process takes the next one when free (so a process slowed by other
    load takes fewer), writes its PDF to a folder of this call and its number to another pipe."""
    import weasyprint  # noqa: F401  imported before the fork, so each process has it already

    stylesheet = finders.find(STYLESHEET)  # resolved here: the forked processes need no Django look-ups
    workers = min(len(htmls), len(os.sched_getaffinity(0)))
    with tempfile.TemporaryDirectory(prefix="notices-") as folder:
        todo, todo_writing = os.pipe()
        os.write(todo_writing, b"".join(b"%05d" % index for index in range(len(htmls))))
        os.close(todo_writing)
        reading, writing = os.pipe()
        pids = [_fork(lambda: _layout_next(htmls, todo, stylesheet, folder, writing))
                for _number in range(workers)]
        os.close(todo)
        os.close(writing)
        try:
            ready, following = set(), 0
            with os.fdopen(reading, "rb") as finished:
                for count, line in enumerate(finished, start=1):
                    done(count)
                    ready.add(int(line))
                    while following in ready:
                        yield Path(folder, f"{following}.pdf").read_bytes()
                        following += 1
        finally:
            failures = _reap(pids, kill=following < len(htmls))
        if failures:
            raise RuntimeError(f"notice layout failed in {failures} of {workers} processes (see log)")


def _reap(pids, *, kill):
    """Wait for the forked processes (killing them first if their work is no longer wanted) and
    return how many of them failed."""
    if kill:
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
    return sum(1 for pid in pids if os.waitpid(pid, 0)[1])


def _fork(work):
    """Run ``work()`` in a forked process that ends with it, and with this process if killed."""
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
            signal.signal(signum, signal.SIG_DFL)  # not the Celery worker's handlers
        _die_with_parent(parent)
        work()
        status = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(status)  # never back into the caller's stack, no atexit, no database clean-up


def _layout_next(htmls, todo, stylesheet, folder, writing):
    while record := os.read(todo, 5):  # one whole record per read: all are written before the fork
        index = int(record)
        Path(folder, f"{index}.pdf").write_bytes(_layout_part(htmls[index], stylesheet))
        os.write(writing, f"{index}\n".encode())


def _layout_part(html, stylesheet):
    """One PDF from one HTML document."""
    from weasyprint import CSS, HTML  # heavy import, only where PDFs are made

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[CSS(filename=stylesheet)]
    )
    return document.write_pdf()


def _die_with_parent(parent):
    """SIGKILL this process when ``parent`` dies (a Celery worker child killed by SIGKILL)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, Linux
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # died before prctl took effect
        os._exit(1)


def _join(parts):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part), import_outline=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
