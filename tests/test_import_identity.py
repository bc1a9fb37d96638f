"""Which person an imported row lands on, and what the import writes on that person: new
persons keep every column of their row, a row never lands on a person with another ID, rows of
one file naming one new person make one person, and optional columns left empty erase nothing."""
import csv
import datetime

import pytest
from django.core.management import CommandError, call_command

from enrollment.models import Guardian, ImportBatch, ListEntry, Person, SchoolPlace

from .factories import make_person
from .registry_helpers import (  # noqa: F401
    ENROLLMENT_HEADERS,
    FILES,
    ROSTER_HEADERS,
    child_id,
    media_root,
    roster_rows,
    write_csv,
)

pytestmark = pytest.mark.django_db
NEWBORN_HEADERS = ["出生医学证明编号", "姓名", "性别", "出生日期", "身份证号", "监护人身份证号", "户籍地区代码",
                   "平台参保日期"]
GUARDIAN = child_id(3, birth=datetime.date(1992, 3, 22))


def run(kind, path, county="350902"):
    call_command("import_file", kind, str(path), "--county", county, "--today", "2026-11-23")


def newborn(certificate, name, *, id_number="", area="350902", platform=""):
    return [certificate, name, "男", "2026-05-01", id_number, GUARDIAN, area, platform]


def test_the_sample_newborns_keep_their_platform_dates_and_hukou_areas(media_root):
    with open(FILES / "newborns.csv", encoding="utf-8-sig") as handle:
        sample = list(csv.DictReader(handle))
    run("newborns", FILES / "newborns.csv", county="331102")
    stored = dict(Person.objects.values_list("birth_certificate_no", "platform_enrolled_on"))
    assert {row["出生医学证明编号"]: row["平台参保日期"] or None for row in sample} == {
        certificate: on.isoformat() if on else None for certificate, on in stored.items()}
    assert sum(1 for on in stored.values() if on) == 30
    assert set(Person.objects.values_list("hukou_area_code", flat=True)) == {"331102"}


@pytest.mark.parametrize("first_has_date", [False, True])
def test_newborns_with_and_without_platform_date_are_all_created_with_their_own_values(
        media_root, tmp_path, first_has_date):
    dated = newborn("Q1", "有日期", area="350902", platform="2026-05-10")
    undated = newborn("Q2", "无日期", area="")
    rows = [dated, undated] if first_has_date else [undated, dated]
    run("newborns", write_csv(tmp_path / "newborns.csv", NEWBORN_HEADERS, rows))
    persons = {p.name: p for p in Person.objects.all()}
    assert persons["有日期"].platform_enrolled_on == datetime.date(2026, 5, 10)
    assert persons["有日期"].hukou_area_code == "350902"
    assert persons["无日期"].platform_enrolled_on is None and persons["无日期"].hukou_area_code == ""


HEALTH_HEADERS = ["身份证号", "姓名", "出生日期", "出生医学证明编号", "监护人身份证号", "接种单位"]
BORN = datetime.date(2026, 5, 1)


def known_child(county, **keys):
    child = make_person(county, name="小宝", birth_date=BORN, **keys)
    Guardian.objects.create(person=child, name="家长", id_number=GUARDIAN)
    return child


def test_a_row_with_a_new_id_never_lands_on_a_namesake_with_another_id(media_root, tmp_path, county_a):
    """Same name, birth date and guardian, but another ID: another child (a twin), a new person."""
    twin = known_child(county_a, id_number=child_id(21, birth=BORN))
    number = child_id(22, birth=BORN)
    run("health_list", write_csv(tmp_path / "health.csv", HEALTH_HEADERS,
                                 [[number, "小宝", "2026-05-01", "", GUARDIAN, "接种点"]]))
    twin.refresh_from_db()
    assert twin.id_number == child_id(21, birth=BORN) and not twin.list_entries.exists()
    assert ListEntry.objects.get().person.id_number == number


def test_a_newborn_with_another_certificate_never_lands_on_a_namesake(media_root, tmp_path, county_a):
    twin = known_child(county_a, birth_certificate_no="Q1")
    run("newborns", write_csv(tmp_path / "newborns.csv", NEWBORN_HEADERS, [newborn("Q2", "小宝")]))
    assert not twin.list_entries.exists()
    assert ListEntry.objects.get().person.birth_certificate_no == "Q2"
    assert Person.objects.count() == 2


