"""Corrections with approval (变更申请): propose, approve, reject. Keyword-only functions;
every write runs under ``transaction.atomic``.

County staff propose changes to the files their county keeps; partners propose changes to
their own contacts of their own children. Another county user of that county (never the
proposer) approves or rejects. An approval applies the change at once and writes the file's
history; a proposal whose "before" no longer matches the file (the file changed since) is
refused, to be proposed again on what the file now says.
"""
import datetime

from django.db import transaction
from django.utils import timezone

from ..comparison.services import close_departed_cases
from ..models import (
    ChangeRequest,
    ChangeStatus,
    Guardian,
    Person,
    PersonSpecialGroup,
    PersonStatus,
    Role,
    SchoolPlace,
)
from . import fields as f
from .attachments import store_attachment


class ChangeRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StaleProposal(ChangeRefused):
    pass


def build_items(person, *, person_values=None, guardian=None, guardian_values=None, group=None,
                membership=None):
    """The items of a proposal: only what differs from the file. ``guardian``: a Guardian of
    the person or None for a new one; ``membership``: (from, until) or None to remove ``group``."""
    items = []
    for field, value in (person_values or {}).items():
        old, new = f.current_value(person, "person", field), f.as_text(value)
        if new != old:
            items.append({"target": "person", "field": field, "old": old, "new": new})
    if guardian_values:
        target = f"guardian:{guardian.pk}" if guardian is not None else "guardian:new"
        for field, value in guardian_values.items():
            old, new = f.current_value(person, target, field), f.as_text(value)
            if new != old:
                items.append({"target": target, "field": field, "old": old, "new": new})
    if group:
        target = f"group:{group}"
        old = f.current_value(person, target, f.MEMBERSHIP)
        new = "" if membership is None else f"{f.as_text(membership[0])}～{f.as_text(membership[1])}"
        if new != old:
            items.append({"target": target, "field": f.MEMBERSHIP, "old": old, "new": new})
    return items


def _check_proposer(person, user, items):
    if user.role == Role.COUNTY:
        if person.county_id != user.area_id:
            raise ChangeRefused("只能对本县（区）管理的档案提出变更申请")
        return
    if user.role in (Role.SCHOOL, Role.HEALTH, Role.COMMUNITY) and user.organisation_id:
        own = set(Guardian.objects.filter(person=person, organisation_id=user.organisation_id)
                  .values_list("pk", flat=True))
        for item in items:
            kind, _sep, key = item["target"].partition(":")
            if kind != "guardian" or item["field"] not in f.PARTNER_GUARDIAN_FIELDS \
                    or (key != "new" and int(key) not in own):
                raise ChangeRefused("合作单位只能申请变更本单位登记的儿童联系人信息")
        return
    raise ChangeRefused("无权提出变更申请")


@transaction.atomic
def propose(*, person, user, items, reason, attachment=None):
    """A pending proposal. ``person`` must come from the user's scope (the view's selector)."""
    if not items:
        raise ChangeRefused("没有需要变更的内容")
    if not reason.strip():
        raise ChangeRefused("请填写变更原因")
    _check_proposer(person, user, items)
    request = ChangeRequest(person=person, county_id=person.county_id, organisation_id=user.organisation_id,
                            items=items, reason=reason.strip()[:300], proposed_by=user)
    if attachment is not None:
        store_attachment(request, attachment)
    request.save()
    return request


def _lock(change):
    return ChangeRequest.objects.select_for_update().select_related("person").get(pk=change.pk)


def _check_decider(change, user):
    if change.status != ChangeStatus.PENDING:
        raise ChangeRefused("该变更申请已处理")
    if user.role != Role.COUNTY or user.area_id != change.county_id:
        raise ChangeRefused("只有本县（区）医保局工作人员可以审批")
    if user.pk == change.proposed_by_id:
        raise ChangeRefused("不能审批本人提出的变更申请")


@transaction.atomic
def approve(*, change, user, today=None):
    change = _lock(change)
    _check_decider(change, user)
    person = Person.objects.select_for_update().get(pk=change.person_id)
    if person.merged_into_id is not None:
        raise StaleProposal("该档案在申请提出后已合并到另一份档案，不能按原申请批准，请驳回后在合并后的档案上重新申请")
    stale = [item for item in change.items
             if f.current_value(person, item["target"], item["field"]) != item["old"]]
    if stale:
        raise StaleProposal("档案在申请提出后已发生变化（%s），不能按原申请批准，请驳回后重新申请"
                            % "、".join(f.label(item["target"], item["field"]) for item in stale))
    _apply(change, person, user)
    change.status, change.decided_by, change.decided_at = ChangeStatus.APPROVED, user, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    return change


@transaction.atomic
def reject(*, change, user, answer=""):
    change = _lock(change)
    _check_decider(change, user)
    if not answer.strip():
        raise ChangeRefused("驳回时请填写原因")
    change.status, change.decided_by, change.decided_at = ChangeStatus.REJECTED, user, timezone.now()
    change.answer = answer.strip()[:200]
    change.save(update_fields=["status", "decided_by", "decided_at", "answer"])
    return change


def approve_many(*, changes, user):
    """Bulk approval of a page of requests: each on its own; returns ``(approved, refused)``
    where refused is ``[(change, message)]`` (stale, self-proposed, decided meanwhile)."""
    approved, refused = [], []
    for change in changes:
        try:
            approved.append(approve(change=change, user=user))
        except ChangeRefused as problem:
            refused.append((change, problem.message))
    return approved, refused


def _apply(change, person, user):
    person_items = [i for i in change.items if i["target"] == "person"]
    for item in person_items:
        value = item["new"] or None
        field = person._meta.get_field(item["field"])
        if field.get_internal_type() == "DateField":
            value = datetime.date.fromisoformat(value) if value else None
        elif value is None and not field.null:
            value = ""
        setattr(person, item["field"], value)
    if person_items:
        if any(i["field"] == "residence_permit_no" for i in person_items):
            person.residence_permit = bool(person.residence_permit_no)
        person._history_user = user
        person._change_reason = f"变更申请#{change.pk}：{change.reason}"[:100]
        person.save()
        SchoolPlace.objects.filter(person=person).update(person_name=person.name)  # the list's sort key
    guardians = {}
    for item in change.items:
        kind, _sep, key = item["target"].partition(":")
        if kind == "guardian":
            guardians.setdefault(key, {})[item["field"]] = item["new"]
        elif kind == "group":
            if item["new"]:
                start, end = f.parse_membership(item["new"])
                PersonSpecialGroup.objects.update_or_create(
                    person=person, group=key,
                    defaults={"valid_from": start, "valid_until": end, "source": f"变更申请#{change.pk}"})
            else:
                PersonSpecialGroup.objects.filter(person=person, group=key).delete()
    for key, values in guardians.items():
        if key == "new":
            Guardian.objects.create(person=person, organisation_id=change.organisation_id, **values)
        else:
            Guardian.objects.filter(pk=key, person=person).update(**values)
    if person.status in f.DEPARTED and any(i["field"] == "status" for i in person_items):
        close_departed_cases(notes={person.pk: f"变更申请：{PersonStatus(person.status).label}"
                                               f"（{f.as_text(person.status_on) or '日期未填'}）"})
