"""The outreach pages: who sees what, assigning, contacts, progress, exports, newborns."""
import csv
import datetime
import io

import pytest
from django.urls import reverse

from enrollment.models import AccessEvent, ListSource
from outreach.models import ContactRecord, Notification, OutreachTask, TaskStatus

from .factories import enroll, make_person
from .outreach_helpers import make_case, make_task, put_on_list

TODAY = datetime.date.today()
DUE = TODAY + datetime.timedelta(days=14)


@pytest.fixture
def cases_a(county_a, school_a):
    return [
        make_case(county_a, name="林小一", school=school_a, class_name="一(1)班"),
        make_case(county_a, name="林小二", school=school_a, class_name="一(2)班"),
        make_case(county_a, name="陈小三", source="health"),
    ]


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_county_staff_assign_a_filtered_class_in_bulk(login, county_user_a, school_a, cases_a):
    client = login(county_user_a)
    url = reverse("outreach_cases") + "?class_name=一(1)班"
    response = client.post(url, {"assignee": school_a.pk, "due_on": DUE.isoformat(), "scope": "filtered"})
    assert response.status_code == 302
    task = OutreachTask.objects.get()
    assert (task.person.name, task.assignee, task.due_on) == ("林小一", school_a, DUE)


def test_county_staff_assign_selected_children(login, county_user_a, federation_a, cases_a):
    client = login(county_user_a)
    client.post(reverse("outreach_cases"), {
        "assignee": federation_a.pk, "due_on": DUE.isoformat(), "scope": "selected",
        "select": [cases_a[1].pk, cases_a[2].pk],
    })
    assert sorted(OutreachTask.objects.values_list("person__name", flat=True)) == ["林小二", "陈小三"]


def test_an_assignment_error_is_shown_in_chinese(login, county_user_a, school_a, cases_a):
    response = login(county_user_a).post(reverse("outreach_cases"), {
        "assignee": school_a.pk, "due_on": "2020-01-01", "scope": "filtered"})
    assert response.status_code == 200
    assert "完成期限不能早于今天" in response.content.decode()
    assert not OutreachTask.objects.exists()


def test_the_uninsured_list_masks_ids_and_is_audited(login, county_user_a, cases_a):
    response = login(county_user_a).get(reverse("outreach_cases"))
    page = response.content.decode()
    person = cases_a[0].person
    assert "林小一" in page and person.id_number not in page
    assert AccessEvent.objects.filter(user=county_user_a, action="view_list").exists()


def test_partner_sees_only_its_own_tasks(login, school_user_a, school_a, clinic_a, cases_a):
    make_task(cases_a[0], school_a)
    other = make_task(cases_a[2], clinic_a)
    client = login(school_user_a)
    page = client.get(reverse("outreach_tasks")).content.decode()
    assert "林小一" in page and "陈小三" not in page
    assert client.get(reverse("outreach_task", args=[other.pk])).status_code == 404


def test_another_county_gets_404_for_a_task(login, county_user_b, school_a, cases_a):
    task = make_task(cases_a[0], school_a)
    client = login(county_user_b)
    assert client.get(reverse("outreach_task", args=[task.pk])).status_code == 404
    assert "林小一" not in client.get(reverse("outreach_tasks")).content.decode()


def test_partner_pages_of_the_bureau_are_404(login, school_user_a):
    client = login(school_user_a)
    assert client.get(reverse("outreach_cases")).status_code == 404
    assert client.get(reverse("outreach_progress")).status_code == 404


def test_partner_records_a_contact_with_an_outcome(login, school_user_a, school_a, cases_a):
    task = make_task(cases_a[0], school_a)
    response = login(school_user_a).post(reverse("outreach_task", args=[task.pk]), {
        "date": TODAY.isoformat(), "method": "phone", "outcome": "will_enroll", "note": "家长答应月底缴费",
    })
    assert response.status_code == 302
    contact = ContactRecord.objects.get()
    assert (contact.by, contact.note) == (school_user_a, "家长答应月底缴费")
    task.refresh_from_db()
    assert (task.status, task.outcome) == (TaskStatus.DONE, "will_enroll")
    assert AccessEvent.objects.filter(action="change", person=task.person).exists()


def test_a_future_contact_date_is_refused_on_the_page(login, school_user_a, school_a, cases_a):
    task = make_task(cases_a[0], school_a)
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = login(school_user_a).post(reverse("outreach_task", args=[task.pk]), {
        "date": tomorrow.isoformat(), "method": "phone"})
    assert "联系日期不能晚于今天" in response.content.decode()
    assert not ContactRecord.objects.exists()


def test_progress_per_partner_and_per_school_with_export(login, county_user_a, school_a, clinic_a, cases_a):
    make_task(cases_a[0], school_a, status=TaskStatus.INSURED, closed_on=TODAY)
    make_task(cases_a[1], school_a, due_on=DUE)
    make_task(cases_a[2], clinic_a, outcome="unwilling", status=TaskStatus.DONE)
    client = login(county_user_a)

    rows = _csv(client.get(reverse("outreach_progress") + "?export=csv"))
    by_partner = {row[1]: row for row in rows[1:]}
    assert by_partner[school_a.name][2:6] == ["2", "1", "0", "0"]  # tasks, open, overdue, done
    assert by_partner[school_a.name][6:8] == ["1", "50.0%"]
    assert by_partner[clinic_a.name][2] == "1"

    rows = _csv(client.get(reverse("outreach_progress") + "?by=school&export=csv"))
    assert [row[1] for row in rows[1:]] == [school_a.name]
    assert AccessEvent.objects.filter(user=county_user_a, action="export").exists()


