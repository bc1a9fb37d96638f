"""The person list (filters, masked IDs, exports) and the person file; outsiders get 404;
every view and export is audited."""
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from enrollment.models import AccessEvent, PersonSpecialGroup, UninsuredCase
from enrollment.registry import id_numbers

from .factories import enroll, make_person

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def children(county_a, county_b, school_a):
    pupil = make_person(county_a, name="王小明", birth_date=datetime.date(TODAY.year - 8, 1, 15), school=school_a)
    baby = make_person(county_a, name="李宝宝", birth_date=TODAY - datetime.timedelta(days=100))
    other = make_person(county_b, name="乙县儿童")
    enroll(pupil, TODAY.year, paid_on=datetime.date(TODAY.year - 1, 10, 1))
    PersonSpecialGroup.objects.create(person=baby, group="subsistence")
    UninsuredCase.objects.create(person=baby, county=county_a, source="health", insurance_year=TODAY.year,
                                 found_on=TODAY, reason="unreachable")
    return pupil, baby, other


def listed(client, query=""):
    page = client.get("/persons/" + query).content.decode()
    return {name for name in ("王小明", "李宝宝", "乙县儿童") if name in page}, page


def test_the_list_masks_id_numbers_and_stays_in_the_county(children, login, county_user_a):
    pupil, baby, _ = children
    names, page = listed(login(county_user_a))
    assert names == {"王小明", "李宝宝"}
    assert pupil.id_number not in page and id_numbers.mask(pupil.id_number) in page
    assert AccessEvent.objects.filter(action="view_list", record_count=2).exists()


@pytest.mark.parametrize("query, expected", [
    ("?status=insured", {"王小明"}),
    ("?status=uninsured", {"李宝宝"}),
    ("?age_band=0-1", {"李宝宝"}),
    ("?age_band=6-9", {"王小明"}),
    ("?special_group=subsistence", {"李宝宝"}),
    ("?uninsured_reason=unreachable", {"李宝宝"}),
    ("?q=王", {"王小明"}),
])
def test_filters(children, login, county_user_a, query, expected):
    assert listed(login(county_user_a), query)[0] == expected


def test_school_filter_and_liaison_sees_only_its_students(children, login, county_user_a, school_user_a, school_a):
    assert listed(login(county_user_a), f"?school={school_a.pk}")[0] == {"王小明"}
    assert listed(login(school_user_a))[0] == {"王小明"}


def test_exports_are_masked_and_audited(children, login, county_user_a):
    pupil, _, _ = children
    client = login(county_user_a)
    csv_text = client.get("/persons/export.csv?status=insured").content.decode("utf-8-sig")
    assert "王小明" in csv_text and "李宝宝" not in csv_text
    assert pupil.id_number not in csv_text and id_numbers.mask(pupil.id_number) in csv_text
    sheet = load_workbook(io.BytesIO(client.get("/persons/export.xlsx").content)).active
    assert sheet.max_row == 3
    assert AccessEvent.objects.filter(action="export").count() == 2


def test_partners_cannot_export(children, login, school_user_a):
    assert login(school_user_a).get("/persons/export.csv").status_code == 404


def test_the_person_file_shows_the_history_and_is_audited(children, login, county_user_a):
    pupil, baby, _ = children
    client = login(county_user_a)
    page = client.get(f"/persons/{baby.pk}/").content.decode()
    assert "李宝宝" in page and "person_extra" not in page
    assert AccessEvent.objects.filter(action="view_detail", person=baby).count() == 1
    page = client.get(f"/persons/{pupil.pk}/").content.decode()
    assert pupil.id_number in page  # county staff see the full number in the file


def test_outsiders_get_404_on_a_person(children, login, county_user_b, school_user_a, city_user):
    pupil, baby, other = children
    assert login(county_user_b).get(f"/persons/{pupil.pk}/").status_code == 404
    assert login(school_user_a).get(f"/persons/{baby.pk}/").status_code == 404
    assert login(county_user_b).get("/persons/99999999/").status_code == 404
    page = login(city_user).get(f"/persons/{pupil.pk}/").content.decode()
    assert pupil.id_number not in page  # city staff read, masked


def test_the_person_file_names_the_areas(login, county_a, county_user_a):
    person = make_person(county_a, name="区划娃", hukou_area_code="350921", residence_area_code="350902")
    enroll(person, 2025, area_code="331102", paid_on=datetime.date(2024, 12, 1))
    page = login(county_user_a).get(f"/persons/{person.pk}/").content.decode()
    assert "霞浦县（350921）" in page and "蕉城区（350902）" in page and "莲都区（331102）" in page


def test_the_list_masks_a_newborns_birth_certificate_number_too(login, county_a, county_user_a):
    make_person(county_a, name="证明娃", birth_date=datetime.date(2026, 9, 1), birth_certificate_no="Q350123456")
    page = login(county_user_a).get("/persons/?q=证明娃").content.decode()
    assert "出生医学证明 Q350****" in page and "Q350123456" not in page


def queries_on(captured, table):
    """The queries that load rows of ``table`` (not those that only test for one, as the
    scoping rule's ties do)."""
    return [query["sql"] for query in captured.captured_queries if query["sql"].startswith(f'SELECT "{table}".')]


def person_page(client, person):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/persons/{person.pk}/")
    assert response.status_code == 200
    return response, captured


def test_the_person_file_loads_enrollments_and_special_groups_once(login, county_a, county_user_a):
    child = make_person(county_a, name="多年娃", birth_date=datetime.date(2012, 3, 1))
    PersonSpecialGroup.objects.create(person=child, group="subsistence")
    enroll(child, TODAY.year)
    client = login(county_user_a)
    _, one_year = person_page(client, child)
    for year in range(TODAY.year - 4, TODAY.year):
        enroll(child, year)
    response, five_years = person_page(client, child)

    assert len(five_years.captured_queries) == len(one_year.captured_queries)
    assert len(queries_on(five_years, "enrollment_enrollmentrecord")) == 1
    assert len(queries_on(five_years, "enrollment_personspecialgroup")) == 1
    page = response.content.decode()
    assert "参保待遇" in page and "连续参保年数" in page  # the benefit panel still shows
    assert response.context["quote"].continuous.years == 5  # ...and counts every record
    assert page.count(f"<td>{TODAY.year - 4}</td>") == 1  # the history table lists them too
