"""Assigning outreach tasks, recording contacts and outcomes, and the closed loop."""
import datetime

import pytest
from django.utils import translation

from enrollment.models import UninsuredCase
from enrollment.signals import cases_insured
from outreach import services
from outreach.models import ContactRecord, OutreachTask, TaskStatus

from .factories import enroll
from .outreach_helpers import make_case, make_task

TODAY = datetime.date(2024, 11, 20)
DUE = datetime.date(2024, 12, 15)


@pytest.fixture
def cases_a(county_a, school_a):
    return [
        make_case(county_a, name="林小一", school=school_a, class_name="一(1)班"),
        make_case(county_a, name="林小二", school=school_a, class_name="一(2)班"),
        make_case(county_a, name="陈小三"),
    ]


def test_county_staff_assign_a_class_to_its_school(county_user_a, school_a, cases_a):
    class_cases = UninsuredCase.objects.filter(person__school_place__class_name="一(1)班")

    created = services.create_tasks(
        user=county_user_a, cases=class_cases, assignee=school_a, due_on=DUE, today=TODAY
    )

    assert created == 1
    task = OutreachTask.objects.get()
    assert (task.person.name, task.assignee, task.status, task.due_on) == ("林小一", school_a, "open", DUE)
    assert task.created_by == county_user_a


def test_assigning_twice_creates_nothing_new(county_user_a, school_a, cases_a):
    all_cases = UninsuredCase.objects.all()
    assert services.create_tasks(user=county_user_a, cases=all_cases, assignee=school_a, due_on=DUE, today=TODAY) == 3
    assert services.create_tasks(user=county_user_a, cases=all_cases, assignee=school_a, due_on=DUE, today=TODAY) == 0
    assert OutreachTask.objects.count() == 3


def test_insured_cases_are_not_assigned(county_user_a, school_a, cases_a):
    UninsuredCase.objects.filter(pk=cases_a[0].pk).update(insured_on=datetime.date(2024, 11, 1))
    created = services.create_tasks(
        user=county_user_a, cases=UninsuredCase.objects.all(), assignee=school_a, due_on=DUE, today=TODAY
    )
    assert created == 2


def test_county_b_cannot_assign_county_a_cases(county_user_b, school_b, cases_a):
    created = services.create_tasks(
        user=county_user_b, cases=UninsuredCase.objects.all(), assignee=school_b, due_on=DUE, today=TODAY
    )
    assert created == 0


def test_assignee_must_be_in_the_users_county(county_user_a, school_b, cases_a):
    with pytest.raises(services.OutreachError, match="不属于本县"):
        services.create_tasks(user=county_user_a, cases=UninsuredCase.objects.all(), assignee=school_b, due_on=DUE, today=TODAY)


def test_refusals_are_translated_through_the_catalogue(county_user_a, school_b, cases_a):
    def refusal():
        with pytest.raises(services.OutreachError) as refused:
            services.create_tasks(user=county_user_a, cases=UninsuredCase.objects.all(), assignee=school_b,
                                  due_on=DUE, today=TODAY)
        return refused.value.message

    with translation.override("en"):
        assert refusal() == f"The partner “{school_b.name}” is not in your county."
    with translation.override("zh-hans"):
        assert refusal() == f"承办单位“{school_b.name}”不属于本县（区）"


@pytest.mark.parametrize("fixture", ["city_user", "school_user_a"])
def test_only_county_staff_assign(request, fixture, school_a, cases_a):
    user = request.getfixturevalue(fixture)
    with pytest.raises(services.OutreachError):
        services.create_tasks(user=user, cases=UninsuredCase.objects.all(), assignee=school_a, due_on=DUE, today=TODAY)


def test_due_date_in_the_past_is_refused(county_user_a, school_a, cases_a):
    with pytest.raises(services.OutreachError, match="完成期限"):
        services.create_tasks(user=county_user_a, cases=UninsuredCase.objects.all(), assignee=school_a,
                              due_on=TODAY - datetime.timedelta(days=1), today=TODAY)


def test_partner_records_a_contact_and_an_outcome(school_user_a, school_a, cases_a):
    task = make_task(cases_a[0], school_a)

    services.record_contact(user=school_user_a, task=task, date=TODAY, method="phone",
                            outcome="will_enroll", note="家长答应本周缴费", today=TODAY)

    task.refresh_from_db()
    assert (task.status, task.outcome, task.closed_on) == ("done", "will_enroll", None)
    contact = ContactRecord.objects.get()
    assert (contact.method, contact.note, contact.by) == ("phone", "家长答应本周缴费", school_user_a)


def test_a_contact_without_outcome_keeps_the_task_open(school_user_a, school_a, cases_a):
    task = make_task(cases_a[0], school_a)
    services.record_contact(user=school_user_a, task=task, date=TODAY, method="home_visit", today=TODAY)
    task.refresh_from_db()
    assert (task.status, task.outcome) == ("open", "")


def test_another_partner_cannot_record_on_the_task(health_user_a, school_a, cases_a):
    task = make_task(cases_a[0], school_a)
    with pytest.raises(services.OutreachError):
        services.record_contact(user=health_user_a, task=task, date=TODAY, method="phone", today=TODAY)
    assert ContactRecord.objects.count() == 0


def test_contact_date_in_the_future_is_refused(school_user_a, school_a, cases_a):
    task = make_task(cases_a[0], school_a)
    with pytest.raises(services.OutreachError, match="联系日期"):
        services.record_contact(user=school_user_a, task=task, date=TODAY + datetime.timedelta(days=1),
                                method="phone", today=TODAY)


