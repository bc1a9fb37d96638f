"""Plain helpers that build valid rows for tests: no magic, every field visible."""
import datetime
import itertools

from enrollment import id_numbers
from enrollment.models import Area, EnrollmentRecord, Organisation, Person, Role, Scheme, User

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


def make_person(county, *, name="测试儿童", birth_date=datetime.date(2015, 6, 1), sex="M", **fields):
    county_code = county.pk if isinstance(county, Area) else county
    if "id_number" not in fields and "birth_certificate_no" not in fields:
        fields["id_number"] = make_id(county_code, birth_date, sex)
    return Person.objects.create(
        county_id=county_code, name=name, birth_date=birth_date, sex=sex, **fields
    )


def enroll(person, year, *, area_code=None, paid_on=None, scheme=Scheme.RESIDENT, **fields):
    return EnrollmentRecord.objects.create(
        person=person,
        year=year,
        scheme=scheme,
        area_code=area_code or person.county_id,
        paid_on=paid_on or datetime.date(year - 1, 10, 1),
        **fields,
    )


__all__ = ["PASSWORD", "Role", "enroll", "make_id", "make_organisation", "make_person", "make_user"]
