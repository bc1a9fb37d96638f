"""The list pages as staff use them (issue 17): a total and a last page on /persons/, filters
that start on 全部, the city's 县（区） column and filter, and the bulk action of /cases/."""
import datetime
import re

import pytest

from enrollment.models import CaseReferral, ListSource, Person, UninsuredCase
from tests.factories import make_person
from tests.trust_helpers import world_of

pytestmark = pytest.mark.django_db


def case_of(person, county=None):
    return UninsuredCase.objects.create(person=person, county_id=(county or person.county).pk,
                                        source=ListSource.SCHOOL, insurance_year=2027,
                                        found_on=datetime.date(2026, 11, 1))


def test_the_person_list_shows_its_total_and_links_the_last_page(login, county_user_a, county_a):
    Person.objects.bulk_create([Person(county_id=county_a.pk, name=f"儿童{i}", birth_date=datetime.date(2016, 1, 1),
                                       sex="M", birth_certificate_no=f"Q{i:08d}") for i in range(120)])
    text = login(county_user_a).get("/persons/").content.decode()
    assert "共 120 人" in text
    assert "?page=3" in text, "the last page (3 of 50 rows each) is linked"


def test_filters_start_on_all_not_dashes_nor_unknown(login, county_user_a):
    client = login(county_user_a)
    for url in ("/persons/", "/cases/", "/outreach/tasks/", "/outreach/uninsured/", "/outreach/renewals/"):
        text = client.get(url).content.decode()
        assert "---------" not in text, url
        assert "未知" not in text, url
        assert '<option value="" selected>全部</option>' in text, url
    tasks = client.get("/outreach/tasks/").content.decode()
    overdue = re.search(r'<select name="overdue".*?</select>', tasks, re.S).group(0)
    assert "全部" in overdue and "是" in overdue and "否" in overdue


@pytest.mark.parametrize("url", ["/cases/", "/outreach/tasks/", "/persons/"])
def test_the_city_sees_and_filters_by_county(url, login, city_user, county_user_a, county_a, county_b):
    world_of(county_a, marker="甲县孩子")
    world_of(county_b, marker="乙县孩子")
    city = login(city_user)
    text = city.get(url).content.decode()
    assert "县（区）" in text and ">甲县孩子</a>" in text and ">乙县孩子</a>" in text
    assert re.search(r'<select name="county"', text)
    only_a = city.get(url, {"county": county_a.pk}).content.decode()
    assert ">甲县孩子</a>" in only_a and ">乙县孩子</a>" not in only_a
    if url != "/persons/":
        county_page = login(county_user_a).get(url).content.decode()
        assert '<select name="county"' not in county_page, "a county chooses no county"
        assert "<th" in county_page and ">县（区）<" not in county_page


def test_county_staff_set_a_reason_for_the_chosen_rows_only_in_their_county(
    login, county_user_a, county_a, county_b
):
    mine = [case_of(make_person(county_a, name=f"本县{i}")) for i in range(3)]
    foreign = case_of(make_person(county_b, name="外县"))
    client = login(county_user_a)
    page = client.get("/cases/").content.decode()
    assert 'form="case-bulk"' in page and 'id="case-bulk"' in page
    response = client.post("/cases/bulk/", {
        "select": [mine[0].pk, mine[1].pk, foreign.pk], "action": "reason", "reason": "moved_or_died",
        "note": "已外出务工", "query": "source=school",
    })
    assert response.status_code == 302 and response["Location"] == "/cases/?source=school"
    reasons = dict(UninsuredCase.objects.values_list("pk", "reason"))
    assert reasons[mine[0].pk] == reasons[mine[1].pk] == "moved_or_died"
    assert reasons[mine[2].pk] == "" and reasons[foreign.pk] == "", "unchosen and foreign rows stay"
    assert UninsuredCase.objects.get(pk=mine[0].pk).reason_set_by == county_user_a


def test_a_bulk_action_without_a_reason_or_a_row_changes_nothing(login, county_user_a, county_a):
    case = case_of(make_person(county_a))
    client = login(county_user_a)
    response = client.post("/cases/bulk/", {"select": [case.pk], "action": "reason", "reason": ""}, follow=True)
    assert "未参保原因：请选择一项。" in response.content.decode()
    response = client.post("/cases/bulk/", {"action": "reason", "reason": "moved_or_died"}, follow=True)
    assert "请在名单中至少勾选一名儿童。" in response.content.decode()
    assert UninsuredCase.objects.get(pk=case.pk).reason == ""


