"""Messages to guardians (短信告知): consent and do-not-contact, one message per guardian,
purpose and week, a send record before the gateway call, retries with backoff on gateway
errors, and never twice for one request — also when the worker dies in the middle."""
import datetime
import time
from decimal import Decimal

import pytest
from django.urls import reverse

from enrollment.models import AccessAction, AccessEvent, Guardian
from outreach import guardian_sms
from outreach.models import GuardianMessage, GuardianPreference, MessagePurpose, MessageStatus
from outreach.sms import TestSMSBackend
from outreach.tasks import send_guardian_message

from .factories import enroll, make_id, make_person

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def gateway(settings, monkeypatch):
    monkeypatch.delenv("SMS_TEST_OUTBOX", raising=False)
    settings.SMS_BACKEND = "outreach.sms.TestSMSBackend"
    TestSMSBackend.reset()
    TestSMSBackend._attempts = 0
    yield TestSMSBackend
    TestSMSBackend.reset()


def family(county, name, phone, *, consent=True, do_not_contact=False, born=datetime.date(2015, 6, 1)):
    person = make_person(county, name=name, birth_date=born, id_number=make_id(county.pk, born))
    Guardian.objects.create(person=person, name=f"{name}的妈妈", phone=phone)
    enroll(person, 2026, fund_paid=Decimal("0"))
    GuardianPreference.objects.update_or_create(county=county, phone=phone, defaults={
        "consent": consent, "do_not_contact": do_not_contact})
    return person


def queue(persons, today=MONDAY, purpose=MessagePurpose.RENEWAL):
    return guardian_sms.queue(county_id="350902", purpose=purpose, person_ids=[p.pk for p in persons],
                              year=2027, deadline=datetime.date(2026, 12, 31), today=today)


def test_only_guardians_who_agreed_and_did_not_opt_out_get_one_message_per_week(county_a, gateway):
    elder = family(county_a, "张小明", "13900000001")
    younger = family(county_a, "张小红", "13900000001", born=datetime.date(2018, 1, 1))
    no_consent = family(county_a, "李四", "13900000002", consent=False)
    opted_out = family(county_a, "王五", "13900000003", do_not_contact=True)
    assert queue([elder, younger, no_consent, opted_out]) == (1, 0)
    message = GuardianMessage.objects.get()
    assert message.phone == "13900000001" and message.status == MessageStatus.QUEUED
    assert "张*明" in message.text and "张*红" in message.text and "张小明" not in message.text
    # the same week, from another page or the daily run: nothing new
    assert queue([elder], today=MONDAY + datetime.timedelta(days=6)) == (0, 1)
    # another purpose is another message; the next week another one
    assert queue([elder], purpose=MessagePurpose.UNINSURED)[0] == 1
    assert queue([elder], today=MONDAY + datetime.timedelta(days=7)) == (1, 0)
    assert GuardianMessage.objects.filter(purpose=MessagePurpose.RENEWAL).count() == 2


def test_a_message_is_sent_once_and_logged_with_the_gateways_status(county_a, gateway):
    queue([family(county_a, "张小明", "13900000001")])
    message = GuardianMessage.objects.get()
    assert guardian_sms.deliver(message.pk) == MessageStatus.SENT
    assert guardian_sms.deliver(message.pk) == MessageStatus.SENT  # a second run of the task
    assert [m["phone"] for m in gateway.sent()] == ["13900000001"]
    message.refresh_from_db()
    assert message.attempts == 1 and message.gateway_id == f"test-{message.request_key}"
    assert guardian_sms.refresh_statuses() == 1  # the delivery report
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_gateway_errors_are_retried_and_a_dead_gateway_fails_the_message(county_a, gateway):
    queue([family(county_a, "张小明", "13900000001"), family(county_a, "李四", "13900000002")])
    first, second = GuardianMessage.objects.order_by("phone")
    gateway.failures = 2
    send_guardian_message.apply(args=[first.pk])  # eager: the retries run at once
    first.refresh_from_db()
    assert (first.status, first.attempts) == (MessageStatus.SENT, 3)
    assert len(gateway.sent()) == 1
    gateway.failures, gateway._attempts = 1000, 0
    send_guardian_message.apply(args=[second.pk])
    second.refresh_from_db()
    assert second.status == MessageStatus.FAILED and "unavailable" in second.error
    assert second.attempts == guardian_sms.MAX_RETRIES + 1


def test_a_message_left_sending_is_asked_about_before_sending_again(county_a, gateway):
    queue([family(county_a, "张小明", "13900000001"), family(county_a, "李四", "13900000002")])
    reached, lost = GuardianMessage.objects.order_by("phone")
    # a worker died after the gateway took the first, and before it took the second
    gateway().send(reached.phone, reached.text, reference=reached.request_key)
    GuardianMessage.objects.update(status=MessageStatus.SENDING, attempts=1)
    assert guardian_sms.deliver(reached.pk) == MessageStatus.SENT
    assert guardian_sms.deliver(lost.pk) == MessageStatus.SENT
    assert sorted(m["phone"] for m in gateway.sent()) == ["13900000001", "13900000002"]


