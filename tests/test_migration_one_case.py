"""Migration 0013 (issue 14): the cases of one child and year found by several lists become one,
keeping the first confirmed reason, every source, the referrals and one unfinished task."""
import datetime

import pytest

from tests.migration_helpers import migrate_to

BEFORE = [("enrollment", "0012_issue20_person_school_index"), ("outreach", "0003_daily_reminder_schedule")]
AFTER = [("enrollment", "0013_issue14_list_dates_one_case"), ("outreach", "0004_issue14_one_active_task")]


@pytest.mark.django_db(transaction=True)
def test_duplicate_cases_are_merged_into_one(county_a, school_a, clinic_a):
    old = migrate_to(BEFORE)
    try:
        Person = old.get_model("enrollment", "Person")
        Case = old.get_model("enrollment", "UninsuredCase")
        Task = old.get_model("outreach", "OutreachTask")
        Contact = old.get_model("outreach", "ContactRecord")
        Batch = old.get_model("enrollment", "ImportBatch")
        child = Person.objects.create(name="两份名单", birth_date=datetime.date(2016, 1, 1), county_id=county_a.pk)
        first = Case.objects.create(person=child, county_id=county_a.pk, source="school", insurance_year=2026,
                                    found_on=datetime.date(2026, 3, 1))
        second = Case.objects.create(person=child, county_id=county_a.pk, source="health", insurance_year=2026,
                                     found_on=datetime.date(2026, 4, 1), reason="unwilling", reason_note="家长拒绝")
        due = datetime.date(2026, 5, 1)
        Task.objects.create(case=first, person=child, county_id=county_a.pk, assignee_id=school_a.pk, due_on=due)
        extra = Task.objects.create(case=second, person=child, county_id=county_a.pk, assignee_id=clinic_a.pk,
                                    due_on=due)
        Contact.objects.create(task=extra, date=due, method="phone", note="已联系")
        Batch.objects.create(kind="school_roster", county_id=county_a.pk, original_name="r.csv", sha256="1" * 64,
                             status="done")
    finally:
        new = migrate_to(AFTER)
    Case = new.get_model("enrollment", "UninsuredCase")
    Task = new.get_model("outreach", "OutreachTask")
    case = Case.objects.get()
    assert case.pk == first.pk and case.sources == "school,health"
    assert (case.reason, case.reason_note) == ("unwilling", "家长拒绝")
    task = Task.objects.get()
    assert task.case_id == case.pk and task.contacts.count() == 1
    assert new.get_model("enrollment", "ImportBatch").objects.get().list_date is not None
