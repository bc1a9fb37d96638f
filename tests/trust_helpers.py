"""Helpers of the trust tests (issue 7): the portal's URL patterns, a registry saying how to
build an object of county A for every pattern that takes an id, a "world" of personal data per
county, and ways to read any response (HTML, CSV, XLSX, PDF) back as text.

The registry ``SPECS`` is the access matrix: a URL pattern with no entry here makes
``tests/test_access_matrix.py`` fail, so a new view cannot slip by untested.
"""
import csv
import datetime
import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from enrollment.models import (
    AccessAction,
    AccessEvent,
    Area,
    CaseReferral,
    ChangeRequest,
    ExportJob,
    ExportStatus,
    Guardian,
    ImportBatch,
    ImportKind,
    ImportStatus,
    ListEntry,
    ListSource,
    MaternityClaim,
    PersonSpecialGroup,
    Role,
    SchoolTransfer,
    UninsuredCase,
)

from .factories import enroll, make_id, make_organisation, make_person, make_user

# Every role of the fixtures in tests/conftest.py, plus nobody logged in.
ANONYMOUS = "anonymous"
ROLE_FIXTURES = (
    "county_user_a", "county_user_b", "city_user", "school_user_a", "health_user_a",
    "community_user_a", "supervisor_user",
)
ROLES = (ANONYMOUS,) + ROLE_FIXTURES
BUREAU_OF_A = frozenset({"county_user_a", "city_user"})
# The figures of A (never its persons) are read by its city's supervisory departments too.
FIGURES_OF_A = BUREAU_OF_A | {"supervisor_user"}
CITY_WIDE = frozenset({"city_user", "supervisor_user"})
COUNTY_A_ONLY = frozenset({"county_user_a"})
PARTNERS = frozenset({"school_user_a", "health_user_a", "community_user_a"})


# --- URL patterns -------------------------------------------------------------------------

@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name", or the route when the pattern has no name
    route: str
    params: tuple
    namespace: str = ""
    named: bool = True


