"""Tasks (issue 17): a task links to the child's file (when the user may open it); county staff
hand a task to another partner and/or extend its deadline, with a trail (who, when, old → new,
why); the newborn list links names and shows the guardian's phone."""
import datetime

import pytest

from enrollment.models import Guardian, Role
from outreach.models import Notification, OutreachTask, TaskChange
from tests.factories import make_organisation, make_person, make_user, put_on_list
from tests.trust_helpers import world_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def test_the_task_page_links_the_childs_file(login, county_user_a, health_user_a, clinic_a, county_a):
    world = world_of(county_a, marker="链接孩子", owner=clinic_a)
    for user in (county_user_a, health_user_a):
        text = login(user).get(f"/outreach/tasks/{world.task.pk}/").content.decode()
        assert f'href="/persons/{world.person.pk}/"' in text
        assert login(user).get(f"/persons/{world.person.pk}/").status_code == 200


def test_county_staff_reassign_and_extend_a_task_with_a_trail(login, county_user_a, clinic_a, federation_a,
                                                              county_a, health_user_a, community_user_a):
    world = world_of(county_a, marker="改派孩子", owner=clinic_a)
    county_user_a.last_name, county_user_a.first_name = "陈", "建华"
    county_user_a.save()
    old_due = world.task.due_on
    new_due = old_due + datetime.timedelta(days=20)
    client = login(county_user_a)
    page = client.get(f"/outreach/tasks/{world.task.pk}/").content.decode()
    assert "改派或延长期限" in page and f'value="{old_due.isoformat()}"' in page
    response = client.post(f"/outreach/tasks/{world.task.pk}/change/", {
        "assignee": federation_a.pk, "due_on": new_due.isoformat(), "reason": "家长在社区务工，由妇联跟进"})
    assert response.status_code == 302
    task = OutreachTask.objects.get(pk=world.task.pk)
    assert (task.assignee_id, task.due_on) == (federation_a.pk, new_due)
    change = TaskChange.objects.get()
    assert (change.old_assignee_id, change.new_assignee_id, change.old_due_on, change.new_due_on,
            change.changed_by_id) == (clinic_a.pk, federation_a.pk, old_due, new_due, county_user_a.pk)
    page = client.get(f"/outreach/tasks/{world.task.pk}/").content.decode()
    assert f"{clinic_a.name} → {federation_a.name}" in page
    assert f"{old_due:%Y-%m-%d} → {new_due:%Y-%m-%d}" in page
    assert "陈建华（蕉城区医保局）" in page and "家长在社区务工，由妇联跟进" in page
    # The new partner hears of it, works it now; the old one no longer reaches it.
    note = Notification.objects.get(recipient=community_user_a)
    assert note.title == "改派给您的任务：改派孩子" and note.url == f"/outreach/tasks/{world.task.pk}/"
    assert login(community_user_a).get(f"/outreach/tasks/{world.task.pk}/").status_code == 200
    assert login(health_user_a).get(f"/outreach/tasks/{world.task.pk}/").status_code == 404


def test_a_change_needs_a_reason_a_real_change_and_a_partner_of_the_county(login, county_user_a, clinic_a,
                                                                          county_a, county_b):
    world = world_of(county_a, marker="不改孩子", owner=clinic_a)
    foreign = make_organisation(county_b, kind="womens_federation", name="霞浦县妇联")
    client = login(county_user_a)
    url = f"/outreach/tasks/{world.task.pk}/change/"
    later = (world.task.due_on + datetime.timedelta(days=5)).isoformat()
    cases = [
        ({"assignee": clinic_a.pk, "due_on": later, "reason": ""}, "调整原因"),
        ({"assignee": clinic_a.pk, "due_on": world.task.due_on.isoformat(), "reason": "无"}, "没有任何变更"),
        ({"assignee": clinic_a.pk, "due_on": (TODAY - datetime.timedelta(days=1)).isoformat(), "reason": "延期"},
         "完成期限不能早于今天"),
        ({"assignee": foreign.pk, "due_on": later, "reason": "外县"}, "选择一个有效的选项"),
    ]
    for data, message in cases:
        text = client.post(url, data, follow=True).content.decode()
        assert message in text, (data, message)
    assert not TaskChange.objects.exists()
    assert OutreachTask.objects.get(pk=world.task.pk).assignee_id == clinic_a.pk


def test_only_the_county_changes_its_tasks(login, city_user, county_user_b, health_user_a, clinic_a, county_a):
    world = world_of(county_a, marker="他人孩子", owner=clinic_a)
    data = {"assignee": clinic_a.pk, "due_on": (TODAY + datetime.timedelta(days=60)).isoformat(), "reason": "x"}
    for user in (city_user, county_user_b, health_user_a):
        assert login(user).post(f"/outreach/tasks/{world.task.pk}/change/", data).status_code == 404
    assert not TaskChange.objects.exists()


def test_the_newborn_list_links_names_and_shows_the_guardians_phone(login, county_user_a, health_user_a,
                                                                    clinic_a, county_a):
    baby = make_person(county_a, name="小新生", birth_date=TODAY - datetime.timedelta(days=30))
    put_on_list(baby, "newborn", organisation=clinic_a)
    Guardian.objects.create(person=baby, name="新妈妈", phone="13700001111")  # the county's
    Guardian.objects.create(person=baby, name="门诊登记", phone="13600002222", organisation=clinic_a)
    county_page = login(county_user_a).get("/outreach/newborns/").content.decode()
    assert f'<a href="/persons/{baby.pk}/">小新生</a>' in county_page
    assert "13700001111" in county_page and "13600002222" in county_page
    partner_page = login(health_user_a).get("/outreach/newborns/").content.decode()
    assert "13600002222" in partner_page
    assert "13700001111" not in partner_page, "a partner reads only the guardians its own lists brought"
    other_clinic = make_user(Role.HEALTH, organisation=make_organisation(county_a, kind="vaccination_point"))
    assert "小新生" not in login(other_clinic).get("/outreach/newborns/").content.decode()
