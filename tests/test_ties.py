"""Who a child belongs to: one file for the city, ties across county lines, partners who see
only what they brought. Two counties of Ningde, 蕉城 (A) and 霞浦 (B), checked from both sides
and from each partner of A."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrollment.access import scoping
from enrollment.comparison import services as case_services
from enrollment.importing import partners
from enrollment.models import (
    Area,
    CaseReferral,
    Guardian,
    ImportBatch,
    ListEntry,
    Person,
    SchoolPlace,
    SchoolTransfer,
    TieKind,
    UninsuredCase,
)
from enrollment.registry import places
from enrollment.registry.selectors import person_ties
from reporting.dispatch import figures as dispatch

from .factories import enroll, make_case, make_organisation, make_person, place_in_school
from .registry_helpers import ROSTER_HEADERS, child_id, media_root, write_csv  # noqa: F401

pytestmark = pytest.mark.django_db
D = datetime.date
HEALTH_HEADERS = ["身份证号", "姓名", "出生日期", "出生医学证明编号", "监护人身份证号", "监护人电话", "接种单位"]
RESIDENCE_HEADERS = ["户籍地区代码", "常住地区代码", "居住证号", "居住证有效期"]


def upload_and_confirm(client, path, kind="school_roster"):
    response = client.post("/imports/", {"kind": kind, "file": SimpleUploadedFile(path.name, path.read_bytes())})
    page = client.get(response.url).content.decode()
    client.post(response.url + "confirm/")
    return ImportBatch.objects.order_by("-pk").first(), page


def visible(user, person):
    return scoping.visible_to(Person, user).filter(pk=person.pk).exists()


@pytest.fixture
def xiapu_child(county_b, school_b):
    """A child whose file 霞浦 keeps, at a 霞浦 school, with 霞浦's guardian on file."""
    child = make_person(county_b, name="林小雨", id_number=child_id(41, area="350921"), school=school_b,
                        class_name="二(1)班")
    Guardian.objects.create(person=child, name="林妈妈", phone="13900000001", relation="母亲")
    enroll(child, 2025, area_code="350921")
    return child


# --- One file for the city: a county sees every child tied to it, and through what -------------

@pytest.mark.parametrize("tie", ["registration", "residence", "school", "list", "insured", "case"])
def test_a_county_sees_a_child_kept_elsewhere_through_each_tie(tie, county_a, county_b, school_a,
                                                               county_user_a, county_user_b, xiapu_child):
    assert not visible(county_user_a, xiapu_child)
    if tie == "registration":
        Person.objects.filter(pk=xiapu_child.pk).update(hukou_area_code=county_a.pk)
    elif tie == "residence":
        Person.objects.filter(pk=xiapu_child.pk).update(residence_area_code=county_a.pk)
    elif tie == "school":
        place_in_school(xiapu_child, school_a)
    elif tie == "list":
        from .factories import add_list_entries, make_import_batch
        add_list_entries(make_import_batch(county_a, "health_list"), "health", [xiapu_child])
    elif tie == "insured":
        enroll(xiapu_child, 2026, area_code=county_a.pk)
    else:
        make_case(person=xiapu_child, source="school", handled_by=county_a)
    xiapu_child.refresh_from_db()
    assert visible(county_user_a, xiapu_child) and visible(county_user_b, xiapu_child)
    ties, seen_through = person_ties(xiapu_child, [county_a.pk], xiapu_child.enrollments.all())
    assert seen_through == {TieKind(tie)}
    assert dict(ties)[TieKind.KEEPER] == [county_b.pk]


def test_the_person_file_says_through_which_ties_a_county_sees_it(login, county_a, county_user_a, xiapu_child):
    Person.objects.filter(pk=xiapu_child.pk).update(residence_area_code=county_a.pk)
    page = login(county_user_a).get(f"/persons/{xiapu_child.pk}/").content.decode()
    assert "与各县（区）的关联" in page and "常住地" in page and "✓" in page
    assert "林妈妈" in page  # county staff of a tied county read the whole file


