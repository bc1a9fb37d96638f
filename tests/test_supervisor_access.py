"""Read-only logins of the city's supervisory departments (妇儿工委, education, health): the
city's figures and dashboard, never a person, case, task or export of personal data."""
import csv
import datetime
import io
import json

import pytest

from enrollment.models import AccessEvent, Area, Role, User
from reporting import services
from reporting.models import SubmittedReport

from .factories import make_user
from .reporting_helpers import EXPECTED_A, EXPECTED_CITY, dispatch_world  # noqa: F401

AS_OF = "as_of=2024-06-30"


def _charts(response):
    html = response.content.decode()
    start = html.index('<script id="dashboard-data" type="application/json">') + len(
        '<script id="dashboard-data" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


def test_a_supervisor_belongs_to_a_city_without_an_organisation(county_a, school_a, city):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        User(username="x", role=Role.SUPERVISOR, area=county_a).full_clean()
    with pytest.raises(ValidationError):
        User(username="y", role=Role.SUPERVISOR, area=city, organisation=school_a).full_clean()
    make_user(Role.SUPERVISOR, area=city)  # full_clean passes


def test_the_supervisor_reads_the_citys_figures(dispatch_world, login, supervisor_user, city_user, county_user_a):
    client = login(supervisor_user)
    table = client.get(f"/reporting/dispatch/?area=350900&{AS_OF}")
    assert table.status_code == 200
    html = table.content.decode()
    assert table.context["table"].rows[-1].figures == EXPECTED_CITY
    assert "/reporting/dispatch/people/" not in html  # figures, not links to the persons behind them
    assert "/reporting/dispatch/recompute/" not in html
    rows = list(csv.reader(io.StringIO(client.get(f"/reporting/dispatch/export.csv?area=350902&{AS_OF}")
                                       .content.decode("utf-8-sig"))))
    assert rows[1] == ["蕉城区", *(str(v) for v in EXPECTED_A.values())]

    # The dashboard counts what the city bureau counts.
    mine = _charts(client.get(f"/reporting/dashboard/?area=350900&{AS_OF}"))
    city = _charts(login(city_user).get(f"/reporting/dashboard/?area=350900&{AS_OF}"))
    assert mine == city and mine["children"]["count"] > 0

    # Submitted tables and the periods page, read-only.
    report = services.submit_report(user=county_user_a, deadline=datetime.date(2024, 7, 11))
    page = client.get(f"/reporting/reports/{report.pk}/")
    assert page.status_code == 200 and "/review/" not in page.content.decode()  # no review form
    periods_page = client.get("/reporting/periods/").content.decode()
    assert "蕉城区" in periods_page and "向逾期单位催报" not in periods_page
    assert client.get("/reporting/periods/2024-07-11/bulletin/").status_code == 200
    nav = client.get("/").content.decode()
    assert "/reporting/dispatch/" in nav and "/persons/" not in nav and "/outreach/tasks/" not in nav


PERSONAL_PAGES = [
    "/persons/", "/persons/export.csv", "/persons/export.xlsx", "/cases/", "/referrals/", "/duplicates/",
    "/imports/", "/comparison/", "/transfers/", "/withholding/", "/audit/", "/outreach/tasks/",
    "/outreach/uninsured/", "/outreach/progress/", "/outreach/newborns/", "/outreach/notices/",
    "/benefits/",
]


@pytest.mark.parametrize("url", PERSONAL_PAGES)
def test_no_page_of_personal_data(dispatch_world, login, supervisor_user, url):
    assert login(supervisor_user).get(url).status_code == 404


def test_no_person_by_url_nor_figure_drill_down_nor_write(dispatch_world, login, supervisor_user, county_user_a):
    client = login(supervisor_user)
    person = dispatch_world.six
    report = services.submit_report(user=county_user_a, deadline=datetime.date(2024, 7, 11))
    assert client.get(f"/persons/{person.pk}/").status_code == 404
    assert client.get(f"/reporting/dispatch/people/350902/insured_total/?{AS_OF}").status_code == 404
    assert client.post("/reporting/dispatch/recompute/", {"area": "350900", "as_of": "2024-06-30"}).status_code == 404
    assert client.post(f"/reporting/reports/{report.pk}/review/", {"decision": "accept"}).status_code == 404
    assert client.post("/reporting/periods/2024-07-11/remind/").status_code == 404
    assert client.get("/reporting/periods/2024-07-11/submit/").status_code == 404
    assert SubmittedReport.objects.get().status == "submitted"
    # what it did read is in the audit trail, under the city
    client.get(f"/reporting/reports/{report.pk}/export.csv")
    assert AccessEvent.objects.filter(user=supervisor_user).exists()


def test_a_supervisor_sees_no_other_city(dispatch_world, login, county_user_a):
    lishui = make_user(Role.SUPERVISOR, area=Area.objects.get(pk="331100"), username="lishui_edu")
    report = services.submit_report(user=county_user_a, deadline=datetime.date(2024, 7, 11))
    client = login(lishui)
    assert client.get(f"/reporting/reports/{report.pk}/").status_code == 404
    assert client.get(f"/reporting/dispatch/?area=350902&{AS_OF}").status_code == 404
    assert client.get("/reporting/dashboard/?area=350900").status_code == 404
    assert "蕉城区" not in client.get("/reporting/periods/").content.decode()