def test_the_sweep_hands_lost_messages_to_the_worker_again(county_a, gateway, django_capture_on_commit_callbacks,
                                                           monkeypatch):
    queue([family(county_a, "张小明", "13900000001")])
    GuardianMessage.objects.update(status=MessageStatus.SENDING)
    sent = []
    monkeypatch.setattr(send_guardian_message, "delay", lambda pk: sent.append(pk))
    assert guardian_sms.requeue_stuck() == []  # a send in progress is left alone
    assert guardian_sms.requeue_stuck(older_than=datetime.timedelta(0)) == [GuardianMessage.objects.get().pk]
    assert sent == [GuardianMessage.objects.get().pk]


def test_the_page_shows_what_was_sent_masked_and_only_in_scope(county_a, county_user_a, county_user_b, login,
                                                               gateway):
    queue([family(county_a, "张小明", "13900000001")])
    page = login(county_user_a).get(reverse("outreach_messages")).content.decode()
    assert "139****0001" in page and "张*明" in page
    assert "13900000001" not in page and "张小明" not in page
    assert AccessEvent.objects.filter(user=county_user_a, action=AccessAction.VIEW_LIST).exists()
    other = login(county_user_b).get(reverse("outreach_messages")).content.decode()
    assert "139****0001" not in other and "张*明" not in other
    export = login(county_user_b).get(reverse("outreach_messages") + "?export=csv").content.decode("utf-8-sig")
    assert "139****0001" not in export and "张*明" not in export
    own = login(county_user_a).get(reverse("outreach_messages") + "?export=csv").content.decode("utf-8-sig")
    assert "139****0001" in own and "13900000001" not in own


def test_consent_is_recorded_only_for_a_guardian_of_the_county(county_a, county_b, county_user_a, login):
    make_person(county_a, name="甲", id_number=make_id("350902")).guardians.create(name="妈妈", phone="13900000011")
    make_person(county_b, name="乙", id_number=make_id("350921")).guardians.create(name="妈妈", phone="13900000022")
    client = login(county_user_a)
    client.post(reverse("outreach_messages"), {"phone": "13900000011", "consent": "on"})
    assert GuardianPreference.objects.get(phone="13900000011").consent
    response = client.post(reverse("outreach_messages"), {"phone": "13900000022", "consent": "on"})
    assert "本县儿童的监护人中没有电话为 13900000022 的" in response.content.decode()
    assert not GuardianPreference.objects.filter(phone="13900000022").exists()


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_after_the_gateway_took_the_message_does_not_send_it_twice(county_a, tmp_path,
                                                                                  monkeypatch, settings):
    from config.celery import app

    from .celery_worker import WorkerProcess

    outbox = tmp_path / "outbox.jsonl"
    monkeypatch.setenv("SMS_BACKEND", "outreach.sms.TestSMSBackend")
    monkeypatch.setenv("SMS_TEST_OUTBOX", str(outbox))
    monkeypatch.setenv("SMS_TEST_HOLD_SECONDS", "60")  # the worker sleeps after the gateway took it
    settings.SMS_BACKEND = "outreach.sms.TestSMSBackend"
    worker = WorkerProcess(app).start()
    try:
        person = family(county_a, "张小明", "13900000001")
        queue([person], today=datetime.date.today())  # committed: the worker gets it
        message = GuardianMessage.objects.get()
        deadline = time.monotonic() + 120
        while not (outbox.exists() and GuardianMessage.objects.get().status == MessageStatus.SENDING):
            assert time.monotonic() < deadline, "the worker never reached the gateway"
            time.sleep(0.2)
        worker.kill()  # between the gateway and the portal's record
        assert GuardianMessage.objects.get().status == MessageStatus.SENDING
        monkeypatch.setenv("SMS_TEST_HOLD_SECONDS", "0")
        replacement = WorkerProcess(app)
        replacement.queue = worker.queue
        worker.app.conf.task_default_queue = worker.previous_queue
        replacement.start()
        try:
            # the broker's redelivery (Redis) or the sweep hands the task over again
            send_guardian_message.apply_async((message.pk,), queue=replacement.queue).get(timeout=120)
        finally:
            replacement.stop()
    finally:
        worker.stop()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert len(TestSMSBackend.sent()) == 1  # the gateway got it once


