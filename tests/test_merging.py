"""A newborn known first by its birth-certificate number is merged into the ID-keyed record
once the ID is known, without losing its history."""
import datetime

import pytest
from django.core.management import call_command

from enrollment.access import scoping
from enrollment.models import Guardian, ListEntry, Person, PersonMerge, UninsuredCase

from .factories import enroll, make_person
from .registry_helpers import child_id, media_root, write_csv  # noqa: F401

pytestmark = pytest.mark.django_db
BORN = datetime.date(2026, 5, 1)
NEWBORN_HEADERS = ["出生医学证明编号", "姓名", "性别", "出生日期", "身份证号", "监护人身份证号", "户籍地区代码"]
GUARDIAN = child_id(3, birth=datetime.date(1992, 3, 22))


def newborn_file(tmp_path, name, id_number=""):
    return write_csv(tmp_path / name, NEWBORN_HEADERS,
                     [["Q350900001", "小宝", "男", "2026-05-01", id_number, GUARDIAN, "350902"]])


def run(kind, path):
    call_command("import_file", kind, str(path), "--county", "350902", "--today", "2026-11-23")


def test_an_id_in_a_later_list_lands_on_the_certificate_record(media_root, tmp_path):
    run("newborns", newborn_file(tmp_path, "a.csv"))
    baby = Person.objects.get()
    assert baby.id_number is None and baby.birth_certificate_no == "Q350900001"
    number = child_id(11, birth=BORN)
    run("newborns", newborn_file(tmp_path, "b.csv", number))
    baby.refresh_from_db()
    assert Person.objects.count() == 1 and baby.id_number == number
    assert ListEntry.objects.filter(person=baby).count() == 2


def test_two_records_of_one_child_are_merged_keeping_all_history(media_root, tmp_path, county_a, county_user_a,
                                                                login):
    run("newborns", newborn_file(tmp_path, "a.csv"))
    certificate_record = Person.objects.get()
    UninsuredCase.objects.create(person=certificate_record, county=county_a, source="newborn",
                                 insurance_year=2026, found_on=datetime.date(2026, 6, 30), reason="unreachable")
    number = child_id(13, birth=BORN)
    id_record = make_person(county_a, name="王小宝", birth_date=BORN, id_number=number)
    enroll(id_record, 2026, paid_on=datetime.date(2026, 7, 1))
    run("newborns", newborn_file(tmp_path, "b.csv", number))

    certificate_record.refresh_from_db()
    id_record.refresh_from_db()
    assert certificate_record.merged_into == id_record
    assert id_record.birth_certificate_no == "Q350900001"
    assert ListEntry.objects.filter(person=id_record).count() == 2
    assert UninsuredCase.objects.get().person == id_record
    assert Guardian.objects.filter(person=id_record, id_number=GUARDIAN).exists()
    assert id_record.enrollments.count() == 1
    assert certificate_record.history.count() >= 2  # the old record's own history is kept
    assert list(scoping.visible_to(Person, county_user_a)) == [id_record]
    client = login(county_user_a)
    assert client.get(f"/persons/{certificate_record.pk}/").status_code == 404
    assert "小宝" in client.get(f"/persons/{id_record.pk}/").content.decode()


def test_a_list_never_renumbers_another_countys_newborn_but_merges_it_with_a_trail_both_read(
        media_root, tmp_path, county_a, county_b, county_user_a, county_user_b):
    """A newborn held by certificate in Xiapu keeps its file when Jiaocheng's list gives an ID
    for it; once Jiaocheng's ID record and Xiapu's certificate record are named together, the
    two files become one, and both counties read how it happened."""
    elsewhere = make_person(county_b, name="小宝", birth_date=BORN, birth_certificate_no="Q350900001")
    number = child_id(17, birth=BORN)
    run("newborns", newborn_file(tmp_path, "a.csv", number))  # certificate only known in Xiapu
    elsewhere.refresh_from_db()
    assert elsewhere.id_number is None and elsewhere.merged_into is None

    id_record = make_person(county_a, name="王小宝", birth_date=BORN, id_number=child_id(19, birth=BORN))
    run("newborns", newborn_file(tmp_path, "b.csv", id_record.id_number))  # ID here, certificate there
    elsewhere.refresh_from_db()
    id_record.refresh_from_db()
    assert elsewhere.merged_into == id_record and id_record.birth_certificate_no == "Q350900001"
    assert ListEntry.objects.filter(person=id_record).count() == 2  # both lists' entries, on one file
    for user in (county_user_a, county_user_b):
        trail = scoping.visible_to(PersonMerge, user).get()
        assert (trail.source, trail.target) == (elsewhere, id_record)
        assert (trail.source_county_id, trail.target_county_id) == (county_b.pk, county_a.pk)