def test_the_guardian_fallback_still_finds_a_child_the_row_names_without_keys(media_root, tmp_path, county_a):
    child = known_child(county_a, id_number=child_id(23, birth=BORN))
    run("health_list", write_csv(tmp_path / "health.csv", HEALTH_HEADERS,
                                 [["", "小宝", "2026-05-01", "", GUARDIAN, "接种点"]]))
    assert Person.objects.count() == 1 and ListEntry.objects.get().person == child


def extract_row(number, certificate, year, *, scheme="居民医保", name="小明", birth=""):
    return [number, certificate, name, birth, year, scheme, "350902", "2025-10-01", "税务征收", "0", "100"]


def test_an_extract_naming_a_new_person_for_two_years_creates_one_person(media_root, tmp_path, county_a):
    number = child_id(31)
    rows = [extract_row(number, "", 2025), extract_row(number, "", 2026), extract_row(number, "", 2026, scheme="职工医保")]
    run("enrollment", write_csv(tmp_path / "extract.csv", ENROLLMENT_HEADERS, rows))
    person = Person.objects.get()
    assert person.id_number == number
    assert sorted(person.enrollments.values_list("year", "scheme")) == [
        (2025, "resident"), (2026, "employee"), (2026, "resident")]


def test_a_new_id_given_to_a_certificate_record_carries_the_rows_with_only_that_id(media_root, tmp_path, county_a):
    baby = make_person(county_a, name="小明", birth_date=BORN, birth_certificate_no="Q7")
    number = child_id(32, birth=BORN)
    rows = [extract_row(number, "Q7", 2026), extract_row(number, "", 2025)]
    run("enrollment", write_csv(tmp_path / "extract.csv", ENROLLMENT_HEADERS, rows))
    baby.refresh_from_db()
    assert Person.objects.count() == 1 and baby.id_number == number
    assert sorted(baby.enrollments.values_list("year", flat=True)) == [2025, 2026]


def test_a_new_newborn_named_by_certificate_and_by_id_is_one_person(media_root, tmp_path, county_a):
    number = child_id(33, birth=BORN)
    rows = [extract_row("", "Q8", 2025, birth="2026-05-01"), extract_row(number, "Q8", 2026)]
    run("enrollment", write_csv(tmp_path / "extract.csv", ENROLLMENT_HEADERS, rows))
    person = Person.objects.get()
    assert (person.id_number, person.birth_certificate_no) == (number, "Q8")
    assert person.enrollments.count() == 2


def test_rows_by_id_and_by_certificate_of_one_known_person_and_year_make_one_record(media_root, tmp_path, county_a):
    number = child_id(34, birth=BORN)
    child = make_person(county_a, name="小明", birth_date=BORN, id_number=number, birth_certificate_no="Q9")
    rows = [extract_row(number, "", 2026), extract_row("", "Q9", 2026, birth="2026-05-01")]
    run("enrollment", write_csv(tmp_path / "extract.csv", ENROLLMENT_HEADERS, rows))
    assert Person.objects.count() == 1
    assert child.enrollments.get().year == 2026


def test_one_certificate_with_two_new_ids_in_one_extract_is_reported_and_nothing_written(
        media_root, tmp_path, county_a, capsys):
    rows = [extract_row(child_id(35, birth=BORN), "Q10", 2025), extract_row(child_id(36, birth=BORN), "Q10", 2026)]
    with pytest.raises(CommandError, match="未写入任何数据"):
        run("enrollment", write_csv(tmp_path / "extract.csv", ENROLLMENT_HEADERS, rows))
    assert "第3行　身份证号：与第2行的身份证号或出生医学证明编号相同，但身份证号不同" in capsys.readouterr().err
    assert not Person.objects.exists()


def test_a_row_matching_a_record_the_import_merges_away_lands_on_the_merged_record(media_root, tmp_path, county_a):
    """Row 2 gives the ID and the certificate: the certificate record merges into the ID record;
    row 3 (no keys, found by guardian) named the certificate record and follows it."""
    certificate_record = known_child(county_a, birth_certificate_no="Q11")
    number = child_id(41, birth=BORN)
    id_record = make_person(county_a, name="小宝", birth_date=BORN, id_number=number)
    rows = [[number, "小宝", "2026-05-01", "Q11", "", "接种点甲"], ["", "小宝", "2026-05-01", "", GUARDIAN, "接种点乙"]]
    run("health_list", write_csv(tmp_path / "health.csv", HEALTH_HEADERS, rows))
    certificate_record.refresh_from_db()
    assert certificate_record.merged_into == id_record
    assert list(ListEntry.objects.values_list("person", flat=True)) == [id_record.pk]


