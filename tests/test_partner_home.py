"""A partner's home page opens on its to-do list (issue 17): overdue tasks, tasks due this
week, newborns near the end of their enrollment window (with the guardian's phone), notices
to hand out; only its own."""
import datetime

import pytest

from enrollment.models import Guardian
from outreach.models import OutreachTask
from tests.factories import make_person, put_on_list
from tests.trust_helpers import world_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def test_a_health_partner_sees_its_overdue_tasks_and_newborns_near_day_90(login, health_user_a, clinic_a,
                                                                         county_a):
    late = world_of(county_a, marker="逾期孩子", owner=clinic_a)
    OutreachTask.objects.filter(pk=late.task.pk).update(due_on=TODAY - datetime.timedelta(days=3))
    world_of(county_a, marker="别家孩子")  # another organisation's task: never shown
    near = make_person(county_a, name="八十五天", birth_date=TODAY - datetime.timedelta(days=85))
    far = make_person(county_a, name="二十天", birth_date=TODAY - datetime.timedelta(days=20))
    for baby in (near, far):
        put_on_list(baby, "health", organisation=clinic_a)
    Guardian.objects.create(person=near, name="八妈妈", phone="13912345678", organisation=clinic_a)

    text = login(health_user_a).get("/").content.decode()
    todo = text[text.index("我的待办"):text.index('<div class="cards">')]
    assert "已逾期的任务" in todo and f'/outreach/tasks/{late.task.pk}/">逾期孩子</a>' in todo
    assert "别家孩子" not in text
    assert "临近参保期限的新生儿" in todo and "八十五天" in todo and "二十天" not in todo
    assert "还有5天" in todo and "13912345678" in todo and f"/persons/{near.pk}/" in todo
    assert "待发放的告知书" not in todo, "a health partner prints no notices"


def test_a_school_liaison_sees_notices_to_hand_out(login, school_user_a, school_a, county_a):
    world = world_of(county_a, marker="告知孩子", owner=school_a)
    text = login(school_user_a).get("/").content.decode()
    todo = text[text.index("我的待办"):text.index('<div class="cards">')]
    assert "待发放的告知书" in todo and f"/outreach/notices/{world.notices.pk}/download/" in todo
    assert "临近参保期限的新生儿" not in todo, "schools have no newborn list"


def test_bureau_staff_have_no_to_do_list(login, county_user_a):
    assert "我的待办" not in login(county_user_a).get("/").content.decode()


def test_the_to_do_list_naming_children_and_guardians_phones_is_in_the_audit_log(login, health_user_a, clinic_a,
                                                                                  county_a):
    from enrollment.models import AccessAction, AccessEvent

    near = make_person(county_a, name="八十五天", birth_date=TODAY - datetime.timedelta(days=85))
    put_on_list(near, "health", organisation=clinic_a)
    Guardian.objects.create(person=near, name="八妈妈", phone="13912345678", organisation=clinic_a)
    AccessEvent.objects.all().delete()
    assert "13912345678" in login(health_user_a).get("/").content.decode()
    event = AccessEvent.objects.get(user=health_user_a)
    assert event.action == AccessAction.VIEW_LIST and event.record_count == 1


def test_an_empty_to_do_list_logs_nothing(login, school_user_a):
    from enrollment.models import AccessEvent

    login(school_user_a).get("/")
    assert not AccessEvent.objects.filter(user=school_user_a).exists()
