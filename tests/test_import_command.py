"""``manage.py import_file``: the same report as the page, a non-zero exit and nothing
written when any row is bad; a second run of the same file changes nothing."""
import datetime

import pytest
from django.core.management import CommandError, call_command

from enrollment.models import EnrollmentRecord, ImportBatch, ListEntry, Person, SchoolPlace, UninsuredCase

from .factories import make_person
from .registry_helpers import (  # noqa: F401
    ENROLLMENT_HEADERS,
    FILES,
    ROSTER_HEADERS,
    child_id,
    enrollment_row,
    media_root,
    roster_rows,
    write_csv,
)

pytestmark = pytest.mark.django_db


def run(kind, path, county="331102", **options):
    return call_command("import_file", kind, str(path), "--county", county, "--today", "2026-11-23", **options)


def test_the_four_sample_layouts_import(media_root, capsys):
    for kind in ("school_roster", "health_list", "newborns", "enrollment"):
        run(kind, FILES / f"{kind}.csv")
    out = capsys.readouterr().out
    assert out.count("已导入") == 4
    assert ListEntry.objects.filter(source="school").exists()
    assert ListEntry.objects.filter(source="kindergarten").exists()
    assert EnrollmentRecord.objects.count() == 502
    assert ImportBatch.objects.filter(status="done").count() == 4


def test_a_bad_file_exits_non_zero_prints_the_report_and_writes_nothing(media_root, capsys):
    with pytest.raises(CommandError, match="未写入任何数据"):
        run("school_roster", FILES / "school_roster_with_errors.csv")
    err = capsys.readouterr().err
    assert "第3行　身份证号：身份证号校验位错误（填写内容：" in err  # with the offending value (issue 17)
    assert "第7行　身份证号：与第2行重复" in err
    assert Person.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_importing_the_same_file_twice_changes_nothing(media_root, capsys):
    run("school_roster", FILES / "school_roster.csv")
    snapshot = (Person.objects.count(), ListEntry.objects.count(), Person.history.count())
    run("school_roster", FILES / "school_roster.csv")
    assert "未做任何更改" in capsys.readouterr().out
    assert (Person.objects.count(), ListEntry.objects.count(), Person.history.count()) == snapshot
    assert ImportBatch.objects.count() == 1


def test_the_same_extract_rows_in_a_new_file_update_never_duplicate(media_root, tmp_path, county_a):
    child = make_person(county_a, name="甲", birth_date=datetime.date(2016, 3, 1), id_number=child_id(1))
    first = write_csv(tmp_path / "a.csv", ENROLLMENT_HEADERS, [enrollment_row(child.id_number, "甲")])
    second = write_csv(tmp_path / "b.csv", ENROLLMENT_HEADERS,
                       [enrollment_row(child.id_number, "甲", paid_on="2025-11-02")])
    run("enrollment", first, county="350902")
    run("enrollment", second, county="350902")
    record = EnrollmentRecord.objects.get(person=child)
    assert record.paid_on == datetime.date(2025, 11, 2) and record.in_concentrated_period


def test_next_terms_roster_moves_children_and_keeps_one_guardian_each(media_root, tmp_path, county_a):
    other = make_person(county_a, name="别人", birth_date=datetime.date(2015, 1, 1), id_number=child_id(50))
    other.guardians.create(name="别人家长一")  # guardian and person keys no longer coincide
    other.guardians.create(name="别人家长二")
    first = roster_rows(3)
    run("school_roster", write_csv(tmp_path / "autumn.csv", ROSTER_HEADERS, first), county="350902")
    later = [row[:] for row in first]
    later[1][6], later[2][8] = "5班", "13900139000"  # one child changed class, one guardian phone
    run("school_roster", write_csv(tmp_path / "spring.csv", ROSTER_HEADERS, later), county="350902")

    persons = {p.name: p for p in Person.objects.exclude(pk=other.pk).prefetch_related("guardians")}
    assert [persons[f"学生{n}"].class_name for n in range(3)] == ["2班", "5班", "2班"]
    assert [[(g.name, g.phone) for g in persons[f"学生{n}"].guardians.all()] for n in range(3)] == [
        [("家长0", "13800138000")], [("家长1", "13800138000")], [("家长2", "13900139000")]]
    assert ImportBatch.objects.latest("pk").counts["school_places_written"] == 1
    assert ImportBatch.objects.latest("pk").counts["persons_updated"] == 0  # the wide person row is left alone
    assert persons["学生1"].history.count() == 1  # created
    assert SchoolPlace.history.filter(person_id=persons["学生1"].pk).count() == 2  # placed, moved class


def test_a_failing_row_in_the_write_rolls_back_everything(media_root, tmp_path, county_a):
    """Atomicity: an ambiguous match found only at matching time rejects the whole file."""
    from enrollment.models import Guardian

    guardian = child_id(700, birth=datetime.date(1990, 1, 1))
    for _ in range(2):
        twin = make_person(county_a, name="双胞胎", birth_date=datetime.date(2025, 5, 1),
                           birth_certificate_no=f"Q{_}")
        Guardian.objects.create(person=twin, id_number=guardian)
    headers = ["身份证号", "姓名", "出生日期", "监护人身份证号", "接种单位"]
    rows = [[child_id(n), f"儿童{n}", "2016-03-01", "", "接种点"] for n in range(1, 5)]
    rows.append(["", "双胞胎", "2025-05-01", guardian, "接种点"])
    path = write_csv(tmp_path / "health.csv", headers, rows)
    before = Person.objects.count()
    with pytest.raises(CommandError):
        run("health_list", path, county="350902")
    assert Person.objects.count() == before
    assert not UninsuredCase.objects.exists() and not ImportBatch.objects.exists()