def all_patterns(resolver=None, prefix="", namespace=""):
    """Every URL pattern of the portal, recursively, with its full name and route."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found.extend(all_patterns(entry, route, inner))
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route))
            params = tuple(a or b for a, b in params)
            found.append(Pattern(name or route, route, params, namespace, bool(name)))
    return found


def portal_patterns():
    return [p for p in all_patterns() if p.namespace != "admin"]


def admin_patterns():
    return [p for p in all_patterns() if p.namespace == "admin"]


ADMIN_EXAMPLE_KWARGS = {"object_id": "1", "content_type_id": "1", "app_label": "enrollment"}


def admin_url(pattern):
    kwargs = {name: ADMIN_EXAMPLE_KWARGS.get(name, "1") for name in pattern.params}
    if pattern.named:
        return reverse(pattern.name, kwargs=kwargs)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: kwargs[m.group(1)], pattern.route)


# --- A county's world of personal data ---------------------------------------------------

def world_of(county, *, marker, owner=None, person_fields=None):
    """Personal data of one county, every row carrying ``marker`` in a name.

    ``owner`` is the organisation the rows belong to (school of the child, uploader of the
    list, assignee of the task, requester of the notices): by default a school of that county
    that none of the fixture users belongs to, so every partner fixture is an outsider.
    """
    from outreach.models import ContactRecord, CountyContact, NoticeBatch, Notification, OutreachTask
    from reporting.models import SubmittedReport

    today = datetime.date.today()
    owner = owner or make_organisation(county, kind="school", name=f"{marker}学校")
    staff = make_user(Role.COUNTY, area=county, username=f"staff_{county.pk}_{_next()}")
    fields = {"name": marker, "grade": "一年级", "class_name": "一(1)班", "school": owner}
    fields.update(person_fields or {})
    if "id_number" not in fields:
        fields["id_number"] = make_id(county.pk)
    person = make_person(county, **fields)
    guardian = Guardian.objects.create(
        person=person, name=f"{marker}家长", phone="13800000000", relation="母亲",
        id_number=make_id(county.pk, datetime.date(1988, 3, 3), "F"),
    )
    record = enroll(person, today.year - 1)
    batch = ImportBatch(
        kind=ImportKind.SCHOOL_ROSTER, county=county, organisation=owner, uploaded_by=staff,
        original_name=f"{marker}.csv", sha256=f"{_next():064d}", status=ImportStatus.DONE,
        row_count=1,
    )
    batch.file.save("roster.csv", ContentFile(f"身份证号,姓名\n{person.id_number},{marker}\n".encode()), save=False)
    batch.save()
    entry = ListEntry.objects.create(
        batch=batch, person=person, county=county, source=ListSource.SCHOOL, organisation=owner,
        row_number=2, grade="一年级", class_name="一(1)班",
    )
    case = UninsuredCase.objects.create(
        person=person, county=county, source=ListSource.SCHOOL, entry=entry,
        insurance_year=today.year + 1, found_on=today,
    )
    task = OutreachTask.objects.create(
        case=case, person=person, county=county, assignee=owner,
        due_on=today + datetime.timedelta(days=14), created_by=staff,
    )
    contact = ContactRecord.objects.create(
        task=task, date=today, method="phone", note=f"{marker}的家长说下周缴费", by=staff,
    )
    notices = NoticeBatch(
        county=county, organisation=owner, scope="class", title=f"{marker}班告知书",
        person_ids=[person.pk], pay_by=today + datetime.timedelta(days=30), status="done",
        total=1, created_by=staff,
    )
    notices.file.save("notices.pdf", ContentFile(b"%PDF-1.4\n% " + marker.encode() + b"\n"), save=False)
    notices.save()
    report, _ = SubmittedReport.objects.get_or_create(
        county=county, deadline=datetime.date(today.year, 11, 11), defaults=dict(
            cutoff=datetime.date(today.year, 10, 31), submitted_by=staff,
            submitted_at=datetime.datetime(today.year, 11, 1, 9, tzinfo=datetime.timezone.utc),
            figures={"insured_total": 7}, note=marker,
        ),
    )
    contact_office, _ = CountyContact.objects.get_or_create(
        county=county, defaults={"office": f"{county.name}医保局", "phone": "0593-0000000"}
    )
    notification = Notification.objects.create(
        recipient=staff, kind="task_due", title=f"{marker}的任务到期", url="/",
    )
    event = AccessEvent.objects.create(
        user=staff, action=AccessAction.VIEW_DETAIL, county=county, person=person,
        subject=f"查看{marker}", record_count=1, path="/",
    )
    comparison = _comparison_run(county, staff, today)
    # A school's roster asked to move the child; the case is referred to a third county.
    transfer = SchoolTransfer.objects.create(
        person=person, county=county, from_school=owner, batch=batch,
        to_school=make_organisation(county, kind="school", name=f"{marker}新学校"))
    third = Area.objects.filter(parent_id=county.parent_id, level="county").exclude(
        pk__in=[county.pk, "350902", "350921"]).order_by("pk").first()  # neither county A nor B
    referral = CaseReferral.objects.create(case=case, from_county=county, to_county=third,
                                           reason=f"{marker}常住{third.name}", referred_by=staff)
    export_job = ExportJob(user=staff, kind="persons", fmt="csv", status=ExportStatus.DONE, row_count=1)
    export_job.file.save("persons.csv", ContentFile(f"姓名\n{marker}\n".encode()), save=False)
    export_job.save()
    # A difficult child with a pending correction and its attachment (issue 18).
    PersonSpecialGroup.objects.create(person=person, group="subsistence", source=f"{county.name}民政局")
    change = ChangeRequest(person=person, county=county, proposed_by=staff, reason=f"{marker}改名",
                           items=[{"target": "person", "field": "name", "old": marker, "new": f"{marker}改"}],
                           attachment_name="证明.pdf")
    change.attachment.save("proof.pdf", ContentFile(b"%PDF-1.4\n% " + marker.encode() + b"\n"), save=False)
    change.save()
    MaternityClaim.objects.create(county=county, mother_id_number=guardian.id_number, delivered_on=today,
                                  hospital=f"{marker}医院")
    callback_sample = _callback_sample(county, person, case, staff, owner)
    return SimpleNamespace(
        callback_sample=callback_sample, change=change,
        transfer=transfer, referral=referral,
        county=county, owner=owner, staff=staff, marker=marker, person=person, guardian=guardian,
        record=record, batch=batch, entry=entry, case=case, task=task, contact=contact,
        notices=notices, report=report, county_contact=contact_office, notification=notification,
        event=event, comparison=comparison, export_job=export_job,
    )


def _comparison_run(county, staff, today):
    from enrollment.models import lists

    model = getattr(lists, "ComparisonRun", None)
    if model is None:
        return None
    return model.objects.create(county=county, as_of=today, run_by=staff, results={})


_counter = iter(range(1, 10**9))


def _next():
    return next(_counter)


# --- The access matrix -------------------------------------------------------------------

OBJECT_KINDS = {"detail", "download", "action"}  # the URL names one object of county A
LIST_KINDS = {"page", "list", "export", "post"}  # the URL shows the requesting user's scope


@dataclass(frozen=True)
class Spec:
    """How the matrix requests one URL pattern.

    ``kind``: "public"; "detail", "download" or "action" when the URL names one object of
    county A (``kwargs(world)`` builds its arguments); "page", "list", "export" or "post" when
    it shows whatever the user's scope holds. ``readers``: roles that must reach county A's
    object or see county A's rows; every other logged-in role gets a 404 for an object, and a
    list without any trace of A. ``method`` GET or POST (``data(world)`` is posted);
    ``query(world)`` a query string; ``shows_names``: readers must find A's marker in it.
    """

    kind: str
    readers: frozenset = BUREAU_OF_A
    kwargs: object = None
    method: str = "GET"
    data: object = None
    query: object = None
    shows_names: bool = True

    @property
    def names_an_object(self):
        return self.kind in OBJECT_KINDS

    def url(self, name, world=None):
        kwargs = self.kwargs(world) if self.kwargs else {}
        query = self.query(world) if self.query else ""
        return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")


def _callback_sample(county, person, case, staff, owner):
    """A call-back sample of the county holding its child (issue 19)."""
    from outreach.models import Callback, CallbackSample

    sample = CallbackSample.objects.create(county=county, insurance_year=case.insurance_year,
                                           seed="matrix", size=1, population=1, drawn_by=staff)
    Callback.objects.create(sample=sample, person=person, case=case, reason="uninsured", partner=owner)
    return sample


def pk_of(attribute, **extra):
    return lambda world: {"pk": getattr(world, attribute).pk, **extra}


def rejected_batch(world):
    """The world's import as a rejected file (its report names row 2)."""
    ImportBatch.objects.filter(pk=world.batch.pk).update(
        status=ImportStatus.INVALID, error_count=1, errors=[{"row": 2, "column": "姓名", "message": "必填项为空"}])
    return {"pk": world.batch.pk}