def test_county_staff_refer_the_chosen_cases_to_the_county_of_residence(login, county_user_a, county_a, county_b):
    moved = case_of(make_person(county_a, name="迁出", residence_area_code=county_b.pk))
    stays = case_of(make_person(county_a, name="留守"))
    response = login(county_user_a).post("/cases/bulk/", {
        "select": [moved.pk, stays.pk], "action": "refer", "refer_to": "residence", "note": "常住霞浦",
    }, follow=True)
    text = response.content.decode()
    assert "已转办 1 个个案" in text and "留守：只能转办至儿童的常住地或户籍地" in text
    referral = CaseReferral.objects.get()
    assert (referral.case_id, referral.to_county_id, referral.reason) == (moved.pk, county_b.pk, "常住霞浦")


def test_the_city_and_partners_cannot_use_the_bulk_action(login, city_user, school_user_a, county_a):
    case = case_of(make_person(county_a))
    for user in (city_user, school_user_a):
        response = login(user).post("/cases/bulk/", {"select": [case.pk], "action": "reason", "reason": "moved_or_died"})
        assert response.status_code in (403, 404)
    assert UninsuredCase.objects.get(pk=case.pk).reason == ""


def test_a_list_longer_than_the_cap_pages_on_without_counting_it_all(login, county_user_a, county_a, monkeypatch):
    """A county's whole registry is not counted on every view: past the cap the page says
    "more than" and offers the next page instead of the last."""
    from enrollment.portal import params

    monkeypatch.setattr(params, "COUNT_CAP", 100)
    Person.objects.bulk_create([Person(county_id=county_a.pk, name=f"儿童{i:03d}", birth_date=datetime.date(2016, 1, 1),
                                       sex="M", birth_certificate_no=f"Q{i:08d}") for i in range(120)])
    client = login(county_user_a)
    text = client.get("/persons/").content.decode()
    assert "超过 100 人" in text and "共 120 人" not in text
    assert "?page=2" in text and "?page=3" not in text, "the next page, not the last"
    assert "儿童049" in client.get("/persons/?page=1").content.decode()
    assert "儿童119" in client.get("/persons/?page=3").content.decode()
    assert "共 1 人" in client.get("/persons/?q=儿童007").content.decode(), "a narrowed list has its total"


def test_the_total_counts_the_children_kept_elsewhere_after_the_countys_own(login, county_user_a, county_a, county_b,
                                                                             monkeypatch):
    """The count reads the county's own files first and the files other counties keep but
    tie to it (here: registered in it) only when the own ones do not pass the cap: the total
    is the same either way, and a child of another county with no tie is never in it."""
    from enrollment.portal import params

    def child(i, county, hukou=""):
        return Person(county_id=county.pk, hukou_area_code=hukou, name=f"儿童{i:03d}",
                      birth_date=datetime.date(2016, 1, 1), sex="M", birth_certificate_no=f"Q{i:08d}")

    Person.objects.bulk_create([child(i, county_a) for i in range(3)]
                               + [child(i, county_b, hukou=county_a.pk) for i in range(3, 5)]
                               + [child(5, county_b)])
    client = login(county_user_a)
    assert "共 5 人" in client.get("/persons/").content.decode()
    monkeypatch.setattr(params, "COUNT_CAP", 4)
    assert "超过 4 人" in client.get("/persons/").content.decode(), "the tied children count past the cap"
    monkeypatch.setattr(params, "COUNT_CAP", 2)
    assert "超过 2 人" in client.get("/persons/").content.decode(), "the own files alone pass the cap"
    assert "共 1 人" in client.get("/persons/?q=儿童004").content.decode(), "found in the tied part alone"
    assert "共 0 人" in client.get("/persons/?q=儿童005").content.decode(), "no tie, not counted"


def test_the_list_shows_the_children_kept_elsewhere_that_match_and_only_those(login, county_user_a, county_a,
                                                                               county_b):
    """When no child another county keeps matches, the list reads the county's own files
    alone (``selectors.rows_to_list``); when one does, it is listed among them, in the list's
    order, and a child of another county with no tie never is."""
    def child(name, county, hukou=""):
        return Person(county_id=county.pk, hukou_area_code=hukou, name=name, birth_date=datetime.date(2016, 1, 1),
                      sex="M", birth_certificate_no=f"Q{ord(name[-1]):08d}")

    Person.objects.bulk_create([child("儿童甲", county_a), child("儿童乙", county_b, hukou=county_a.pk),
                                child("儿童丙", county_b)])
    client = login(county_user_a)
    text = client.get("/persons/?q=儿童").content.decode()
    assert "共 2 人" in text and "儿童甲" in text and "儿童乙" in text and "儿童丙" not in text
    text = client.get("/persons/?q=儿童甲").content.decode()
    assert "共 1 人" in text and "儿童甲" in text and "儿童乙" not in text
    text = client.get("/persons/?q=儿童乙").content.decode()
    assert "共 1 人" in text and "儿童乙" in text