def _import_closes(case, paid_on):
    """What the enrollment import does: an enrollment record, the case closed, the signal."""
    record = enroll(case.person, case.insurance_year, paid_on=paid_on)
    UninsuredCase.objects.filter(pk=case.pk).update(insured_on=paid_on, closed_by=record)
    cases_insured.send(sender=UninsuredCase, case_ids=[case.pk], insured_on={case.pk: paid_on})


def test_outcome_enrolled_is_not_insured_until_the_enrollment_import(school_user_a, school_a, cases_a):
    task = make_task(cases_a[0], school_a)
    services.record_contact(user=school_user_a, task=task, date=TODAY, method="phone",
                            outcome="enrolled", today=TODAY)
    task.refresh_from_db()
    assert task.status == "done"
    assert OutreachTask.objects.filter(status=TaskStatus.INSURED).count() == 0

    _import_closes(cases_a[0], datetime.date(2024, 11, 25))

    task.refresh_from_db()
    assert (task.status, task.closed_on) == ("insured", datetime.date(2024, 11, 25))


def test_the_signal_closes_only_the_tasks_of_the_insured_cases(school_a, federation_a, cases_a):
    first = make_task(cases_a[0], school_a)
    other = make_task(cases_a[1], school_a)
    _import_closes(cases_a[0], datetime.date(2024, 12, 2))
    first.refresh_from_db()
    other.refresh_from_db()
    assert (first.status, first.closed_on) == ("insured", datetime.date(2024, 12, 2))
    assert (other.status, other.closed_on) == ("open", None)


def test_closing_is_idempotent_and_keeps_the_first_date(school_a, cases_a):
    task = make_task(cases_a[0], school_a)
    services.close_insured_tasks(case_ids=[cases_a[0].pk], insured_on={cases_a[0].pk: datetime.date(2024, 12, 2)})
    closed_again = services.close_insured_tasks(
        case_ids=[cases_a[0].pk], insured_on={cases_a[0].pk: datetime.date(2025, 1, 9)}
    )
    task.refresh_from_db()
    assert closed_again == 0
    assert task.closed_on == datetime.date(2024, 12, 2)


def test_a_closed_task_takes_no_more_contacts(school_user_a, school_a, cases_a):
    task = make_task(cases_a[0], school_a)
    _import_closes(cases_a[0], datetime.date(2024, 11, 25))
    with pytest.raises(services.OutreachError, match="已动员参保"):
        services.record_contact(user=school_user_a, task=task, date=TODAY, method="phone",
                                outcome="unwilling", today=TODAY)


def test_a_case_closed_while_its_task_is_being_assigned_gets_no_new_task(county_user_a, school_a, cases_a):
    make_task(cases_a[0], school_a)
    _import_closes(cases_a[0], datetime.date(2024, 11, 25))
    created = services.create_tasks(user=county_user_a, cases=UninsuredCase.objects.filter(pk=cases_a[0].pk),
                                     assignee=school_a, due_on=DUE, today=TODAY)
    assert created == 0


def test_partner_sees_only_its_own_tasks(school_user_a, health_user_a, county_user_b, school_a, clinic_a, cases_a):
    from outreach import selectors

    make_task(cases_a[0], school_a)
    make_task(cases_a[2], clinic_a)
    assert [t.person.name for t in selectors.tasks(school_user_a)] == ["林小一"]
    assert [t.person.name for t in selectors.tasks(health_user_a)] == ["陈小三"]
    assert list(selectors.tasks(county_user_b)) == []


def test_the_enrollment_import_closes_the_task_as_insured_after_outreach(
        tmp_path, county_user_a, school_a, federation_a, cases_a):
    """End to end: a real enrollment extract file through the registry's import."""
    from enrollment.importing.services import import_path

    make_task(cases_a[0], school_a)
    make_task(cases_a[1], federation_a)
    paid, unpaid = cases_a[0].person, cases_a[1].person
    extract = tmp_path / "enrollment.csv"
    extract.write_text(
        "身份证号,出生医学证明编号,姓名,出生日期,参保年度,险种,参保地区代码,缴费日期,缴费渠道,大病报销金额,基金报销金额\n"
        f"{paid.id_number},,{paid.name},,2025,居民医保,{paid.county_id},2024-11-28,税务征收,0,0\n",
        encoding="utf-8",
    )

    batch, validated, new = import_path(
        kind="enrollment", path=extract, county=cases_a[0].county, user=county_user_a,
        today=datetime.date(2024, 12, 1),
    )

    assert batch is not None, validated.errors
    closed = OutreachTask.objects.get(person=paid)
    assert (closed.status, closed.closed_on) == (TaskStatus.INSURED, datetime.date(2024, 11, 28))
    assert OutreachTask.objects.get(person=unpaid).status == TaskStatus.OPEN


def test_an_outcome_proposes_the_cases_reason_but_never_overrides_staff(
    school_user_a, county_user_a, school_a, cases_a
):
    first, second = cases_a[0], cases_a[1]
    second.reason, second.reason_set_by = "other", county_user_a
    second.save()
    for case in (first, second):
        services.record_contact(user=school_user_a, task=make_task(case, school_a), date=TODAY,
                                method="phone", outcome="moved_away", today=TODAY)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.reason, first.reason_set_by, first.insured_on) == ("moved_or_died", school_user_a, None)
    assert school_a.name in first.reason_note
    assert (second.reason, second.reason_set_by) == ("other", county_user_a)


def test_an_outcome_of_will_enroll_leaves_the_reason_open(school_user_a, school_a, cases_a):
    services.record_contact(user=school_user_a, task=make_task(cases_a[0], school_a), date=TODAY,
                            method="phone", outcome="will_enroll", today=TODAY)
    cases_a[0].refresh_from_db()
    assert cases_a[0].reason == ""
