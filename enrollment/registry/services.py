"""Writes of the registry: decisions on the facts of a file. Keyword-only, one transaction each."""
from django.db import transaction
from django.utils import timezone

from ..models import Decision, SchoolPlace, SchoolTransfer


class StaleDecision(Exception):
    """The thing to decide was decided meanwhile."""


@transaction.atomic
def decide_transfer(*, transfer, accept, user):
    """County staff confirm (the child moves to the new school, with its grade and class) or
    return a transfer a school's roster proposed. The place's history records the user."""
    transfer = SchoolTransfer.objects.select_for_update().select_related("person").get(pk=transfer.pk)
    if transfer.status != Decision.PENDING:
        raise StaleDecision
    transfer.status = Decision.ACCEPTED if accept else Decision.RETURNED
    transfer.decided_by, transfer.decided_at = user, timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        place = SchoolPlace.of(transfer.person, school_id=transfer.to_school_id, grade=transfer.grade,
                               class_name=transfer.class_name)
        place._history_user = user
        place.save()  # the child's one place: updated, or created if it had none meanwhile
    return transfer
