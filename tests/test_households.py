"""Households (家庭): children linked through a shared guardian's ID number or phone, never
through a school's or an office's phone typed in for many pupils."""
import datetime

import pytest
from django.urls import reverse

from enrollment.models import Guardian
from outreach import households

from .factories import make_id, make_organisation, make_person

pytestmark = pytest.mark.django_db
MOTHER_ID = make_id("350902", datetime.date(1988, 3, 3), "F")
FATHER_ID = make_id("350902", datetime.date(1986, 4, 4), "M")


def kid(county, name, *guardians, born=datetime.date(2015, 6, 1)):
    person = make_person(county, name=name, birth_date=born,
                         id_number=make_id(county.pk if hasattr(county, "pk") else county, born))
    for guardian_name, id_number, phone in guardians:
        Guardian.objects.create(person=person, name=guardian_name, id_number=id_number, phone=phone)
    return person


def test_children_of_one_guardian_form_a_household_through_id_or_phone(county_a):
    first = kid(county_a, "大宝", ("王芳", MOTHER_ID, ""))
    second = kid(county_a, "二宝", ("王芳", MOTHER_ID, "13900000001"))
    third = kid(county_a, "三宝", ("李强", FATHER_ID, "13900000001"))  # the mother's phone, the father's ID
    alone = kid(county_a, "邻居", ("赵敏", "", "13900000009"))
    groups = households.group([first.pk, second.pk, third.pk, alone.pk])
    assert groups == [sorted([first.pk, second.pk, third.pk]), [alone.pk]]
    assert households.count([first.pk, second.pk, third.pk, alone.pk]) == (4, 2)


def test_a_school_phone_shared_by_many_guardians_makes_no_household(county_a, settings):
    settings.HOUSEHOLD_PHONE_MAX_GUARDIANS = 4
    office = "05932222222"
    pupils = [kid(county_a, f"学生{n}", (f"家长{n}", "", office)) for n in range(5)]  # 5 guardians, 1 phone
    assert households.count([p.pk for p in pupils]) == (5, 5)
    # a family of four guardians on one phone still is one household
    family = [kid(county_a, f"孩子{n}", (f"亲属{n}", "", "13911112222")) for n in range(4)]
    assert households.count([p.pk for p in family]) == (4, 1)


def test_an_organisations_phone_is_no_household_key(county_a):
    kindergarten = make_organisation(county_a, kind="kindergarten", code="K1", name="阳光幼儿园")
    kindergarten.contact_phone = "05933333333"
    kindergarten.save()
    one = kid(county_a, "甲", ("老师", "", "05933333333"))
    two = kid(county_a, "乙", ("老师", "", "05933333333"))
    assert households.count([one.pk, two.pk]) == (2, 2)


def test_the_person_file_lists_only_siblings_the_user_may_see(county_a, county_b, county_user_a, login):
    child = kid(county_a, "本县孩子", ("王芳", MOTHER_ID, "13900000001"))
    kid(county_a, "本县弟弟", ("王芳", MOTHER_ID, ""), born=datetime.date(2018, 1, 1))
    kid(county_b, "外县姐姐", ("王芳", MOTHER_ID, "13900000001"), born=datetime.date(2012, 1, 1))
    page = login(county_user_a).get(reverse("person_detail", args=[child.pk])).content.decode()
    assert "本县弟弟" in page
    assert "外县姐姐" not in page  # a child of county B, tied to nothing in A


def test_a_household_task_shows_the_partner_only_the_siblings_it_may_see(county_a, school_a, school_user_a, login):
    from enrollment.models import Role
    from outreach.models import OutreachTask

    from .factories import make_case, make_user, place_in_school

    pupil = kid(county_a, "本校学生", ("王芳", MOTHER_ID, "13900000001"))
    place_in_school(pupil, school_a)
    sibling = kid(county_a, "本校妹妹", ("王芳", MOTHER_ID, ""), born=datetime.date(2017, 1, 1))
    place_in_school(sibling, school_a)
    kid(county_a, "别校哥哥", ("王芳", MOTHER_ID, ""), born=datetime.date(2010, 1, 1))  # another school's
    case = make_case(person=pupil, year=2027)
    staff = make_user(Role.COUNTY, area=county_a, username="clerk")
    task = OutreachTask.objects.create(case=case, person=pupil, county=county_a, assignee=school_a,
                                       due_on=datetime.date(2026, 12, 20), created_by=staff)
    page = login(school_user_a).get(reverse("outreach_task", args=[task.pk])).content.decode()
    assert "本校妹妹" in page and "别校哥哥" not in page
