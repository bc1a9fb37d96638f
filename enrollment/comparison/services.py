"""Writes of the comparison's closed loop: cases closed by enrollment data, reasons set by staff.
Keyword-only functions; every write runs under ``transaction.atomic``."""
from django.db import transaction
from django.db.models import Case, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from ..models import CaseReferral, Decision, EnrollmentRecord, ListSource, UninsuredCase, UninsuredReason
from ..signals import cases_departed, cases_insured


def add_case_source(cases, source):
    """Add ``source`` to the sources of ``cases`` (a queryset) that do not list it yet: a child
    found by several lists is one case that names them all. One UPDATE."""
    return cases.exclude(sources__contains=source).update(sources=Case(
        When(sources="", source=source, then=Value(source)),
        When(sources="", then=Concat("source", Value("," + source))),
        default=Concat("sources", Value("," + source))))


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


@transaction.atomic
def set_case_reasons(*, cases, reason, note="", user):
    """One reason for many cases (the list's bulk action), in one UPDATE: only the open cases
    the user's county handles are changed. Returns how many were."""
    chosen = cases.filter(county_id=user.area_id, insured_on__isnull=True)
    return chosen.update(reason=reason, reason_note=note[:200], reason_set_by=user, reason_set_at=timezone.now())


def refer_cases(*, cases, to, reason, user):
    """转办 in bulk: each chosen case to its child's county of residence (``to="residence"``) or
    registration (``"hukou"``), each on the rules of ``refer_case``. Returns (referred, refused),
    refused being [(person name, message)]."""
    referred, refused = 0, []
    field = "residence_area_code" if to == "residence" else "hukou_area_code"
    for case in cases.select_related("person"):
        try:
            refer_case(case=case, to_county=getattr(case.person, field) or "", reason=reason, user=user)
        except ReferralRefused as error:
            refused.append((case.person.name, error.message))
        else:
            referred += 1
    return referred, refused


class ReferralRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def referral_targets(case):
    """The counties a case may be referred to: the child's residence and registration, when
    they are not the county handling the case."""
    person = case.person
    return [code for code in dict.fromkeys((person.residence_area_code, person.hukou_area_code))
            if code and code != case.county_id]


@transaction.atomic
def refer_case(*, case, to_county, reason, user):
    """转办: the county handling a case refers it to the county of residence or registration."""
    case = UninsuredCase.objects.select_for_update().select_related("person").get(pk=case.pk)
    if case.county_id != user.area_id:
        raise ReferralRefused("只有负责该名单的县（区）可以转办")
    if not case.is_open:
        raise ReferralRefused("已参保的个案无需转办")
    if to_county not in referral_targets(case):
        raise ReferralRefused("只能转办至儿童的常住地或户籍地")
    if case.referrals.filter(status=Decision.PENDING).exists():
        raise ReferralRefused("该个案已在转办中")
    if not reason.strip():
        raise ReferralRefused("请填写转办原因")
    return CaseReferral.objects.create(case=case, from_county_id=case.county_id, to_county_id=to_county,
                                       reason=reason.strip()[:200], referred_by=user)


@transaction.atomic
def answer_referral(*, referral, accept, answer, user):
    """The county referred to accepts (the case and its figures become its own) or returns it."""
    referral = CaseReferral.objects.select_for_update().get(pk=referral.pk)
    if referral.to_county_id != user.area_id or referral.status != Decision.PENDING:
        raise ReferralRefused("该转办已处理或不属于本县（区）")
    if not accept and not answer.strip():
        raise ReferralRefused("退回时请填写原因")
    referral.status = Decision.ACCEPTED if accept else Decision.RETURNED
    referral.answer, referral.answered_by, referral.answered_at = answer.strip()[:200], user, timezone.now()
    referral.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    if accept:
        UninsuredCase.objects.filter(pk=referral.case_id).update(county_id=referral.to_county_id)
    return referral


def close_departed_cases(*, notes):
    """Close the open cases of children who died, left the city or had their registration
    cancelled (``notes``: person pk -> what the feed said): the reason becomes "moved away or
    died" with the feed's words, and ``cases_departed`` lets outreach close the tasks (and
    so the reminders) of those cases. Returns the number of cases closed."""
    if not notes:
        return 0
    cases = list(UninsuredCase.objects.filter(person_id__in=list(notes), insured_on__isnull=True)
                 .exclude(reason=UninsuredReason.MOVED_OR_DIED))
    now = timezone.now()
    for case in cases:
        case.reason, case.reason_note, case.reason_set_at = UninsuredReason.MOVED_OR_DIED, notes[case.person_id][:200], now
    UninsuredCase.objects.bulk_update(cases, ["reason", "reason_note", "reason_set_at"], batch_size=2000)
    if cases:
        cases_departed.send(sender=UninsuredCase, case_ids=[case.pk for case in cases])
    return len(cases)


def open_newborn_cases(*, county, born, today):
    """A newborn case (source: birth one-stop service) for each child of ``born`` (pk -> birth
    or delivery date) that has no case yet for its birth year. Returns the number opened."""
    if not born:
        return 0
    known = set(UninsuredCase.objects.filter(person_id__in=list(born)).values_list("person_id", "insurance_year"))
    cases = [UninsuredCase(person_id=pk, county_id=county, source=ListSource.NEWBORN, insurance_year=on.year,
                           found_on=today, reason_note="生育医疗费用报销：新生儿未参保")
             for pk, on in born.items() if (pk, on.year) not in known]
    UninsuredCase.objects.bulk_create(cases, batch_size=2000)
    return len(cases)