def test_a_county_template_from_the_admin_replaces_the_default(county_a, gateway):
    from outreach.models import MessageTemplate

    MessageTemplate.objects.create(county=county_a, purpose=MessagePurpose.RENEWAL,
                                   text="{children}家长您好，请在{deadline}前缴纳{year}年医保费。")
    queue([family(county_a, "张小明", "13900000001")])
    assert GuardianMessage.objects.get().text == "张*明家长您好，请在2026-12-31前缴纳2027年医保费。"


def test_the_daily_schedule_is_in_the_admin_and_texts_at_most_weekly(county_a, gateway,
                                                                     django_capture_on_commit_callbacks):
    from django_celery_beat.models import PeriodicTask

    from enrollment.models import ListSource

    from .factories import make_case, put_on_list

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"outreach.send_guardian_messages", "outreach.refresh_message_status"} <= tasks
    family(county_a, "续保儿", "13900000001")  # insured 2026, not yet 2027
    uninsured = make_case(county_a, year=2027, name="未参保儿", id_number=make_id("350902", datetime.date(2014, 2, 2)))
    uninsured.person.guardians.create(name="家长", phone="13900000002")
    baby = make_person(county_a, name="新生宝宝", birth_date=datetime.date(2026, 11, 1),
                       id_number=make_id("350902", datetime.date(2026, 11, 1)))
    baby.guardians.create(name="妈妈", phone="13900000003")
    put_on_list(baby, ListSource.NEWBORN)
    for phone in ("13900000002", "13900000003"):
        GuardianPreference.objects.create(county=county_a, phone=phone, consent=True)
    with django_capture_on_commit_callbacks(execute=False):
        assert guardian_sms.scheduled_run(today=MONDAY) == {"renewal": 1, "uninsured": 1, "newborn": 1}
        assert guardian_sms.scheduled_run(today=MONDAY + datetime.timedelta(days=1)) == {
            "renewal": 0, "uninsured": 0, "newborn": 0}
    newborn = GuardianMessage.objects.get(purpose=MessagePurpose.NEWBORN)
    assert newborn.phone == "13900000003" and "2027-01-30" in newborn.text and "新**宝" in newborn.text


def test_a_child_on_the_renewal_list_gets_the_renewal_text_not_also_the_uninsured_one(
        county_a, gateway, django_capture_on_commit_callbacks):
    """Renewal tasks open a 续保提醒 case with no reason: the child is still one family to text once."""
    from enrollment.models import ListSource, UninsuredCase

    child = family(county_a, "续保儿", "13900000001")  # insured 2026, not yet 2027
    UninsuredCase.objects.create(person=child, county=county_a, source=ListSource.RENEWAL, insurance_year=2027,
                                 found_on=MONDAY)
    with django_capture_on_commit_callbacks(execute=False):
        assert guardian_sms.scheduled_run(today=MONDAY) == {"renewal": 1, "uninsured": 0, "newborn": 0}
    assert GuardianMessage.objects.get().purpose == MessagePurpose.RENEWAL


def test_the_command_runs_the_same_service(county_a, gateway, capsys, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    family(county_a, "续保儿", "13900000001")
    with django_capture_on_commit_callbacks(execute=False):
        call_command("send_guardian_messages", "--date", MONDAY.isoformat())
    assert "1 message(s) queued" in capsys.readouterr().out
    assert GuardianMessage.objects.get().purpose == MessagePurpose.RENEWAL


def test_a_guardian_who_withdraws_consent_before_the_worker_sends_gets_no_message(county_a, gateway):
    queue([family(county_a, "张小明", "13900000001"), family(county_a, "李四", "13900000002")])
    first, second = GuardianMessage.objects.order_by("phone")
    # queued (or waiting for a retry after a gateway error) when the bureau records the change
    GuardianPreference.objects.filter(phone="13900000001").update(do_not_contact=True)
    GuardianPreference.objects.filter(phone="13900000002").update(consent=False)
    assert guardian_sms.deliver(first.pk) == MessageStatus.FAILED
    assert guardian_sms.deliver(second.pk) == MessageStatus.FAILED
    assert gateway.sent() == []
    first.refresh_from_db()
    assert first.attempts == 0 and first.error


def test_a_gateway_that_took_the_message_but_timed_out_is_asked_before_the_retry_sends(county_a, gateway,
                                                                                       monkeypatch):
    queue([family(county_a, "张小明", "13900000001")])
    message = GuardianMessage.objects.get()
    original, calls = TestSMSBackend.send, []

    def took_it_then_timed_out(self, phone, text, *, reference):
        calls.append(reference)
        result = original(self, phone, text, reference=reference)
        if len(calls) == 1:
            raise guardian_sms.sms.GatewayError("timeout waiting for the gateway's answer")
        return result

    monkeypatch.setattr(TestSMSBackend, "send", took_it_then_timed_out)
    send_guardian_message.apply(args=[message.pk])  # eager: the retry runs at once
    assert [m["phone"] for m in gateway.sent()] == ["13900000001"]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
