"""School and class live in the narrow SchoolPlace, one row per child (issue 20): a roster
writes the places set-based and leaves the wide person row alone, the same roster again
writes nothing; the person list's school filter and a school liaison's scope read the places."""
import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollment.models import ImportBatch, Person, SchoolPlace
from enrollment.registry import services

from .factories import make_organisation, make_person, place_in_school
from .registry_helpers import ROSTER_HEADERS, child_id, media_root, roster_rows, write_csv  # noqa: F401

pytestmark = pytest.mark.django_db
BORN = datetime.date(2016, 3, 1)


def run(path):
    call_command("import_file", "school_roster", str(path), "--county", "350902", "--today", "2026-11-23")
    return ImportBatch.objects.latest("pk")


def place_queries(queries):
    """The statements of an import that read or write the places, and those that update persons."""
    sql = [q["sql"] for q in queries]
    return (sum("enrollment_schoolplace" in s for s in sql),
            [s for s in sql if s.startswith('UPDATE "enrollment_person"')])


def known_children(county, start, count):
    return [make_person(county, name=f"学生{n}", birth_date=BORN, id_number=child_id(n))
            for n in range(start, start + count)]


def test_a_roster_writes_the_places_set_based_and_never_updates_the_person_row(
        media_root, tmp_path, county_a, school_a):
    known_children(county_a, 0, 3)
    known_children(county_a, 100, 40)
    with CaptureQueriesContext(connection) as small:
        run(write_csv(tmp_path / "small.csv", ROSTER_HEADERS, roster_rows(3)))
    with CaptureQueriesContext(connection) as large:
        run(write_csv(tmp_path / "large.csv", ROSTER_HEADERS, roster_rows(40, start=100)))
    # As many statements on the places for 40 children as for 3, and not one UPDATE of a person.
    assert place_queries(small.captured_queries) == place_queries(large.captured_queries)
    assert place_queries(large.captured_queries)[1] == []
    assert SchoolPlace.objects.filter(school=school_a, grade="三年级", class_name="2班").count() == 43
    assert ImportBatch.objects.latest("pk").counts["school_places_written"] == 40
    assert Person.history.filter(history_type="~").count() == 0  # the file's own history is untouched
    assert SchoolPlace.history.filter(history_type="+").count() == 43


def test_the_same_roster_again_writes_nothing(media_root, tmp_path, county_a):
    rows = roster_rows(5)
    run(write_csv(tmp_path / "autumn.csv", ROSTER_HEADERS, rows))
    before = (list(SchoolPlace.objects.order_by("pk").values_list("pk", "school", "grade", "class_name", "updated_at")),
              SchoolPlace.history.count(), Person.history.count())
    # The same rows in another file (another order: the file itself differs) change nothing.
    again = run(write_csv(tmp_path / "again.csv", ROSTER_HEADERS, list(reversed(rows))))
    assert again.counts["school_places_written"] == 0 and again.counts["persons_updated"] == 0
    assert (list(SchoolPlace.objects.order_by("pk").values_list("pk", "school", "grade", "class_name", "updated_at")),
            SchoolPlace.history.count(), Person.history.count()) == before


def test_a_class_change_is_on_the_place_and_in_the_person_files_history(
        media_root, tmp_path, login, county_a, county_user_a):
    rows = roster_rows(2)
    run(write_csv(tmp_path / "autumn.csv", ROSTER_HEADERS, rows))
    rows[1][6] = "5班"
    later = run(write_csv(tmp_path / "spring.csv", ROSTER_HEADERS, rows))
    assert later.counts["school_places_written"] == 1
    child = Person.objects.get(name="学生1")
    assert (child.school.code, child.grade, child.class_name) == ("S3509020001", "三年级", "5班")
    page = login(county_user_a).get(f"/persons/{child.pk}/").content.decode()
    assert "学籍变更" in page and "三年级 5班" in page and "三年级 2班" in page


