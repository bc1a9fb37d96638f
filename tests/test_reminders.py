"""Reminders: who receives them, when, through which channel, and never twice."""
import datetime
import logging

import pytest
from django.core import mail
from django.core.management import call_command

from enrollment.models import ListSource, Role
from outreach.models import Notification, ReminderLog
from outreach import selectors
from outreach.reminders import send_reminders

from .factories import enroll, make_organisation, make_person, make_user
from .outreach_helpers import make_case, make_task, put_on_list

TODAY = datetime.date(2024, 11, 20)


def _days_before_deadline(days):
    """A birth date whose 90-day deadline is ``days`` after TODAY."""
    return TODAY - datetime.timedelta(days=90 - days)


def _titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


@pytest.fixture
def staff(county_user_a, county_user_b, school_user_a, health_user_a):
    county_user_a.email = "a@bureau.example"
    county_user_a.phone = "13900000001"
    county_user_a.save()
    return county_user_a


def test_a_newborn_30_days_before_the_deadline_reaches_county_staff_and_its_clinic(
        staff, county_user_b, school_user_a, health_user_a, clinic_a, county_a):
    baby = make_person(county_a, name="陈小宝", birth_date=_days_before_deadline(30))
    put_on_list(baby, ListSource.HEALTH, organisation=clinic_a)

    sent = send_reminders(today=TODAY)

    assert sent == {"newborn_30": 2}
    assert _titles(staff) == ["新生儿参保期限剩余30天（1 人）"]
    assert "陈小宝" in Notification.objects.get(recipient=health_user_a).body
    assert _titles(county_user_b) == [] and _titles(school_user_a) == []


def test_a_reminder_is_sent_once_however_often_beat_runs(staff, county_a):
    baby = make_person(county_a, name="陈小宝", birth_date=_days_before_deadline(30))
    put_on_list(baby, ListSource.NEWBORN)

    send_reminders(today=TODAY)
    send_reminders(today=TODAY)
    send_reminders(today=TODAY + datetime.timedelta(days=1))

    assert len(_titles(staff)) == 1
    assert ReminderLog.objects.filter(recipient=staff, kind="newborn_30").count() == 1


def test_the_7_day_reminder_follows_the_30_day_one(staff, county_a):
    baby = make_person(county_a, name="陈小宝", birth_date=_days_before_deadline(30))
    put_on_list(baby, ListSource.NEWBORN)
    send_reminders(today=TODAY)
    send_reminders(today=TODAY + datetime.timedelta(days=23))
    assert sorted(_titles(staff)) == ["新生儿参保期限剩余30天（1 人）", "新生儿参保期限剩余7天（1 人）"]


def test_insured_or_unlisted_newborns_get_no_reminder(staff, county_a):
    insured = make_person(county_a, name="已参保", birth_date=_days_before_deadline(30))
    put_on_list(insured, ListSource.NEWBORN)
    enroll(insured, 2024)
    make_person(county_a, name="不在名单", birth_date=_days_before_deadline(30))
    assert send_reminders(today=TODAY) == {}


def test_the_reminders_name_the_same_newborns_as_the_newborn_list(staff, county_user_a, county_a):
    born = _days_before_deadline(30)
    birth_list = make_person(county_a, name="出生名单", birth_date=born, sex="M")
    put_on_list(birth_list, ListSource.NEWBORN)
    health_list = make_person(county_a, name="卫健名单", birth_date=born, sex="F")
    put_on_list(health_list, ListSource.HEALTH)
    roster_only = make_person(county_a, name="仅学籍名单", birth_date=born, birth_certificate_no="Q350000001")
    put_on_list(roster_only, ListSource.SCHOOL)
    merged = make_person(county_a, name="已合并", birth_date=born, birth_certificate_no="Q350000002",
                         merged_into=birth_list)
    put_on_list(merged, ListSource.NEWBORN)

    send_reminders(today=TODAY)

    listed = {person.name for person in selectors.newborns(county_user_a, today=TODAY)}
    reminded = Notification.objects.get(recipient=staff).body
    assert listed == {"出生名单", "卫健名单"}
    assert {name for name in ("出生名单", "卫健名单", "仅学籍名单", "已合并") if name in reminded} == listed


