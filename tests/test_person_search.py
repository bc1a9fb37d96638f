"""Searching the person list by name or certificate: a name finds every child whose name
starts with it, and no other (the search runs as an index range where the database orders text
by code point, so its edges are tried here); letters and digits also find a birth certificate."""
import datetime

import pytest

from enrollment.registry.filters import name_prefix, text_in_code_point_order

from .factories import make_organisation, make_person


def names_found(client, query):
    page = client.get("/persons/", {"q": query})
    assert page.status_code == 200
    return {row.record.name for row in page.context["table"].page.object_list}


@pytest.mark.django_db
def test_a_name_finds_the_names_that_start_with_it_and_no_neighbour(county_a, county_user_a, login):
    for n, name in enumerate(["王", "王小明", "王\U00020000", "玊红", "玌一", "汪洋", "小王"]):
        make_person(county_a, name=name, birth_date=datetime.date(2015, 6, n + 1))
    client = login(county_user_a)
    assert names_found(client, "王") == {"王", "王小明", "王\U00020000"}
    assert names_found(client, "王小") == {"王小明"}
    assert names_found(client, "玊") == {"玊红"}
    assert names_found(client, " 王小明 ") == {"王小明"}


@pytest.mark.django_db
def test_letters_and_digits_find_a_birth_certificate_or_a_name(county_a, county_user_a, login):
    make_person(county_a, name="证明娃", birth_certificate_no="Q350902001", id_number=None)
    make_person(county_a, name="Qiqi", birth_date=datetime.date(2016, 1, 1))
    client = login(county_user_a)
    assert names_found(client, "Q350902001") == {"证明娃"}
    assert names_found(client, "Qi") == {"Qiqi"}


@pytest.mark.django_db
def test_the_range_is_used_only_where_text_is_ordered_by_code_point():
    condition = str(name_prefix("王"))
    assert ("name__lt" in condition) == text_in_code_point_order()


@pytest.mark.django_db
def test_the_school_filter_finds_the_school_s_children_of_any_county_for_the_city(
        county_a, county_b, city_user, login):
    school = make_organisation(county_b)
    make_person(county_b, name="乙校学生", school=school)
    make_person(county_b, name="乙县无校")
    make_person(county_a, name="甲县学生", school=make_organisation(county_a))
    page = login(city_user).get("/persons/", {"school": school.pk})
    assert {row.record.name for row in page.context["table"].page.object_list} == {"乙校学生"}