def fixed(**kwargs):
    return lambda world: kwargs


def as_of_today(world):
    return f"as_of={datetime.date.today():%Y-%m-%d}"


def pay_by(world):
    return {"pay_by": f"{datetime.date.today() + datetime.timedelta(days=30):%Y-%m-%d}"}


SPECS = {
    # Authentication: public.
    "login": Spec("public", shows_names=False),
    "logout": Spec("public", method="POST", shows_names=False),
    # Registry: home, audit, imports, persons, comparison (issue 3 and the foundation)
    "home": Spec("page", shows_names=False),
    "audit_log": Spec("list"),
    "imports": Spec("list"),
    "import_detail": Spec("detail", kwargs=pk_of("batch")),
    "import_confirm": Spec("action", COUNTY_A_ONLY, kwargs=pk_of("batch"), method="POST"),
    "import_progress": Spec("detail", kwargs=pk_of("batch")),
    "import_file": Spec("download", COUNTY_A_ONLY, kwargs=pk_of("batch")),  # full IDs: not for the city
    "import_rejected": Spec("download", COUNTY_A_ONLY, kwargs=rejected_batch),
    "import_template": Spec("export", kwargs=fixed(kind="school_roster", fmt="xlsx"), shows_names=False),
    "persons": Spec("list"),
    "person_export": Spec("export", kwargs=fixed(fmt="csv")),
    "person_detail": Spec("detail", kwargs=pk_of("person")),
    # A background export is its requester's only (issue 15): every fixture user is an outsider.
    "export_job": Spec("detail", frozenset(), kwargs=pk_of("export_job")),
    "export_download": Spec("download", frozenset(), kwargs=pk_of("export_job")),
    "comparison": Spec("page", shows_names=False),
    # A run of 历次比对 and the people behind its figures (issue 14)
    "comparison_run": Spec("detail", kwargs=pk_of("comparison"), shows_names=False),
    "comparison_run_people": Spec("detail", kwargs=pk_of("comparison", source="school", figure="on_list"),
                                  shows_names=False),
    "cases": Spec("list"),
    "case_reason": Spec("action", COUNTY_A_ONLY, kwargs=pk_of("case"), method="POST",
                        data=lambda world: {"reason": "unwilling", "note": "outsider"}),
    "case_bulk": Spec("post", COUNTY_A_ONLY, method="POST", shows_names=False,
                      data=lambda world: {"select": [world.case.pk], "action": "reason", "reason": "unwilling"}),
    "duplicates": Spec("list", shows_names=False),
    "case_detail": Spec("detail", kwargs=pk_of("case")),
    "case_refer": Spec("action", COUNTY_A_ONLY, kwargs=pk_of("case"), method="POST",
                       data=lambda world: {"to_county": "350921", "reason": "outsider"}),
    "referrals": Spec("list"),
    "referral_answer": Spec("action", COUNTY_A_ONLY, kwargs=pk_of("referral"), method="POST",
                            data=lambda world: {"accept": "1"}),
    "transfers": Spec("list", COUNTY_A_ONLY),
    "transfer_decide": Spec("action", COUNTY_A_ONLY, kwargs=pk_of("transfer"), method="POST",
                            data=lambda world: {"accept": "1"}),
    # Outreach (issue 4)
    "outreach_tasks": Spec("list"),
    "outreach_task": Spec("detail", kwargs=pk_of("task")),
    "outreach_task_change": Spec("action", COUNTY_A_ONLY, kwargs=pk_of("task"), method="POST",
                                 data=lambda world: {"assignee": world.owner.pk, "reason": "outsider",
                                                     "due_on": f"{datetime.date.today() + datetime.timedelta(days=90):%Y-%m-%d}"}),
    "outreach_cases": Spec("list"),
    "outreach_progress": Spec("page"),  # shows the assignee, named after the marker
    "outreach_newborns": Spec("list", shows_names=False),
    "outreach_notifications": Spec("page", frozenset(), shows_names=False),
    "outreach_notices": Spec("list", COUNTY_A_ONLY),
    "outreach_notice_tasks": Spec("post", frozenset(), method="POST", data=pay_by, shows_names=False),
    "outreach_notice_download": Spec("download", COUNTY_A_ONLY, kwargs=pk_of("notices")),
    "outreach_notice_person": Spec("detail", COUNTY_A_ONLY, kwargs=pk_of("person")),
    # issue 19: renewals (the world's child was insured two years ago: not on the list),
    # messages to guardians, call-back samples
    "outreach_renewals": Spec("list", shows_names=False),
    "outreach_messages": Spec("list", shows_names=False),
    "outreach_callbacks": Spec("page", shows_names=False),
    "outreach_callback": Spec("detail", kwargs=pk_of("callback_sample")),
    # Reporting (issue 5)
    "reporting_dispatch": Spec("page", FIGURES_OF_A, shows_names=False),
    "reporting_dispatch_recompute": Spec("post", method="POST", shows_names=False),
    "reporting_dispatch_export": Spec("export", FIGURES_OF_A, kwargs=fixed(fmt="csv"), shows_names=False),
    "reporting_people": Spec("detail", kwargs=lambda w: {"code": w.county.pk, "key": "school_provided"},
                             query=as_of_today),
    "reporting_periods": Spec("page", FIGURES_OF_A, shows_names=False),
    "reporting_period": Spec("page", FIGURES_OF_A, shows_names=False,
                             kwargs=lambda w: {"deadline": f"{datetime.date.today().year}-11-11"}),
    "reporting_period_export": Spec("export", FIGURES_OF_A, shows_names=False, kwargs=fixed(
        deadline=f"{datetime.date.today().year}-11-11", fmt="csv")),
    "reporting_submit": Spec("post", frozenset(), method="POST",
                             kwargs=lambda w: {"deadline": f"{datetime.date.today().year}-11-11"},
                             data=lambda w: {"progress": "进展", "unit": "医保局", "checked_by": "审核人",
                                             "phone": "0593-0000000"},
                             shows_names=False),
    "reporting_report": Spec("detail", FIGURES_OF_A, kwargs=pk_of("report")),
    "reporting_report_export": Spec("download", FIGURES_OF_A, kwargs=pk_of("report", fmt="csv")),
    "reporting_dashboard": Spec("page", FIGURES_OF_A, shows_names=False),
    # The report's way up (issue 17): the city reviews, reminds and ranks; its departments read.
    "reporting_review": Spec("action", frozenset({"city_user"}), kwargs=pk_of("report"), method="POST",
                             data=lambda world: {"decision": "accept"}),
    "reporting_remind": Spec("post", frozenset({"city_user"}), method="POST", shows_names=False,
                             kwargs=fixed(deadline="2024-07-11")),
    "reporting_bulletin": Spec("page", CITY_WIDE, kwargs=fixed(deadline="2024-07-11"), shows_names=False),
    "reporting_bulletin_pdf": Spec("export", CITY_WIDE, kwargs=fixed(deadline="2024-07-11"), shows_names=False),
    # Benefits (issue 6): a calculator on typed-in data, no person is read.
    "benefits:calculator": Spec("page", shows_names=False),
    # Withholding follow-up (issue 16): counts per agent, no person named.
    "withholding": Spec("page", shows_names=False),
    # Corrections with approval and subsidised enrollment (issue 18). Only the county keeping
    # the file proposes and decides; the attachment is the county's, as the import file is.
    "change_propose": Spec("detail", COUNTY_A_ONLY, kwargs=pk_of("person")),
    "changes": Spec("list"),
    "change_approve_many": Spec("post", COUNTY_A_ONLY, method="POST", shows_names=False,
                                data=lambda world: {"change": [world.change.pk]}),
    "change_decide": Spec("action", COUNTY_A_ONLY, kwargs=pk_of("change"), method="POST",
                          data=lambda world: {"approve": "0", "answer": "outsider"}),
    "change_attachment": Spec("download", COUNTY_A_ONLY, kwargs=pk_of("change")),
    "maternity": Spec("list"),
    "reporting_subsidy": Spec("page", shows_names=False),
    "reporting_subsidy_export": Spec("export"),
    "reporting_subsidy_people": Spec("list", kwargs=fixed(group="all", figure="children"), query=as_of_today),
}