def test_overdue_and_due_tasks_reach_only_the_assignee(staff, school_user_a, health_user_a, school_a, county_a):
    overdue = make_case(county_a, name="林小一")
    due = make_case(county_a, name="林小二")
    later = make_case(county_a, name="林小三")
    make_task(overdue, school_a, due_on=TODAY - datetime.timedelta(days=1))
    make_task(due, school_a, due_on=TODAY + datetime.timedelta(days=2))
    make_task(later, school_a, due_on=TODAY + datetime.timedelta(days=20))
    colleague = make_user(Role.SCHOOL, organisation=school_a)

    assert send_reminders(today=TODAY) == {"task_overdue": 2, "task_due": 2}

    for user in (school_user_a, colleague):
        assert sorted(_titles(user)) == ["动员任务即将到期（1 项）", "动员任务已逾期（1 项）"]
    bodies = " ".join(Notification.objects.filter(recipient=school_user_a).values_list("body", flat=True))
    assert "林小一" in bodies and "林小二" in bodies and "林小三" not in bodies
    assert _titles(health_user_a) == [] and _titles(staff) == []


def test_dispatch_deadline_reaches_county_staff_in_the_week_before(staff, county_user_b, city_user, school_user_a):
    assert send_reminders(today=datetime.date(2024, 11, 3)) == {}
    assert send_reminders(today=datetime.date(2024, 11, 4)) == {"dispatch": 2}
    for user in (staff, county_user_b):
        assert _titles(user) == ["调度表报送提醒"]
        assert "2024-11-11" in Notification.objects.get(recipient=user).body
    assert _titles(city_user) == [] and _titles(school_user_a) == []


def test_the_first_dispatch_deadline_of_11_july_2024_only_once(staff):
    assert send_reminders(today=datetime.date(2024, 3, 8)) == {}  # no report was due in March 2024
    assert send_reminders(today=datetime.date(2024, 7, 8)) == {"dispatch": 2}
    assert send_reminders(today=datetime.date(2025, 7, 8)) == {}


def test_september_publicity_month_reaches_everyone_once(staff, city_user, school_user_a):
    sent = send_reminders(today=datetime.date(2025, 9, 1))
    assert sent["publicity"] == 5  # both counties, the city, the school and the clinic
    send_reminders(today=datetime.date(2025, 9, 15))
    assert _titles(school_user_a) == ["集中参保宣传月"]


def test_reminders_go_by_email_and_sms(staff, county_a, caplog):
    put_on_list(make_person(county_a, name="陈小宝", birth_date=_days_before_deadline(7)), ListSource.NEWBORN)
    with caplog.at_level(logging.INFO, logger="outreach.sms"):
        send_reminders(today=TODAY)
    assert [m.to for m in mail.outbox] == [["a@bureau.example"]]
    assert "陈小宝" in mail.outbox[0].body
    assert "/outreach/newborns/" in mail.outbox[0].body
    assert any("13900000001" in r.getMessage() for r in caplog.records)


def test_the_command_runs_the_same_service(staff, county_a):
    put_on_list(make_person(county_a, name="陈小宝", birth_date=_days_before_deadline(30)), ListSource.NEWBORN)
    call_command("send_reminders", "--date", TODAY.isoformat())
    call_command("send_reminders", "--date", TODAY.isoformat())
    assert _titles(staff) == ["新生儿参保期限剩余30天（1 人）"]


def test_the_daily_run_is_in_the_editable_beat_schedule(db):
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="outreach.send_reminders")
    assert entry.enabled and entry.crontab.hour == "7"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # areas come from a migration
def test_a_real_celery_worker_sends_the_reminders(celery_worker, county_a):
    """The beat entry's task, run by a real worker process on the test database."""
    from config.celery import app

    school = make_organisation(county_a, kind="school", name="工作进程测试学校")
    liaison = make_user(Role.SCHOOL, organisation=school)
    task = make_task(make_case(county_a, name="林逾期"), school,
                     due_on=datetime.date.today() - datetime.timedelta(days=2))

    result = app.send_task("outreach.send_reminders", queue=celery_worker.queue)

    assert result.get(timeout=60).get("task_overdue") == 1
    note = Notification.objects.get(recipient=liaison)
    assert "林逾期" in note.body
    assert ReminderLog.objects.filter(subject_key=f"task:{task.pk}").count() == 1
