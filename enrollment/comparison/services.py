"""Writes of the comparison's closed loop: cases closed by enrollment data, reasons set by staff.
Keyword-only functions; every write runs under ``transaction.atomic``."""
from django.db import transaction
from django.utils import timezone

from ..models import EnrollmentRecord, UninsuredCase, UninsuredReason
from ..signals import cases_insured


def close_insured_cases(*, person_ids):
    """Close the open cases of these persons that the enrollment data now answers.

    A record for the case's insurance year in the case's county (the one whose list found
    the child, as the dispatch table counts it) closes the case as insured: ``insured_on`` is
    the payment date and ``closed_by`` the record (reports count "insured after outreach" as
    ``insured_on >= found_on``; a payment before ``found_on`` means the comparison ran on a
    late extract). A record only in another area sets the reason
    "insured elsewhere", which closes the loop but is not insured after outreach.
    Sends ``cases_insured`` for the insured ones, inside the transaction.
    """
    open_cases = list(UninsuredCase.objects.filter(person_id__in=person_ids, insured_on__isnull=True))
    if not open_cases:
        return {"cases_closed": 0, "cases_insured_elsewhere": 0}
    records = {}
    for record in EnrollmentRecord.objects.filter(
        person_id__in={c.person_id for c in open_cases}, year__in={c.insurance_year for c in open_cases}
    ).order_by("paid_on"):
        records.setdefault((record.person_id, record.year), []).append(record)
    insured, elsewhere = [], []
    now = timezone.now()
    for case in open_cases:
        found = records.get((case.person_id, case.insurance_year), [])
        here = [r for r in found if r.area_code == case.county_id]
        if here:
            case.insured_on, case.closed_by = here[0].paid_on, here[0]
            insured.append(case)
        elif found and case.reason != UninsuredReason.INSURED_ELSEWHERE:
            case.reason, case.reason_set_at = UninsuredReason.INSURED_ELSEWHERE, now
            case.reason_note = f"参保数据：{found[0].area_code} 参保"
            elsewhere.append(case)
    UninsuredCase.objects.bulk_update(insured, ["insured_on", "closed_by"])
    UninsuredCase.objects.bulk_update(elsewhere, ["reason", "reason_set_at", "reason_note"])
    if insured:
        cases_insured.send(
            sender=UninsuredCase, case_ids=[c.pk for c in insured],
            insured_on={c.pk: c.insured_on for c in insured},
        )
    return {"cases_closed": len(insured), "cases_insured_elsewhere": len(elsewhere)}


@transaction.atomic
def set_case_reason(*, case, reason, note="", user):
    """County staff record why a child is uninsured; it stays until the child is insured."""
    case.reason, case.reason_note = reason, note[:200]
    case.reason_set_by, case.reason_set_at = user, timezone.now()
    case.save(update_fields=["reason", "reason_note", "reason_set_by", "reason_set_at"])
    return case