def test_a_child_of_another_city_stays_out_of_reach(county_user_a, city_user):
    lishui = make_person(Area.objects.get(pk="331102"), name="丽水儿童", hukou_area_code="331102")
    assert not visible(county_user_a, lishui) and not visible(city_user, lishui)


# --- Partners see only what they brought --------------------------------------------------

def test_a_liaison_cannot_claim_a_child_by_its_id_number(media_root, tmp_path, login, school_user_a, county_a):
    """The reproduction: a one-row roster with any ID number of the county and any name."""
    child = make_person(county_a, name="陈真名", id_number=child_id(42))
    Guardian.objects.create(person=child, name="陈爸爸", phone="13900000002")
    client = login(school_user_a)
    path = write_csv(tmp_path / "claim.csv", ROSTER_HEADERS,
                     [[child.id_number, "随便写", "S3509020001", "", "小学", "三年级", "2班", "联络员", "13700000000"]])
    batch, page = upload_and_confirm(client, path)
    assert batch.status == "invalid" and [e["message"] for e in batch.errors] == [partners.REFUSED]
    assert "陈真名" not in page and "陈爸爸" not in page
    child.refresh_from_db()
    assert child.school_id is None and list(child.guardians.values_list("name", flat=True)) == ["陈爸爸"]
    assert client.get(f"/persons/{child.pk}/").status_code == 404


def test_a_refusal_reads_the_same_for_a_wrong_name_and_for_another_countys_child(
        media_root, tmp_path, login, school_user_a, county_a, xiapu_child):
    own = make_person(county_a, name="陈真名", id_number=child_id(43))
    client = login(school_user_a)
    messages = []
    for number, name in ((own.id_number, "错名字"), (xiapu_child.id_number, xiapu_child.name)):
        path = write_csv(tmp_path / f"{name}.csv", ROSTER_HEADERS,
                         [[number, name, "S3509020001", "", "小学", "三年级", "2班", "", ""]])
        batch, page = upload_and_confirm(client, path)
        messages.append([e["message"] for e in batch.errors])
        assert "霞浦" not in page and "已登记" not in page
    assert messages == [[partners.REFUSED], [partners.REFUSED]]
    assert not ListEntry.objects.exists()


def test_a_health_partner_cannot_claim_a_child_either(media_root, tmp_path, login, health_user_a, county_a):
    child = make_person(county_a, name="陈真名", id_number=child_id(44), birth_date=D(2016, 3, 1))
    path = write_csv(tmp_path / "health.csv", HEALTH_HEADERS,
                     [[child.id_number, "随便写", "2016-03-01", "", "", "13700000000", "蕉城区预防接种门诊"]])
    batch, _page = upload_and_confirm(login(health_user_a), path, kind="health_list")
    assert batch.status == "invalid" and not Guardian.objects.exists()


def test_a_liaisons_own_child_at_another_school_is_a_transfer_the_county_confirms(
        media_root, tmp_path, login, school_user_a, county_user_a, county_a, school_a):
    other_school = make_organisation(county_a, kind="school", code="S3509020099", name="蕉城二小")
    child = make_person(county_a, name="陈转学", id_number=child_id(45), school=other_school, class_name="四(2)班")
    Guardian.objects.create(person=child, name="陈妈妈", phone="13900000003")
    enroll(child, 2025)
    liaison = login(school_user_a)
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS,
                     [[child.id_number, "陈转学", "S3509020001", "", "小学", "四年级", "1班", "联络员", "13700000000"]])
    batch, _page = upload_and_confirm(liaison, path)
    assert batch.status == "done"
    child.refresh_from_db()
    assert (child.school_id, child.class_name) == (other_school.pk, "四(2)班")  # not moved
    transfer = SchoolTransfer.objects.get()
    assert (transfer.from_school_id, transfer.to_school_id, transfer.status) == (other_school.pk, school_a.pk,
                                                                                  "pending")
    # The liaison's guardian is the liaison's: kept apart, never replacing the county's.
    assert Guardian.objects.get(phone="13700000000").organisation_id == school_a.pk
    assert Guardian.objects.get(phone="13900000003").organisation_id is None
    # What the liaison sees: its own list and its own contact, not the county's file.
    page = liaison.get(f"/persons/{child.pk}/").content.decode()
    assert "联络员" in page and "陈妈妈" not in page and "13900000003" not in page
    assert "参保记录" not in page and "变更记录" not in page and child.id_number not in page
    # Every change records its user.
    assert child.history.filter(history_user=school_user_a).exists() is False  # nothing changed yet
    staff = login(county_user_a)
    assert "陈转学" in staff.get("/transfers/").content.decode()
    staff.post(f"/transfers/{transfer.pk}/decide/", {"accept": "1", "next": "list"})
    child.refresh_from_db()
    assert (child.school_id, child.grade, child.class_name) == (school_a.pk, "四年级", "1班")
    assert SchoolPlace.history.filter(person_id=child.pk).latest().history_user == county_user_a


