"""The dashboard: rates against targets, reasons, outreach conversion, trend; scoped; CSP-safe."""
import datetime
import json
import re

from django.utils import timezone

from enrollment.models import UninsuredCase
from outreach.models import OutreachTask, TaskStatus

from .reporting_helpers import dispatch_world  # noqa: F401

D = datetime.date
URL = "/reporting/dashboard/?as_of=2024-06-30"


def _charts(page):
    """The data the page hands to dashboard.js, read back from its json_script element."""
    html = page.content.decode()
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def _task(case, assignee, status):
    task = OutreachTask.objects.create(case=case, person=case.person, county=case.county, assignee=assignee,
                                       due_on=D(2024, 4, 1), status=status)
    created = timezone.make_aware(datetime.datetime(2024, 3, 10, 9))  # before the cut-off
    OutreachTask.objects.filter(pk=task.pk).update(created_at=created)
    return task


def test_county_dashboard_figures(dispatch_world, login, county_user_a, clinic_a):
    w = dispatch_world
    UninsuredCase.objects.filter(person=w.kg_uninsured).update(reason="unwilling")
    kg_cases = UninsuredCase.objects.filter(source="kindergarten").order_by("pk")
    _task(kg_cases[0], w.kindergarten, TaskStatus.OPEN)
    _task(kg_cases[1], w.kindergarten, TaskStatus.INSURED)
    _task(UninsuredCase.objects.get(person=w.health_outreach), clinic_a, TaskStatus.INSURED)

    charts = _charts(login(county_user_a).get(URL))
    # Born in 2024: the newborn (its birth-certificate file merged into it counts once), insured.
    # Born in 2023: three children, all insured for 2024 only, so none in their birth year.
    assert charts["newborn"]["rows"] == [["2022", 1, 0, 0], ["2023", 3, 0, 0], ["2024", 1, 1, 100.0]]
    assert charts["newborn"]["target"] == 80
    # 22 children 0-18 in county A, 16 insured somewhere for 2024 by the cut-off.
    assert charts["children"]["rows"] == [["蕉城区", 22, 16, 72.7]] and charts["children"]["target"] == 95
    reasons = dict(zip(charts["reasons"]["labels"], charts["reasons"]["counts"]))
    assert reasons["不愿参保"] == 1 and reasons["原因待确认"] == 1  # the late payer's school case
    assert sum(reasons.values()) == 2
    conversion = dict(zip(charts["conversion"]["labels"], zip(charts["conversion"]["tasks"],
                                                              charts["conversion"]["insured"])))
    assert conversion == {"幼儿园": (2, 1), "预防接种单位": (1, 1)}


def test_trend_follows_the_submitted_tables(dispatch_world, login, county_user_a, city_user):
    login(county_user_a).post("/reporting/periods/2024-07-11/submit/", {
        "progress": "比对完成", "unit": "蕉城区医疗保障局", "checked_by": "林主任", "phone": "0593-2822100"})
    trend = _charts(login(city_user).get("/reporting/dashboard/?area=350900&as_of=2024-06-30"))["trend"]
    assert trend["labels"] == ["2024-06-30"]
    assert trend["insured_total"] == [15] and trend["newborns"] == [1] and trend["after_outreach"] == [3]


def test_city_dashboard_compares_counties(dispatch_world, login, city_user):
    charts = _charts(login(city_user).get("/reporting/dashboard/?area=350900&as_of=2024-06-30"))
    assert charts["children"]["labels"] == ["蕉城区", "霞浦县"]
    assert charts["children"]["rows"][1] == ["霞浦县", 2, 2, 100.0]


def test_county_b_sees_only_its_own(dispatch_world, login, county_user_b):
    client = login(county_user_b)
    assert client.get("/reporting/dashboard/?area=350902").status_code == 404
    assert _charts(client.get("/reporting/dashboard/?as_of=2024-06-30"))["children"]["rows"] == [["霞浦县", 2, 2, 100.0]]


def test_charts_come_from_static_files_only(dispatch_world, login, county_user_a):
    html = login(county_user_a).get(URL).content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert '/static/vendor/chart.umd.min.js' in html and '/static/js/dashboard.js' in html



def test_the_reason_pie_gives_each_reasons_number_and_share(dispatch_world, login, county_user_a):
    """Issue 17: the legend (drawn from shares) and the table under the pie carry numbers and shares."""
    UninsuredCase.objects.filter(person=dispatch_world.kg_uninsured).update(reason="unwilling")
    response = login(county_user_a).get(URL)
    charts = _charts(response)
    shares = dict(zip(charts["reasons"]["labels"], charts["reasons"]["shares"]))
    assert shares["不愿参保"] == 50.0 and shares["原因待确认"] == 50.0 and sorted(shares.values())[0] == 0
    html = response.content.decode()
    assert "<tr><td>不愿参保</td><td>1</td><td>50.0</td></tr>" in html
    assert '<tr class="total"><th>合计</th><td>2</td>' in html
