"""Merging a newborn's birth-certificate record into the ID-keyed record once the ID is known."""
from django.apps import apps
from django.db import transaction

from ..importing.bulk import history_snapshot
from ..importing.integrity import lock_rows
from ..models import (
    EnrollmentRecord,
    Guardian,
    ListEntry,
    MaternityClaim,
    Person,
    PersonMerge,
    PersonSpecialGroup,
    PopulationEvent,
    SchoolPlace,
    SchoolTransfer,
    UninsuredCase,
)


@transaction.atomic
def merge_person(*, source: Person, target: Person, user=None, batch=None):
    """Move everything of ``source`` onto ``target``; ``source`` stays, pointing at ``target``
    (``merged_into``), with its unique keys moved over, so its history is kept and scoping
    hides it. A ``PersonMerge`` keeps the trail, which both keeping counties read; ``user``
    (the uploader) is the author of both files' history rows."""
    if source.pk == target.pk:
        return target
    # Entries and guardians have no database constraint (``importing.integrity``): the target
    # they move to is locked against deletion until this transaction ends.
    if not lock_rows(Person, [target.pk]):
        raise Person.DoesNotExist(f"merge target {target.pk} no longer exists")
    PersonMerge.objects.create(source=source, target=target, source_county_id=source.county_id,
                               target_county_id=target.county_id, batch=batch, merged_by=user)
    source._history_user = target._history_user = user
    SchoolTransfer.objects.filter(person=source).update(person=target)
    _move_unique_rows(EnrollmentRecord, source, target, ("year", "scheme"))
    _move_unique_rows(ListEntry, source, target, ("batch_id",))
    _move_unique_rows(UninsuredCase, source, target, ("insurance_year",))
    _move_unique_rows(PersonSpecialGroup, source, target, ("group",))
    _move_unique_rows(PopulationEvent, source, target, ("kind", "happened_on"))
    MaternityClaim.objects.filter(newborn=source).update(newborn=target)
    Guardian.objects.filter(person=source).exclude(
        id_number__in=Guardian.objects.filter(person=target).exclude(id_number="").values("id_number")
    ).update(person=target)
    task_model = apps.all_models["outreach"].get("outreachtask")
    if task_model is not None:
        task_model.objects.filter(person=source).update(person=target)
    certificate = source.birth_certificate_no
    source.birth_certificate_no = None
    source.merged_into = target
    source.save()
    changed = False
    if certificate and not target.birth_certificate_no:
        target.birth_certificate_no = certificate
        changed = True
    for name in ("hukou_area_code", "residence_area_code"):
        if not getattr(target, name) and getattr(source, name):
            setattr(target, name, getattr(source, name))
            changed = True
    if source.platform_enrolled_on and not target.platform_enrolled_on:
        target.platform_enrolled_on = source.platform_enrolled_on
        changed = True
    if changed:
        target.save()
    _move_school_place(source, target, user)
    return target


def _move_school_place(source, target, user):
    """A target without a school takes the source's (its history row names the merge's user)."""
    if SchoolPlace.objects.filter(person=target).exists():
        return
    if SchoolPlace.objects.filter(person=source).update(person=target, person_county=target.county_id,
                                                         person_name=target.name):
        history_snapshot(SchoolPlace, [target.pk], "+", user_id=user.pk if user else None)


def _move_unique_rows(model, source, target, key_fields):
    """Re-point ``source``'s rows at ``target`` unless ``target`` already has the same key."""
    taken = set(model.objects.filter(person=target).values_list(*key_fields))
    keep = [pk for pk, *key in model.objects.filter(person=source).values_list("pk", *key_fields)
            if tuple(key) not in taken]
    model.objects.filter(pk__in=keep).update(person=target)