def test_an_import_records_its_user_in_the_file_history(media_root, tmp_path, login, county_user_a):
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS,
                     [[child_id(46), "王新生", "S3509020001", "实验小学", "小学", "一年级", "1班", "", ""]])
    upload_and_confirm(login(county_user_a), path)
    change = Person.objects.get().history.get()
    assert change.history_user == county_user_a
    page = login(county_user_a).get(f"/persons/{Person.objects.get().pk}/").content.decode()
    assert county_user_a.username in page


# --- Residence and registration arrive with the lists ----------------------------------------

def test_a_roster_brings_residence_registration_and_permit(media_root, tmp_path, login, county_user_a, county_user_b):
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS + RESIDENCE_HEADERS, [
        [child_id(47), "外地娃", "S3509020001", "实验小学", "小学", "一年级", "1班", "", "",
         "350921", "350902", "JZ350902001", "2027-06-30"],
    ])
    batch, _page = upload_and_confirm(login(county_user_a), path)
    child = Person.objects.get()
    assert (child.hukou_area_code, child.residence_area_code, child.residence_permit_no,
            child.residence_permit_until, child.residence_permit) == ("350921", "350902", "JZ350902001",
                                                                      D(2027, 6, 30), True)
    assert visible(county_user_b, child)  # 霞浦 sees its registered child through registration


def test_residence_columns_are_validated_by_row_and_column(media_root, tmp_path, login, county_user_a):
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS + RESIDENCE_HEADERS, [
        [child_id(48), "外地娃", "S3509020001", "实验小学", "小学", "一年级", "1班", "", "", "35092", "", "", ""],
        [child_id(49), "无证娃", "S3509020001", "实验小学", "小学", "一年级", "1班", "", "", "", "", "", "2027-01-01"],
    ])
    batch, page = upload_and_confirm(login(county_user_a), path)
    assert batch.status == "invalid" and not Person.objects.exists()
    errors = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert errors[(2, "户籍地区代码")] == "地区代码应为6位数字"
    assert errors[(3, "居住证号")] == "填写了居住证有效期时须填写居住证号"


# --- Counted where insured ------------------------------------------------------------------

def test_the_insured_total_counts_where_insured_and_the_city_counts_each_child_once(
        city, county_a, county_b, city_user, county_user_a, county_user_b):
    cutoff = D(2026, 6, 30)
    kept_in_b_insured_in_a = make_person(county_b, name="霞浦在蕉城参保", birth_date=D(2016, 1, 1))
    enroll(kept_in_b_insured_in_a, 2026, area_code=county_a.pk, paid_on=D(2026, 1, 10))
    twice = make_person(county_a, name="两地参保", birth_date=D(2015, 1, 1))
    enroll(twice, 2026, area_code=county_a.pk, paid_on=D(2026, 1, 10))
    enroll(twice, 2026, area_code=county_b.pk, paid_on=D(2026, 1, 10), scheme="employee")
    table = dispatch.build_table(city, cutoff)
    rows = {row.code: row.figures for row in table.rows}
    assert rows[county_a.pk]["insured_total"] == 2 and rows[county_b.pk]["insured_total"] == 1
    assert rows[city.pk]["insured_total"] == 2  # each child once, not 3
    for user, code in ((county_user_a, county_a.pk), (county_user_b, county_b.pk), (city_user, None)):
        counties = [code] if code else [c.pk for c in dispatch.counties_of(city)]
        people = dispatch.people_behind(scoping.visible_to(Person, user), "insured_total", counties, cutoff)
        assert people.count() == rows[code or city.pk]["insured_total"]