def test_the_overdue_filter_lists_the_tasks_the_progress_page_counts_overdue(
        login, county_user_a, school_a, cases_a):
    make_task(cases_a[0], school_a, due_on=TODAY - datetime.timedelta(days=1))
    make_task(cases_a[1], school_a, due_on=TODAY)  # due today: not overdue yet
    make_task(cases_a[2], school_a, due_on=TODAY - datetime.timedelta(days=5), status=TaskStatus.DONE)
    client = login(county_user_a)

    progress = _csv(client.get(reverse("outreach_progress") + "?export=csv"))
    overdue = _csv(client.get(reverse("outreach_tasks") + "?overdue=true&export=csv"))
    not_overdue = _csv(client.get(reverse("outreach_tasks") + "?overdue=false&export=csv"))

    assert progress[1][4] == "1"
    assert [row[0] for row in overdue[1:]] == ["林小一"]
    assert sorted(row[0] for row in not_overdue[1:]) == ["林小二", "陈小三"]


def test_task_export_masks_id_numbers_in_xlsx(login, county_user_a, school_a, cases_a):
    from openpyxl import load_workbook

    make_task(cases_a[0], school_a)
    response = login(county_user_a).get(reverse("outreach_tasks") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "林小一" in values
    assert cases_a[0].person.id_number not in values
    assert any(str(v).endswith(cases_a[0].person.id_number[-4:]) and "*" in str(v) for v in values)


def test_newborns_listed_by_days_left_and_flagged_past_the_deadline(login, county_user_a, county_a):
    late = make_person(county_a, name="超期宝宝", birth_date=TODAY - datetime.timedelta(days=100))
    soon = make_person(county_a, name="将满宝宝", birth_date=TODAY - datetime.timedelta(days=80))
    insured = make_person(county_a, name="已参保宝宝", birth_date=TODAY - datetime.timedelta(days=20))
    enroll(insured, TODAY.year)
    for person in (late, soon, insured):
        put_on_list(person, ListSource.NEWBORN)
    client = login(county_user_a)

    rows = _csv(client.get(reverse("outreach_newborns") + "?export=csv"))
    names = [row[0] for row in rows[1:]]
    assert names == ["超期宝宝", "将满宝宝"]
    days_left = {row[0]: row[4] for row in rows[1:]}
    assert days_left == {"超期宝宝": "-10", "将满宝宝": "10"}
    page = client.get(reverse("outreach_newborns")).content.decode()
    assert "1 名新生儿已超过90天参保期限" in page
    past = client.get(reverse("outreach_newborns") + "?state=past").content.decode()
    assert "超期宝宝" in past and "将满宝宝" not in past
    within = client.get(reverse("outreach_newborns") + "?state=open").content.decode()
    assert "将满宝宝" in within and "超期宝宝" not in within


def test_notifications_are_a_users_own(login, county_user_a, county_user_b):
    Notification.objects.create(recipient=county_user_a, kind="dispatch", title="调度表截止提醒")
    assert "调度表截止提醒" in login(county_user_a).get(reverse("outreach_notifications")).content.decode()
    assert "调度表截止提醒" not in login(county_user_b).get(reverse("outreach_notifications")).content.decode()


@pytest.mark.parametrize("url_name, fixture", [
    ("outreach_newborns", "school_user_a"),
    ("outreach_newborns", "community_user_a"),
    ("outreach_notices", "health_user_a"),
    ("outreach_notices", "city_user"),
    ("outreach_cases", "community_user_a"),
])
def test_pages_outside_a_role_are_404(db, request, login, url_name, fixture):
    assert login(request.getfixturevalue(fixture)).get(reverse(url_name)).status_code == 404


OUTREACH_PAGES = ("outreach_cases", "outreach_tasks", "outreach_progress", "outreach_newborns",
                  "outreach_notices", "outreach_notifications")


@pytest.mark.parametrize("fixture", ["city_user", "county_user_a", "school_user_a", "health_user_a",
                                     "community_user_a"])
def test_a_role_has_a_link_to_exactly_the_outreach_pages_it_may_open(db, request, login, fixture):
    client = login(request.getfixturevalue(fixture))
    task_list = client.get(reverse("outreach_tasks"))
    linked = {item["url"] for group in task_list.context["nav_groups"] for item in group["items"]}

    opens = {reverse(name) for name in OUTREACH_PAGES if client.get(reverse(name)).status_code == 200}

    assert opens == linked & {reverse(name) for name in OUTREACH_PAGES}
    # the task list offers to print notices exactly where the notice pages open
    assert (reverse("outreach_notice_tasks") in task_list.content.decode()) == (reverse("outreach_notices") in opens)


def test_city_staff_see_progress_but_do_not_assign(login, city_user, school_a, cases_a):
    make_task(cases_a[0], school_a, due_on=DUE)
    client = login(city_user)
    assert school_a.name in client.get(reverse("outreach_progress")).content.decode()
    response = client.post(reverse("outreach_cases"), {
        "assignee": school_a.pk, "due_on": DUE.isoformat(), "scope": "filtered"})
    assert response.status_code == 404
    assert OutreachTask.objects.count() == 1


def test_the_task_page_shows_the_contact_history_to_the_county(login, county_user_a, school_user_a, school_a, cases_a):
    task = make_task(cases_a[0], school_a, due_on=DUE)
    login(school_user_a).post(reverse("outreach_task", args=[task.pk]), {
        "date": TODAY.isoformat(), "method": "home_visit", "outcome": "unreachable", "note": "家中无人"})
    page = login(county_user_a).get(reverse("outreach_task", args=[task.pk])).content.decode()
    assert "家中无人" in page and "入户走访" in page and "无法联系" in page
    assert cases_a[0].person.id_number not in page