# URL names whose response is a file: checked for formula injection and masking.
EXPORT_KINDS = {"export", "download"}


def spec_for(pattern):
    return SPECS.get(pattern.name)


def fingerprint():
    """Row counts of every model of the portal's apps but the audit log: a refused write
    must change none of them."""
    from django.apps import apps

    counts = {}
    for label in ("enrollment", "outreach", "reporting"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__ != "AccessEvent":
                counts[model.__name__] = model.objects.count()
    return counts


# --- Reading responses back ------------------------------------------------------------

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def response_bytes(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def response_text(response):
    """The text a user reads in a response: HTML/CSV as is, XLSX cell values, PDF text."""
    body = response_bytes(response)
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type or body[:2] == b"PK":
        return "\n".join("\t".join(row) for row in xlsx_rows(body))
    if "pdf" in content_type or body[:4] == b"%PDF":
        return pdf_text(body)
    return body.decode("utf-8", errors="replace")


def xlsx_rows(body):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body), read_only=True)
    rows = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if value is None else str(value) for value in row])
    workbook.close()
    return rows


def csv_rows(body):
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def export_cells(response):
    """Every cell of an exported table (CSV or XLSX)."""
    body = response_bytes(response)
    if body[:2] == b"PK":
        return [cell for row in xlsx_rows(body) for cell in row]
    return [cell for row in csv_rows(body) for cell in row]


def pdf_text(body):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(body)
        handle.flush()
        done = subprocess.run(["pdftotext", "-layout", handle.name, "-"], capture_output=True)
    return done.stdout.decode("utf-8", errors="replace")


def normalised(text):
    """A page with what legitimately changes between two requests removed: CSRF tokens and
    clock times."""
    text = CSRF.sub(r'\1"', text)
    return re.sub(r"\d{1,2}:\d{2}(:\d{2})?", "hh:mm", text)


__all__ = [
    "ANONYMOUS", "BUREAU_OF_A", "CITY_WIDE", "COUNTY_A_ONLY", "EXPORT_KINDS", "FIGURES_OF_A", "LIST_KINDS",
    "OBJECT_KINDS", "PARTNERS", "Pattern", "ROLES",
    "ROLE_FIXTURES", "SPECS", "Spec", "admin_patterns", "admin_url", "all_patterns",
    "export_cells", "fingerprint", "normalised", "pk_of", "portal_patterns", "response_bytes",
    "response_text", "spec_for", "world_of",
]