# --- A case belongs to the county whose list found the child ------------------------------

def test_a_case_is_referred_accepted_and_its_figure_follows(login, county_a, county_b, county_user_a,
                                                            county_user_b, xiapu_child):
    """The case (the work) moves to the county accepting it; the dispatch table's list figures
    stay with the county whose partner sent the list (issue 14: one definition of the figures,
    which never read the cases)."""
    from .factories import add_list_entries, make_import_batch

    Person.objects.filter(pk=xiapu_child.pk).update(residence_area_code=county_b.pk)
    add_list_entries(make_import_batch(county_a, "school_roster", list_date=D(2026, 3, 1), imported_on=D(2026, 3, 2)),
                     "school", [xiapu_child])
    case = make_case(person=xiapu_child, source="school", handled_by=county_a, year=2026, found_on=D(2026, 3, 1))
    assert scoping.visible_to(UninsuredCase, county_user_a).filter(pk=case.pk).exists()
    assert not scoping.visible_to(UninsuredCase, county_user_b).filter(pk=case.pk).exists()
    a, b = login(county_user_a), login(county_user_b)
    assert b.post(f"/cases/{case.pk}/reason/", {"reason": "unwilling"}).status_code == 404
    a.post(f"/cases/{case.pk}/refer/", {"to_county": county_b.pk, "reason": "常住霞浦"})
    referral = CaseReferral.objects.get()
    assert b.get(f"/cases/{case.pk}/").status_code == 200 and "常住霞浦" in b.get("/referrals/").content.decode()
    b.post(f"/referrals/{referral.pk}/answer/", {"accept": "0", "answer": ""})  # a return needs a reason
    assert CaseReferral.objects.get().status == "pending"
    b.post(f"/referrals/{referral.pk}/answer/", {"accept": "1", "answer": "已接收"})
    case.refresh_from_db()
    assert case.county_id == county_b.pk
    assert "已接收" in a.get(f"/cases/{case.pk}/").content.decode()  # A still reads the trail
    figures = dispatch.compute([county_a.pk, county_b.pk], D(2026, 6, 30))
    enroll(xiapu_child, 2026, area_code=county_b.pk, paid_on=D(2026, 4, 1))
    case_services.close_insured_cases(person_ids=[xiapu_child.pk])
    after = dispatch.compute([county_a.pk, county_b.pk], D(2026, 6, 30))
    assert (figures[county_a.pk]["school_after_outreach"], after[county_a.pk]["school_after_outreach"]) == (0, 1)
    assert after[county_b.pk]["school_after_outreach"] == 0
    assert UninsuredCase.objects.get(pk=case.pk).insured_on == D(2026, 4, 1)  # B's case closed by B's record


def test_a_referral_goes_only_to_residence_or_registration(county_a, county_user_a, xiapu_child):
    case = make_case(person=xiapu_child, source="school", handled_by=county_a)
    with pytest.raises(case_services.ReferralRefused):
        case_services.refer_case(case=case, to_county="350981", reason="随意", user=county_user_a)


def test_a_child_insured_in_another_county_closes_as_insured_elsewhere(county_a, xiapu_child):
    case = make_case(person=xiapu_child, source="school", handled_by=county_a, year=2026, found_on=D(2026, 3, 1))
    enroll(xiapu_child, 2026, area_code="350921", paid_on=D(2026, 4, 1))
    case_services.close_insured_cases(person_ids=[xiapu_child.pk])
    case.refresh_from_db()
    assert case.reason == "insured_elsewhere" and case.insured_on is None


# --- Where the child may enroll -------------------------------------------------------------

