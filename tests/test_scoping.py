"""One scoping layer: a county user never reaches another county's rows; partners see only
their own organisation's; objects outside the scope are 404."""
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.contrib.auth.models import Group
from django.http import Http404

from enrollment import scoping
from enrollment.models import AccessEvent, EnrollmentRecord, Organisation, Person

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
