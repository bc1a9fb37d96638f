"""Plain helpers that build valid rows for tests: no magic, every field visible."""
import datetime
import itertools

from django.utils import timezone

from enrollment.models import (
    Area,
    EnrollmentRecord,
    ImportBatch,
    ImportKind,
    ImportStatus,
    ListEntry,
    Organisation,
    Person,
    Role,
    Scheme,
    SchoolPlace,
    UninsuredCase,
    User,
)
from enrollment.registry import id_numbers

_sequence = itertools.count(1)

PASSWORD = "Correct-Horse-42"


def make_id(area_code="350902", birth_date=datetime.date(2015, 6, 1), sex="M"):
    """A valid ID number; each call gives a new one."""
    n = next(_sequence) % 500
    sequence = n * 2 + (1 if sex == "M" else 0)
    return id_numbers.make(area_code, birth_date, sequence)


def make_organisation(county, kind="school", code=None, name=None, stage=""):
    n = next(_sequence)
    return Organisation.objects.create(
        county=county if isinstance(county, Area) else Area.objects.get(pk=county),
        kind=kind,
        code=code or f"ORG{county.pk if isinstance(county, Area) else county}{n:04d}",
        name=name or f"测试单位{n}",
        stage=stage or ("primary" if kind == "school" else "kindergarten" if kind == "kindergarten" else ""),
    )


def make_user(role, *, area=None, organisation=None, username=None):
    if organisation is not None:
        area = organisation.county
    user = User.objects.create_user(
        username=username or f"{role}{next(_sequence)}",
        password=PASSWORD,
        role=role,
        area=area,
        organisation=organisation,
    )
    user.full_clean()
    return user


def make_person(county, *, name="测试儿童", birth_date=datetime.date(2015, 6, 1), sex="M", school=None,
                grade="", class_name="", **fields):
    """A person; with ``school`` (and its ``grade`` and ``class_name``) its SchoolPlace too."""
    county_code = county.pk if isinstance(county, Area) else county
    if "id_number" not in fields and "birth_certificate_no" not in fields:
        fields["id_number"] = make_id(county_code, birth_date, sex)
    person = Person.objects.create(
        county_id=county_code, name=name, birth_date=birth_date, sex=sex, **fields
    )
    if school is not None:
        place_in_school(person, school, grade=grade, class_name=class_name)
    return person


def place_in_school(person, school, *, grade="", class_name=""):
    """Put ``person`` in ``school`` (its one SchoolPlace, created or replaced)."""
    SchoolPlace.objects.update_or_create(person=person, defaults={
        "school": school, "grade": grade, "class_name": class_name, "person_county": person.county_id,
        "person_name": person.name})
    person._state.fields_cache.pop("school_place", None)  # read afresh
    return person


def enroll(person, year, *, area_code=None, paid_on=None, scheme=Scheme.RESIDENT, **fields):
    return EnrollmentRecord.objects.create(
        person=person,
        year=year,
        scheme=scheme,
        area_code=area_code or person.county_id,
        paid_on=paid_on or datetime.date(year - 1, 10, 1),
        **fields,
    )


# The import that brings each partner list; school and kindergarten lists come in rosters.
LIST_KINDS = {"newborn": ImportKind.NEWBORNS, "health": ImportKind.HEALTH_LIST}


def make_import_batch(county, kind, *, organisation=None, imported_on=None, list_date=None):
    """A finished import of ``kind`` in ``county`` (no stored file), uploaded by
    ``organisation`` (None: the county's staff), imported at 10:00 on ``imported_on``. A
    partner list describes ``list_date`` (数据截至日期; default: the import day, else today)."""
    n = next(_sequence)
    imported_at = None
    if imported_on is not None:
        imported_at = timezone.make_aware(datetime.datetime.combine(imported_on, datetime.time(10)))
    return ImportBatch.objects.create(
        kind=kind, county_id=county.pk if isinstance(county, Area) else county, organisation=organisation,
        original_name=f"{kind}-{n}.csv", sha256=f"{n:064d}", status=ImportStatus.DONE,
        imported_at=imported_at or timezone.now(),
        list_date=list_date or imported_on or timezone.localdate() if kind in LIST_KIND_VALUES else None,
    )


LIST_KIND_VALUES = (ImportKind.SCHOOL_ROSTER, ImportKind.HEALTH_LIST, ImportKind.NEWBORNS)


def add_list_entries(batch, source, persons, *, organisation=None):
    """``persons`` as rows 2, 3... of the ``source`` list that ``batch`` imported; the rows name
    ``organisation`` (default: the batch's uploader) as their school or provider."""
    return ListEntry.objects.bulk_create(
        ListEntry(batch=batch, person=person, county_id=batch.county_id, source=source,
                  organisation=organisation or batch.organisation, row_number=row)
        for row, person in enumerate(persons, start=2)
    )


def put_on_list(person, source, *, organisation=None):
    """Record that a partner list of ``source`` (from ``organisation``) carries ``person``."""
    batch = make_import_batch(person.county_id, LIST_KINDS.get(source, ImportKind.SCHOOL_ROSTER),
                              organisation=organisation)
    return add_list_entries(batch, source, [person])[0]


def make_case(county=None, *, person=None, source="school", year=2025, found_on=datetime.date(2024, 11, 1),
              insured_on=None, handled_by=None, **person_fields):
    """An uninsured case of ``person`` (default: a new person of ``county`` with ``person_fields``),
    found by a list of ``handled_by`` (default: the county keeping the file)."""
    person = person or make_person(county, **person_fields)
    return UninsuredCase.objects.create(
        person=person, county_id=handled_by.pk if handled_by else person.county_id, source=source, sources=source,
        insurance_year=year, found_on=found_on, insured_on=insured_on,
    )


__all__ = [
    "PASSWORD", "Role", "add_list_entries", "enroll", "make_case", "make_id", "make_import_batch",
    "make_organisation", "make_person", "make_user", "place_in_school", "put_on_list",
]
