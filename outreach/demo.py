"""Demo step of the outreach app (seed_demo runs it after the registry's lists and comparison):
the bureau's contacts, tasks assigned to the partners best placed for each source, a few
contacts and outcomes, and today's reminders. Deterministic."""
import datetime
import random
from collections import defaultdict

from django.db import transaction

from enrollment.models import Area, ListSource, Organisation, Role, UninsuredCase, User
from enrollment.models.organisations import COMMUNITY_KINDS, HEALTH_KINDS

from . import reminders, services
from .models import ContactMethod, CountyContact, Outcome, OutreachTask

CONTACTS = {
    "350902": ("宁德市蕉城区医疗保障局", "0593-2822100", "蕉城区蕉城南路68号 医保服务大厅", "工作日 8:00-12:00，14:30-17:30"),
    "331102": ("丽水市莲都区医疗保障局", "0578-2101234", "莲都区中山街298号 医保服务中心", "工作日 8:30-12:00，14:00-17:30"),
}
OUTCOMES = (Outcome.WILL_ENROLL, Outcome.WILL_ENROLL, Outcome.ENROLLED, Outcome.UNREACHABLE,
            Outcome.UNWILLING, Outcome.INSURED_ELSEWHERE, Outcome.MOVED_AWAY)
NOTES = ("家长表示本周内通过税务APP缴费", "电话未接通，改日再联系", "已发放参保告知书", "家长称孩子已在外地参保",
         "家长暂不愿参保，已说明等待期规定", "入户走访，家长答应月底前缴费")


def build(stdout, today):
    rng = random.Random(2024)
    with transaction.atomic():
        for code, (office, phone, address, hours) in CONTACTS.items():
            if Area.objects.filter(pk=code).exists():
                CountyContact.objects.update_or_create(
                    county_id=code, defaults={"office": office, "phone": phone, "address": address, "hours": hours})
        created = sum(_assign(county_user, today) for county_user in
                      User.objects.filter(role=Role.COUNTY, area_id__in=CONTACTS).order_by("pk"))
        contacts = _work_some_tasks(rng, today)
    sent = reminders.send_reminders(today=today, email_backend="django.core.mail.backends.dummy.EmailBackend")
    stdout.write(f"Outreach: {created} tasks, {contacts} contacts, "
                 f"{sum(sent.values())} reminders; daily reminder run in the beat schedule (admin → Periodic tasks).")


def _assign(user, today):
    """Each open case to the partner best placed: the school for rosters, the clinic that
    listed the child for health lists, the women's federation or community otherwise."""
    cases = UninsuredCase.objects.filter(county_id=user.area_id, insured_on__isnull=True)
    partners = defaultdict(list)
    for organisation in Organisation.objects.filter(county_id=user.area_id).order_by("pk"):
        partners[organisation.kind].append(organisation)
    community = [o for kind in COMMUNITY_KINDS for o in partners[kind]]
    created = 0
    by_school = defaultdict(list)
    for case_id, school_id in cases.filter(person__school_place__isnull=False).values_list(
            "pk", "person__school_place__school_id"):
        by_school[school_id].append(case_id)
    for school_id, ids in by_school.items():
        school = Organisation.objects.get(pk=school_id)
        created += services.create_tasks(user=user, cases=cases.filter(pk__in=ids), assignee=school,
                                         due_on=today + datetime.timedelta(days=14), today=today)
    health = cases.filter(source=ListSource.HEALTH, entry__organisation__kind__in=HEALTH_KINDS)
    for organisation_id in set(health.values_list("entry__organisation_id", flat=True)):
        created += services.create_tasks(
            user=user, cases=health.filter(entry__organisation_id=organisation_id),
            assignee=Organisation.objects.get(pk=organisation_id), due_on=today + datetime.timedelta(days=10),
            today=today)
    if community:
        created += services.create_tasks(user=user, cases=cases, assignee=community[0],
                                         due_on=today + datetime.timedelta(days=3), today=today)
    return created


def _work_some_tasks(rng, today):
    """A third of the tasks get a contact from a user of the partner, half of those an outcome;
    a few are made overdue so the reminders and the progress page show them."""
    tasks = list(OutreachTask.objects.select_related("assignee").order_by("pk"))
    users = {u.organisation_id: u for u in User.objects.filter(organisation__isnull=False).order_by("pk")}
    done = 0
    for task in rng.sample(tasks, len(tasks) // 3):
        user = users.get(task.assignee_id)
        if user is None:
            continue
        with_outcome = rng.random() < 0.5
        services.record_contact(
            user=user, task=task, date=today - datetime.timedelta(days=rng.randint(0, 6)),
            method=rng.choice(ContactMethod.values[:5]), outcome=rng.choice(OUTCOMES) if with_outcome else "",
            note=rng.choice(NOTES), today=today)
        done += 1
    late = [t.pk for t in tasks[::9]]
    OutreachTask.objects.filter(pk__in=late, status="open").update(due_on=today - datetime.timedelta(days=3))
    return done
