"""The dispatch table pages: what each role sees, the drill-down lists, the audit trail."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollment.models import AccessAction, AccessEvent
from enrollment.registry import id_numbers
from reporting.dispatch import figures as dispatch

from .reporting_helpers import EXPECTED_A, EXPECTED_B, EXPECTED_CITY, dispatch_world  # noqa: F401

AS_OF = "as_of=2024-06-30"


def _figures_in(page, code):
    """The figures of one county's row, read back from the page's links, in column order. A
    zero is not a link (nobody is behind it): every column the row does not link reads 0."""
    html = page.content.decode()
    marker = f'/reporting/dispatch/people/{code}/'
    figures = dict.fromkeys(dispatch.KEYS, 0)
    for chunk in html.split(marker)[1:]:
        key = chunk.split("/", 1)[0]
        figures[key] = int(chunk.split(">", 1)[1].split("<", 1)[0])
        assert figures[key] > 0, f"a zero cell is a link: {key}"
    return figures


def test_county_user_sees_its_table_with_every_figure_linked(dispatch_world, login, county_user_a):
    page = login(county_user_a).get(f"/reporting/dispatch/?{AS_OF}")
    assert page.status_code == 200
    assert _figures_in(page, "350902") == EXPECTED_A
    assert "霞浦县" not in page.content.decode()


def test_city_user_sees_every_county_and_the_total(dispatch_world, login, city_user):
    page = login(city_user).get(f"/reporting/dispatch/?area=350900&{AS_OF}")
    assert _figures_in(page, "350921") == EXPECTED_B
    assert _figures_in(page, "350900") == EXPECTED_CITY


def test_county_b_cannot_see_county_a(dispatch_world, login, county_user_b):
    client = login(county_user_b)
    assert client.get(f"/reporting/dispatch/?area=350902&{AS_OF}").status_code == 404
    assert client.get(f"/reporting/dispatch/?area=350900&{AS_OF}").status_code == 404
    assert client.get(f"/reporting/dispatch/export.xlsx?area=350902&{AS_OF}").status_code == 404
    assert client.get(f"/reporting/dispatch/people/350902/kg_uninsured/?{AS_OF}").status_code == 404
    assert client.get(f"/reporting/dispatch/people/350900/insured_total/?{AS_OF}").status_code == 404


@pytest.mark.parametrize("partner", ["school_user_a", "health_user_a", "community_user_a"])
def test_partners_get_404_everywhere(dispatch_world, login, partner, request):
    client = login(request.getfixturevalue(partner))
    for url in (f"/reporting/dispatch/?{AS_OF}", "/reporting/dispatch/export.csv", "/reporting/periods/",
                f"/reporting/dispatch/people/350902/kg_uninsured/?{AS_OF}", "/reporting/dashboard/"):
        assert client.get(url).status_code == 404, url


def test_drill_down_lists_the_people_behind_a_figure_masked_and_audited(
        dispatch_world, login, county_user_a):
    page = login(county_user_a).get(f"/reporting/dispatch/people/350902/school_uninsured/?{AS_OF}")
    html = page.content.decode()
    assert page.status_code == 200
    # found uninsured on the roster's date (1 May): the late payer and the one paid on the
    # cut-off day count too, since both were uninsured on the list's date
    assert "未参保学生" in html and "截止后缴费" in html and "动员学生" in html
    assert "满九岁" not in html  # insured in January
    number = dispatch_world.school_uninsured.id_number
    assert number not in html and id_numbers.mask(number) in html
    event = AccessEvent.objects.get(action=AccessAction.VIEW_LIST, user=county_user_a)
    assert event.record_count == 3 and event.county_id == "350902"


def test_drill_down_of_a_city_total_spans_the_counties(dispatch_world, login, city_user):
    html = login(city_user).get(f"/reporting/dispatch/people/350900/age_6_9/?{AS_OF}").content.decode()
    assert "满六岁" in html and "霞浦儿童" in html


def test_drill_down_count_matches_the_figure_for_every_column(dispatch_world, login, county_user_a):
    client = login(county_user_a)
    for key, figure in EXPECTED_A.items():
        page = client.get(f"/reporting/dispatch/people/350902/{key}/?{AS_OF}")
        assert page.context["table"].paginator.count == figure, key


def test_unknown_column_is_404_and_a_future_date_400(dispatch_world, login, county_user_a):
    client = login(county_user_a)
    assert client.get(f"/reporting/dispatch/people/350902/nonsense/?{AS_OF}").status_code == 404
    assert client.get("/reporting/dispatch/people/350902/age_0_1/?as_of=2999-01-01").status_code == 400


def test_export_is_audited(dispatch_world, login, county_user_a):
    response = login(county_user_a).get(f"/reporting/dispatch/export.csv?{AS_OF}")
    assert response.status_code == 200
    assert AccessEvent.objects.filter(action=AccessAction.EXPORT, user=county_user_a).count() == 1


def test_a_future_date_is_refused_with_a_message(dispatch_world, login, county_user_a):
    page = login(county_user_a).get("/reporting/dispatch/?as_of=2999-01-01")
    assert "数据截至：日期不能晚于今天。" in page.content.decode()


def test_drill_down_can_be_narrowed_by_the_person_filters(dispatch_world, login, county_user_a):
    page = login(county_user_a).get(f"/reporting/dispatch/people/350902/insured_total/?{AS_OF}&q=满")
    names = {person.name for person in page.context["table"].data}
    assert names == {"满一岁", "满六岁", "满三岁", "满十五", "满十二", "满九岁"}


@pytest.mark.parametrize("user", ["county_user_a", "city_user"])
def test_the_users_areas_are_loaded_once_per_page(dispatch_world, login, user, request):
    client = login(request.getfixturevalue(user))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/reporting/dispatch/?area=350902&{AS_OF}").status_code == 200
    lists = [q["sql"] for q in queries if "\"enrollment_area\".\"level\" = 'county'" in q["sql"]]
    assert len(lists) == 1, "\n".join(lists)


def test_only_the_table_imports_recompute_says_it_follows_imports(dispatch_world, login, county_user_a):
    client = login(county_user_a)
    past = client.get(f"/reporting/dispatch/?{AS_OF}").content.decode()
    current = client.get("/reporting/dispatch/").content.decode()  # the cut-off the page opens on
    assert "此截至日期的数据仅在点击按钮后重新计算" in past and "每次导入后会在后台自动重新计算" not in past
    assert "每次导入后会在后台自动重新计算" in current