def test_a_non_local_preschooler_in_lishui_may_enroll_by_a_parents_residence_permit():
    found = places.enrollment_places(
        hukou="350902", residence="331102", school_county="", has_permit=False, has_certificate=True,
        birth_date=D(2023, 5, 1), guardian_permit_counties=["331102"], today=D(2026, 11, 28))
    by_county = {place.county: place.reasons for place in found}
    assert by_county["350902"] == (places.REGISTRATION,)
    assert "父母一方本地居住证" in " ".join(by_county["331102"])


def test_a_school_age_child_in_lishui_enrolls_at_residence_or_school_but_not_by_the_parents_permit():
    found = places.enrollment_places(
        hukou="350902", residence="", school_county="331102", has_permit=False, has_certificate=True,
        birth_date=D(2015, 5, 1), guardian_permit_counties=["331121"], today=D(2026, 11, 28))
    assert {place.county: place.reasons for place in found} == {"350902": (places.REGISTRATION,),
                                                                "331102": (places.SCHOOL,)}


def test_the_person_file_names_where_the_child_may_enroll(login, county_a, county_user_a):
    child = make_person(county_a, name="外地幼儿", birth_date=D(2023, 5, 1), hukou_area_code="350921",
                        residence_area_code="350902", residence_permit=True)
    page = login(county_user_a).get(f"/persons/{child.pk}/").content.decode()
    assert "可参保地" in page and "持居住证参保" in page and "霞浦县" in page


def test_a_notice_names_the_counties_where_a_non_local_child_may_enroll(county_a):
    from outreach.notices import pdf as notice_pdf

    local = make_person(county_a, name="本地娃", hukou_area_code="350902")
    non_local = make_person(county_a, name="外地娃", hukou_area_code="350921", residence_area_code="350902",
                            residence_permit=True)
    items = notice_pdf.notice_items(notice_pdf.prepare(Person.objects.filter(pk__in=[local.pk, non_local.pk])),
                                    pay_by=D(2026, 12, 31), today=D(2026, 11, 28))
    by_name = {item["person"].name: item["places"] for item in items}
    assert by_name["本地娃"] == ""
    assert by_name["外地娃"] == "霞浦县（户籍地参保）、蕉城区（持居住证参保）"


def test_a_newborn_list_records_the_parents_residence_permit_and_the_file_says_where_to_enroll(
        media_root, tmp_path, login, county_user_a):
    headers = ["出生医学证明编号", "姓名", "性别", "出生日期", "身份证号", "监护人身份证号", "户籍地区代码",
               "常住地区代码", "监护人居住证地区代码"]
    guardian = child_id(7, area="350921", birth=D(1992, 3, 22))
    path = write_csv(tmp_path / "newborns.csv", headers,
                     [["Q331102001", "新生宝", "男", "2026-10-01", "", guardian, "350921", "331102", "331102"]])
    batch, _page = upload_and_confirm(login(county_user_a), path, kind="newborns")
    assert batch.status == "done"
    baby = Person.objects.get()
    assert baby.guardians.get().residence_permit_area_code == "331102"
    by_county = {place.county: place.reasons for place in places.places_of(baby, baby.guardians.all(),
                                                                          today=D(2026, 11, 28))}
    assert "父母一方本地居住证" in " ".join(by_county["331102"])


def test_a_liaison_taking_in_a_child_without_a_school_fills_but_never_changes_its_residence(
        media_root, tmp_path, login, school_user_a, county_a, school_a, county_user_b):
    child = make_person(county_a, name="陈无校", id_number=child_id(50), hukou_area_code="350902",
                        residence_area_code="350902")
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS + RESIDENCE_HEADERS, [
        [child.id_number, "陈无校", "S3509020001", "", "小学", "一年级", "1班", "", "",
         "350921", "350921", "JZ001", "2027-01-01"],
    ])
    batch, _page = upload_and_confirm(login(school_user_a), path)
    assert batch.status == "done"
    child.refresh_from_db()
    assert (child.school_id, child.grade, child.class_name) == (school_a.pk, "一年级", "1班")
    assert (child.hukou_area_code, child.residence_area_code) == ("350902", "350902")  # the county's stay
    assert child.residence_permit_no == "JZ001"  # an empty fact is filled
    assert not visible(county_user_b, child)  # a partner cannot tie a child to another county
