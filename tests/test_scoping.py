"""One scoping layer: a county user never reaches another county's rows; partners see only
their own organisation's; objects outside the scope are 404."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from enrollment.access import scoping
from enrollment.models import AccessEvent, Area, EnrollmentRecord, Organisation, Person

from .factories import enroll, make_person


@pytest.fixture
def two_children(county_a, county_b, school_a):
    child_a = make_person(county_a, name="甲县儿童", school=school_a)
    child_b = make_person(county_b, name="乙县儿童")
    enroll(child_a, 2025)
    enroll(child_b, 2025)
    return child_a, child_b


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_county_user_sees_only_own_county(two_children, county_user_a, county_user_b):
    assert names(scoping.visible_to(Person, county_user_a)) == ["甲县儿童"]
    assert names(scoping.visible_to(Person, county_user_b)) == ["乙县儿童"]


def test_city_user_sees_all_counties_of_its_city(two_children, city_user):
    assert names(scoping.visible_to(Person, city_user)) == ["乙县儿童", "甲县儿童"]


def test_other_county_object_is_404_not_403(two_children, county_user_a):
    _, child_b = two_children
    with pytest.raises(Http404):
        scoping.get_visible_or_404(Person, county_user_a, pk=child_b.pk)


def test_related_rows_follow_the_person(two_children, county_user_a):
    assert list(
        scoping.visible_to(EnrollmentRecord, county_user_a).values_list("person__name", flat=True)
    ) == ["甲县儿童"]


def test_school_liaison_sees_only_its_students(two_children, county_a, school_user_a):
    make_person(county_a, name="别校儿童")
    assert names(scoping.visible_to(Person, school_user_a)) == ["甲县儿童"]
    assert list(scoping.visible_to(Organisation, school_user_a)) == [school_user_a.organisation]


def test_partner_without_tasks_or_lists_sees_nobody(two_children, health_user_a, community_user_a):
    assert scoping.visible_to(Person, health_user_a).count() == 0
    assert scoping.visible_to(Person, community_user_a).count() == 0


def test_partners_never_see_the_audit_trail(two_children, school_user_a, county_user_a):
    AccessEvent.objects.create(user=county_user_a, action="view_detail", subject="x", county_id="350902")
    assert scoping.visible_to(AccessEvent, school_user_a).count() == 0
    assert scoping.visible_to(AccessEvent, county_user_a).count() == 1


def test_merged_newborn_record_is_hidden(county_a, county_user_a):
    target = make_person(county_a, name="落户后")
    make_person(county_a, name="出生证记录", birth_certificate_no="Q35000000001", merged_into=target)
    assert names(scoping.visible_to(Person, county_user_a)) == ["落户后"]


def test_user_without_role_sees_nothing(two_children, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert scoping.visible_to(Person, nobody).count() == 0


def test_model_without_rule_fails_closed(county_user_a):
    with pytest.raises(ImproperlyConfigured):
        scoping.visible_to(Group, county_user_a)


COUNTY_LIST_QUERY = 'SELECT "enrollment_area"."code" AS "pk" FROM "enrollment_area" WHERE "enrollment_area"."parent_id"'


def county_list_queries(captured):
    return [query["sql"] for query in captured.captured_queries if query["sql"].startswith(COUNTY_LIST_QUERY)]


def test_a_city_page_reads_the_city_s_counties_once(two_children, login, city_user):
    client = login(city_user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.context["summary"]["children"] == 2  # persons, children, cases, imports: all scoped
    assert len(county_list_queries(captured)) == 1


def test_a_new_request_sees_a_county_added_to_the_city(two_children, city, city_user):
    assert names(scoping.visible_to(Person, city_user)) == ["乙县儿童", "甲县儿童"]
    new_county = Area.objects.create(code="350998", name="新设县", level="county", parent=city)
    make_person(new_county, name="新县儿童")
    next_request_user = get_user_model().objects.get(pk=city_user.pk)
    assert names(scoping.visible_to(Person, next_request_user)) == ["乙县儿童", "新县儿童", "甲县儿童"]


def test_the_county_list_follows_a_change_of_city(two_children, city_user):
    assert scoping.visible_to(Person, city_user).count() == 2
    city_user.area = Area.objects.get(pk="331100")  # Lishui: Ningde's counties must not stick
    make_person(Area.objects.get(pk="331102"), name="丽水儿童")
    assert names(scoping.visible_to(Person, city_user)) == ["丽水儿童"]


def test_a_county_page_never_asks_for_a_county_list(two_children, login, county_user_a):
    client = login(county_user_a)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.context["summary"]["children"] == 1
    assert county_list_queries(captured) == []