@pytest.fixture
def pupils(county_a, county_b, school_a, school_b):
    """Who is at ``school_a`` (a school of county A), and who is not."""
    other_school_a = make_organisation(county_a, kind="school", code="S3509020077", name="蕉城二小")
    at_a = make_person(county_a, name="林本校", school=school_a, class_name="一(1)班")
    kept_by_b = make_person(county_b, name="陈插班", school=school_a)  # tied to A by its school
    make_person(county_a, name="黄别校", school=other_school_a)
    make_person(county_a, name="吴无校")
    make_person(county_b, name="郑乙校", school=school_b)
    merged = make_person(county_a, name="周合并", school=school_a, birth_certificate_no="Q1")
    Person.objects.filter(pk=merged.pk).update(merged_into=at_a)
    return at_a, kept_by_b, other_school_a


NAMES = ("林本校", "陈插班", "黄别校", "吴无校", "郑乙校", "周合并")


def listed(client, query=""):
    page = client.get("/persons/" + query).content.decode()
    return {name for name in NAMES if name in page}


def test_the_school_filter_lists_exactly_that_schools_children_in_scope(
        pupils, login, county_user_a, county_user_b, city_user, school_a):
    assert listed(login(county_user_a), f"?school={school_a.pk}") == {"林本校", "陈插班"}
    assert listed(login(city_user), f"?school={school_a.pk}") == {"林本校", "陈插班"}
    # County B does not choose A's schools: its list stays its own scope.
    assert "林本校" not in listed(login(county_user_b), f"?school={school_a.pk}")
    # Sorting by school or class goes through the places too.
    assert listed(login(county_user_a), f"?school={school_a.pk}&sort=class_name") == {"林本校", "陈插班"}
    assert listed(login(county_user_a), "?sort=-school") == {"林本校", "陈插班", "黄别校", "吴无校"}


def test_a_school_liaison_sees_only_its_own_students_and_loses_one_that_moves(
        pupils, login, school_user_a, county_user_a):
    at_a, _kept_by_b, other_school_a = pupils
    liaison = login(school_user_a)
    assert listed(liaison) == {"林本校"}  # its county's children at its school, nothing else
    assert liaison.get(f"/persons/{at_a.pk}/").status_code == 200
    transfer = at_a.transfers.create(county_id=at_a.county_id, from_school=school_user_a.organisation,
                                     to_school=other_school_a, batch=_batch(at_a))
    services.decide_transfer(transfer=transfer, accept=True, user=county_user_a)
    assert listed(liaison) == set()
    assert liaison.get(f"/persons/{at_a.pk}/").status_code == 404
    at_a.refresh_from_db()
    assert at_a.school == other_school_a
    change = SchoolPlace.history.filter(person_id=at_a.pk).latest()
    assert (change.school_id, change.history_user) == (other_school_a.pk, county_user_a)


def _batch(person):
    from .factories import make_import_batch

    return make_import_batch(person.county, "school_roster")


def test_place_in_school_replaces_the_one_place(county_a, school_a, school_b):
    child = make_person(county_a, school=school_a)
    place_in_school(child, school_b, class_name="二(2)班")
    assert list(SchoolPlace.objects.values_list("person", "school", "class_name")) == [
        (child.pk, school_b.pk, "二(2)班")]


def test_the_school_filter_keeps_the_lists_order_from_the_places_copy_of_it(
        pupils, login, county_a, county_user_a, school_a):
    make_person(county_a, name="王后", school=school_a)
    make_person(county_a, name="李前", school=school_a)
    page = login(county_user_a).get(f"/persons/?school={school_a.pk}").content.decode()
    # County by county (A's 350902 before B's 350921), then by name: as the unfiltered list.
    assert [page.index(n) for n in ("李前", "林本校", "王后", "陈插班")] == sorted(
        page.index(n) for n in ("李前", "林本校", "王后", "陈插班"))
    assert set(SchoolPlace.objects.values_list("person_county", "person_name")) == set(
        Person.objects.filter(school_place__isnull=False).values_list("county_id", "name"))