def test_what_a_merge_brings_over_is_not_written_again(media_root, tmp_path, county_a):
    certificate_record = make_person(county_a, name="小宝", birth_date=BORN, birth_certificate_no="Q12",
                                     hukou_area_code="350902", platform_enrolled_on=datetime.date(2026, 5, 10))
    number = child_id(43, birth=BORN)  # odd: a boy, as the row says
    id_record = make_person(county_a, name="小宝", birth_date=BORN, id_number=number)
    run("newborns", write_csv(tmp_path / "newborns.csv", NEWBORN_HEADERS,
                              [newborn("Q12", "小宝", id_number=number, platform="2026-05-10")]))
    id_record.refresh_from_db()
    certificate_record.refresh_from_db()
    assert certificate_record.merged_into == id_record
    assert (id_record.hukou_area_code, id_record.platform_enrolled_on) == ("350902", datetime.date(2026, 5, 10))
    assert ImportBatch.objects.get().counts["persons_updated"] == 0
    assert id_record.history.count() == 2  # created, merged: no third row for the same values


def test_a_roster_without_grade_and_class_keeps_the_known_ones(media_root, tmp_path, county_a):
    run("school_roster", write_csv(tmp_path / "autumn.csv", ROSTER_HEADERS, roster_rows(3)))
    slim_headers = ["身份证号", "姓名", "学校代码", "学校名称", "学段"]
    slim = [row[:5] for row in roster_rows(2)]
    run("school_roster", write_csv(tmp_path / "slim.csv", slim_headers, slim))
    empty_cells = [row[:5] + ["", ""] for row in roster_rows(3)]
    run("school_roster", write_csv(tmp_path / "empty.csv", slim_headers + ["年级", "班级"], empty_cells))
    assert set(SchoolPlace.objects.values_list("grade", "class_name")) == {("三年级", "2班")}
    assert [b.counts["school_places_written"] for b in ImportBatch.objects.order_by("pk")] == [3, 0, 0]


def test_a_child_moving_school_without_a_grade_loses_the_old_schools_class(media_root, tmp_path, county_a):
    run("school_roster", write_csv(tmp_path / "autumn.csv", ROSTER_HEADERS, roster_rows(2)))
    moved = roster_rows(1, school_code="S3509020002", school_name="蕉城二小")[0][:5] + ["", ""]
    run("school_roster", write_csv(tmp_path / "spring.csv", ROSTER_HEADERS[:7], [moved]))
    persons = {p.name: p for p in Person.objects.select_related("school_place__school")}
    assert (persons["学生0"].school.code, persons["学生0"].grade, persons["学生0"].class_name) == (
        "S3509020002", "", "")
    assert (persons["学生1"].school.code, persons["学生1"].class_name) == ("S3509020001", "2班")


def test_a_list_updates_the_known_guardians_phone_and_adds_only_unknown_guardians(media_root, tmp_path, county_a):
    child = known_child(county_a, id_number=child_id(51, birth=BORN))
    other = make_person(county_a, name="小红", birth_date=BORN, id_number=child_id(52, birth=BORN))
    other_guardian = child_id(5, birth=datetime.date(1990, 1, 1))
    headers = [*HEALTH_HEADERS, "监护人电话"]
    rows = [[child.id_number, "小宝", "2026-05-01", "", GUARDIAN, "接种点", "13900139000"],
            [other.id_number, "小红", "2026-05-01", "", other_guardian, "接种点", "13700137000"]]
    run("health_list", write_csv(tmp_path / "health.csv", headers, rows))
    assert list(child.guardians.values_list("name", "id_number", "phone")) == [("家长", GUARDIAN, "13900139000")]
    assert list(other.guardians.values_list("id_number", "phone")) == [(other_guardian, "13700137000")]
    assert ImportBatch.objects.get().counts["guardians_added"] == 1
