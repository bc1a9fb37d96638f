"""Reads of the outreach app. Every query starts from ``scoping.visible_to``."""
import datetime

from django.db.models import Count, Exists, OuterRef, Q

from enrollment.access.scoping import get_visible_or_404, visible_to
from enrollment.benefits.quotes import parameters_by_area
from enrollment.models import (
    EnrollmentRecord,
    ListEntry,
    ListSource,
    Organisation,
    Person,
    PersonStatus,
    SchoolPlace,
    UninsuredCase,
)
from enrollment.models.organisations import HEALTH_KINDS

from .models import NoticeBatch, Notification, Outcome, OutreachTask, TaskStatus
from .services import ACTIVE_STATUSES, active_task_exists

NEWBORN_DAYS = 90  # the national newborn window; each area's own is its newborn_days
NEWBORN_WINDOW_DAYS = 365


def tasks(user):
    return visible_to(OutreachTask, user).select_related(
        "person__school_place__school", "assignee", "case", "county"
    ).order_by("due_on", "pk")


def task(user, pk):
    return get_visible_or_404(tasks(user), user, pk=pk)


def task_contacts(task):
    """The contacts of a task the caller already got through ``task``."""
    return task.contacts.select_related("by__organisation", "by__area")


def organisations(user):
    return visible_to(Organisation, user)


def open_cases(user):
    """Open uninsured cases in scope, with whether they are already being worked."""
    return (
        visible_to(UninsuredCase, user)
        .filter(insured_on__isnull=True)
        .annotate(has_task=active_task_exists())
        .select_related("person__school_place__school", "entry__organisation")
        .order_by("person__school_place__school__name", "person__school_place__class_name", "person__name", "pk")
    )


def overdue_condition(today=None):
    """The condition of an open task past its due date (the task filter and the progress
    counts share it)."""
    return Q(status=TaskStatus.OPEN, due_on__lt=today or datetime.date.today())


def _progress_counts():
    return {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status=TaskStatus.OPEN)),
        "overdue": Count("pk", filter=overdue_condition()),
        "done": Count("pk", filter=Q(status=TaskStatus.DONE)),
        "insured": Count("pk", filter=Q(status=TaskStatus.INSURED)),
        **{
            f"outcome_{value}": Count("pk", filter=Q(outcome=value))
            for value in Outcome.values
        },
    }


def progress_by_partner(task_queryset):
    """Per partner organisation: tasks by status and outcome (rows of dicts)."""
    return (
        task_queryset.order_by()
        .values("assignee_id", "assignee__name", "assignee__kind", "county__name")
        .annotate(**_progress_counts())
        .order_by("county__name", "assignee__name")
    )


def progress_by_school(task_queryset):
    """Per school of the children (tasks of children with no school are left out)."""
    return (
        task_queryset.order_by()
        .filter(person__school_place__isnull=False)
        .values("person__school_place__school_id", "person__school_place__school__name", "county__name")
        .annotate(**_progress_counts())
        .order_by("county__name", "person__school_place__school__name")
    )


NEWBORN_SOURCES = (ListSource.NEWBORN, ListSource.HEALTH)


def uninsured_newborns(persons, *, born_from, born_to):
    """The children of ``persons`` born from ``born_from`` to ``born_to`` (both included) who
    are on a birth one-stop or health list, have no enrollment record and were not enrolled
    through the birth one-stop platform (平台参保日期, on their record or a birth-certificate
    record merged into it): the newborns outreach must enroll within 90 days of birth. The one
    definition the newborn list and the newborn reminders share."""
    platform = Person.objects.filter(Q(pk=OuterRef("pk")) | Q(merged_into_id=OuterRef("pk")),
                                     platform_enrolled_on__isnull=False)
    return persons.filter(merged_into__isnull=True, birth_date__range=(born_from, born_to),
                          status=PersonStatus.ACTIVE).filter(
        Exists(ListEntry.objects.filter(person_id=OuterRef("pk"), source__in=NEWBORN_SOURCES)),
        ~Exists(EnrollmentRecord.objects.filter(person_id=OuterRef("pk"))),
        ~Exists(platform),
    )


def newborns(user, *, today=None):
    """Uninsured newborns in scope born in the last year, with the lists that carry them,
    oldest first (= fewest days left before the 90-day deadline)."""
    today = today or datetime.date.today()
    born_from = today - datetime.timedelta(days=NEWBORN_WINDOW_DAYS - 1)
    return (
        uninsured_newborns(visible_to(Person, user), born_from=born_from, born_to=today)
        .annotate(
            on_birth_list=Exists(
                ListEntry.objects.filter(person_id=OuterRef("pk"), source=ListSource.NEWBORN)
            ),
            on_health_list=Exists(
                ListEntry.objects.filter(person_id=OuterRef("pk"), source=ListSource.HEALTH)
            ),
            has_task=Exists(
                OutreachTask.objects.filter(person_id=OuterRef("pk"), status__in=ACTIVE_STATUSES)
            ),
        )
        .select_related("county")
        .order_by("birth_date", "pk")
    )


