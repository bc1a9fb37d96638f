"""Typed query-string parameters (issue 15): a hostile or mistyped page, page size or date is a
400 with a Chinese message, never a 500, on every page of the access matrix; page sizes are
capped."""
import datetime

import pytest
from django.urls import reverse

from enrollment.portal.params import MAX_PER_PAGE

from .factories import make_person
from .trust_helpers import SPECS, world_of

pytestmark = pytest.mark.django_db

HOSTILE = (
    "page=99999999999999999999", "page=abc", "per_page=-5", "per_page=99999999999999999999",
    "as_of=0001-01-01", "as_of=2024-02-30", "year=99999999999999999999", "pay_by=0001-01-01",
    "insurance_year=99999999999999999999", "county=99999999999999999999",
)
GET_PAGES = [name for name, spec in SPECS.items() if spec.method == "GET" and spec.kind != "public"]


def test_no_typed_parameter_gives_a_server_error(county_user_a, county_a, login):
    world = world_of(county_a, marker="林小雨")
    client = login(county_user_a)
    client.raise_request_exception = False
    answers = {}
    for name in GET_PAGES:
        url = SPECS[name].url(name, world)
        for query in HOSTILE:
            response = client.get(url + ("&" if "?" in url else "?") + query)
            answers[(name, query)] = response.status_code
            if response.status_code == 400:
                assert "参数" in response.content.decode(), (name, query)
    assert not {key: status for key, status in answers.items() if status >= 500}
    assert len(answers) == len(GET_PAGES) * len(HOSTILE)


def test_bad_page_numbers_and_dates_are_explained_in_chinese(county_user_a, county_a, login):
    client = login(county_user_a)
    response = client.get(reverse("persons") + "?page=99999999999999999999")
    assert response.status_code == 400
    assert "参数“page”无效" in response.content.decode()
    response = client.get(reverse("reporting_people", args=[county_a.pk, "school_provided"]) + "?as_of=0001-01-01")
    assert response.status_code == 400
    assert "参数“as_of”无效" in response.content.decode()


def test_page_sizes_are_capped(county_user_a, county_a, login):
    for n in range(MAX_PER_PAGE + 5):
        make_person(county_a, name=f"童{n}", birth_date=datetime.date(2015, 1, 1) + datetime.timedelta(days=n))
    response = login(county_user_a).get(reverse("persons") + "?per_page=100000")
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == MAX_PER_PAGE
