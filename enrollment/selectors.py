"""Reads of the registry app. Every query here starts from ``scoping.visible_to``."""
import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import id_numbers
from .models import (
    AccessEvent,
    Area,
    ComparisonRun,
    EnrollmentRecord,
    ImportBatch,
    ImportKind,
    ImportStatus,
    Organisation,
    Person,
    UninsuredCase,
)
from .models.organisations import EDUCATION_KINDS
from .periods import insurance_year, years_before
from .scoping import get_visible_or_404, visible_to


def persons(user):
    return visible_to(Person, user)


LIST_KINDS = (ImportKind.SCHOOL_ROSTER, ImportKind.HEALTH_LIST, ImportKind.NEWBORNS)
LIST_WINDOW_DAYS = 365  # a partner's list counts for a year (a school year)


def list_window_start(day):
    """The first moment a list may have been received and still count on ``day``: within
    LIST_WINDOW_DAYS before the end of ``day``."""
    return timezone.make_aware(datetime.datetime.combine(
        day - datetime.timedelta(days=LIST_WINDOW_DAYS - 1), datetime.time()))


def current_list_imports(counties, *, since, until=None):
    """Ids of the partner lists that count: for each county, list kind and uploading partner,
    the latest finished import received at or after ``since`` (and before ``until``, when
    given): a school's roster replaced by its newer one no longer counts. County staff upload
    lists for many schools and clinics, so each of their imports counts on its own. One small
    query over the import batches: there are few of them."""
    batches = (
        ImportBatch.objects.filter(county__in=counties, kind__in=LIST_KINDS, status=ImportStatus.DONE)
        .annotate(at=Coalesce("imported_at", "uploaded_at"))
        .filter(at__gte=since, **({"at__lt": until} if until is not None else {}))
        .order_by("at", "pk")
        .values_list("pk", "county_id", "kind", "organisation_id")
    )
    latest = {}
    for pk, county, kind, organisation in batches:
        # ordered by time: the partner's last list wins
        latest[(county, kind, organisation) if organisation is not None else pk] = pk
    return sorted(latest.values())


def insured_as_of(as_of, *, person_ref="pk", area_code=None):
    """``Exists``: an enrollment record of the insurance year containing ``as_of``, paid on
    or before it (in ``area_code`` when given)."""
    records = EnrollmentRecord.objects.filter(
        person_id=OuterRef(person_ref), year=insurance_year(as_of), paid_on__lte=as_of
    )
    if area_code is not None:
        records = records.filter(area_code=area_code)
    return Exists(records)


def insured_this_year(today=None):
    """``Exists``: the person has an enrollment record for the current insurance year."""
    return insured_as_of(today or datetime.date.today())


def person_list(user, *, today=None):
    """The person list: scoped, with what the table shows, in the order of its index."""
    return (
        persons(user)
        .select_related("school", "county")
        .annotate(insured=insured_this_year(today))
        .order_by("county_id", "name", "id")
    )


def person_export_rows(queryset, headers):
    """The export of a filtered person list, IDs masked, read in one streaming query."""
    yield headers
    fields = ("name", "id_number", "birth_certificate_no", "birth_date", "sex", "county__name",
              "school__name", "class_name", "insured")
    for name, number, certificate, birth, sex, county, school, class_name, insured in (
        queryset.values_list(*fields).iterator(chunk_size=5000)
    ):
        yield [name, id_numbers.mask(number) if number else "", certificate or "", birth, sex,
               county, school or "", class_name, "是" if insured else "否"]


def person_detail(user, pk):
    return get_visible_or_404(Person.objects.select_related("county", "school"), user, pk=pk)


def person_history(person):
    """Everything on file about a person, merged birth-certificate records included. The
    enrollments (newest first) and special groups are loaded onto ``person`` once: the benefit
    panel reads ``person.enrollments.all()`` and ``person.special_groups.all()`` from them."""
    prefetch_related_objects(
        [person],
        Prefetch("enrollments", queryset=EnrollmentRecord.objects.order_by("-year", "scheme")),
        "special_groups",
    )
    return {
        "enrollments": person.enrollments.all(),
        "entries": person.list_entries.select_related("batch", "organisation").order_by("-batch__uploaded_at"),
        "guardians": person.guardians.all(),
        "cases": person.uninsured_cases.select_related("reason_set_by").order_by("-insurance_year"),
        "special_groups": person.special_groups.all(),
        "changes": person.history.select_related("history_user").order_by("-history_date")[:50],
        "merged_from": person.merged_from.all(),
    }


def import_batches(user):
    return visible_to(ImportBatch, user).select_related("uploaded_by", "organisation", "county")


def comparison_runs(user):
    return visible_to(ComparisonRun, user).select_related("county", "run_by")


def uninsured_cases(user):
    return visible_to(UninsuredCase, user).select_related("person", "entry__organisation").order_by(
        "-insurance_year", "person__name", "pk")


def duplicate_enrollment_records(user, year):
    """Records of persons insured more than once in ``year``, within the user's counties."""
    records = visible_to(EnrollmentRecord, user).filter(year=year)
    twice = records.values("person_id").annotate(n=Count("pk")).filter(n__gt=1).values("person_id")
    return records.filter(person_id__in=twice).select_related("person").order_by("person__name", "scheme")


def schools_of(user):
    return visible_to(Organisation, user).filter(kind__in=EDUCATION_KINDS)


def access_events(user):
    return visible_to(AccessEvent, user).select_related("user", "county", "person")


def home_summary(user, *, today=None):
    """The figures on a user's home page, all within the user's scope."""
    today = today or datetime.date.today()
    cases = visible_to(UninsuredCase, user)
    return {
        "persons": persons(user).count(),
        "children": persons(user).filter(birth_date__gt=years_before(today, 18)).count(),
        "open_cases": cases.filter(insured_on__isnull=True).count(),
        "closed_cases": cases.filter(insured_on__isnull=False).count(),
        "recent_imports": visible_to(ImportBatch, user).select_related("uploaded_by")[:5],
    }


def counties_of(user):
    """The counties a bureau user may choose among (a county user: just its own)."""
    return visible_to(Area, user).filter(level="county")


def county_overview(user):
    """Per county: persons on file and open cases (for the city home page)."""
    return counties_of(user).annotate(
        person_count=Count("persons", filter=Q(persons__merged_into__isnull=True), distinct=True),
    )


def area_names(codes):
    """{code: name} of the divisions among ``codes`` (public reference data, not scoped)."""
    return dict(Area.objects.filter(pk__in=[code for code in codes if code]).values_list("pk", "name"))