def newborn_deadline(birth_date, days=NEWBORN_DAYS):
    """The last day a child born on ``birth_date`` enrolls as a newborn; ``days``: the area's
    ``newborn_days`` (``newborn_days_by_county``)."""
    return birth_date + datetime.timedelta(days=days)


def within_newborn_deadline(birth_date, today, days=NEWBORN_DAYS):
    """Whether a child born on ``birth_date`` may still enroll as a newborn on ``today``
    (the deadline day itself included, as the newborn list counts 0 days left)."""
    return birth_date <= today <= newborn_deadline(birth_date, days)


def newborn_days_by_county(county_ids, on):
    """Each county's ``newborn_days`` (its benefit parameters on ``on``): the newborn window
    ("新生儿原则上在出生后90天内按规定参保缴费", 001) an area may set otherwise."""
    return {code: params.newborn_days
            for code, params in parameters_by_area(county_ids, on).items()}


def past_newborn_deadline(today, days_by_county):
    """A condition on persons: their county's newborn window closed before ``today``."""
    condition = Q(pk__in=[])
    for county_id, days in days_by_county.items():
        condition |= Q(county_id=county_id,
                       birth_date__lt=today - datetime.timedelta(days=days))
    return condition


def health_partner_of(person_ids):
    """person pk -> set of health organisation pks whose lists carry the person."""
    rows = ListEntry.objects.filter(person_id__in=person_ids).filter(
        Q(organisation__kind__in=HEALTH_KINDS) | Q(batch__organisation__kind__in=HEALTH_KINDS)
    ).values_list("person_id", "organisation_id", "organisation__kind", "batch__organisation_id",
                  "batch__organisation__kind")
    result = {}
    for person_id, org, org_kind, batch_org, batch_kind in rows:
        orgs = result.setdefault(person_id, set())
        if org and org_kind in HEALTH_KINDS:
            orgs.add(org)
        if batch_org and batch_kind in HEALTH_KINDS:
            orgs.add(batch_org)
    return result


def notifications(user):
    return visible_to(Notification, user)


def unread_count(user):
    return notifications(user).filter(read=False).count()


def notice_batches(user):
    return visible_to(NoticeBatch, user).select_related("created_by")


def notice_batch(user, pk):
    return get_visible_or_404(notice_batches(user), user, pk=pk)


def notice_persons(user):
    return visible_to(Person, user)


def notice_person(user, pk):
    return get_visible_or_404(notice_persons(user).select_related("school_place__school", "county"), user, pk=pk)


def notice_persons_of_school(user, school, class_name=""):
    """Children of a school (or one class) with an open uninsured case, in scope."""
    places = SchoolPlace.objects.filter(school=school)
    if class_name:
        places = places.filter(class_name=class_name)
    queryset = visible_to(Person, user).filter(pk__in=places.values("person_id")).filter(
        Exists(UninsuredCase.objects.filter(person_id=OuterRef("pk"), insured_on__isnull=True))
    )
    return queryset


def guardian_contacts(user, person_ids):
    """person pk -> [guardian, ...] whose phone ``user`` may read: bureau staff every guardian;
    a partner the guardians its own lists brought, and those of the children it has a task for
    (as the task page shows them)."""
    from enrollment.models import Guardian

    guardians = Guardian.objects.filter(person_id__in=list(person_ids)).exclude(phone="")
    if not user.is_bureau:
        tasked = OutreachTask.objects.filter(assignee_id=user.organisation_id).values("person_id")
        guardians = guardians.filter(Q(organisation_id=user.organisation_id) | Q(person_id__in=tasked))
    result = {}
    for guardian in guardians.order_by("person_id", "organisation_id", "pk"):
        result.setdefault(guardian.person_id, []).append(guardian)
    return result


def task_changes(task):
    """The reassignments and deadline changes of a task the caller already got through ``task``."""
    return task.changes.select_related("changed_by__organisation", "changed_by__area", "old_assignee",
                                       "new_assignee")


def person_visible(user, person_id):
    """Whether ``user`` may open the child's file (the task page links it only then)."""
    return visible_to(Person, user).filter(pk=person_id).exists()
