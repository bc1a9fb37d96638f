"""What a correction may change, how each value reads as text, and how it is read back from
the file: one description per changeable fact, so proposing, checking for staleness and
applying all agree."""
import datetime

from django.utils.translation import gettext_lazy as _

from ..models import Guardian, Person, PersonSpecialGroup, PersonStatus, SpecialGroup

# Facts of the file itself that county staff may correct.
PERSON_FIELDS = ("name", "hukou_area_code", "residence_area_code", "residence_permit_no",
                 "residence_permit_until", "status", "status_on")
GUARDIAN_FIELDS = ("name", "phone", "relation")
PARTNER_GUARDIAN_FIELDS = ("name", "phone")  # a partner's contacts of its own children
MEMBERSHIP = "membership"  # a special group item: "from～until", "" when not a member
DEPARTED = (PersonStatus.DECEASED, PersonStatus.MOVED_OUT, PersonStatus.EMIGRATED)


def as_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def membership_text(membership):
    if membership is None:
        return ""
    return f"{as_text(membership.valid_from)}～{as_text(membership.valid_until)}"


def parse_membership(text):
    start, _sep, end = text.partition("～")
    return (datetime.date.fromisoformat(start) if start else None,
            datetime.date.fromisoformat(end) if end else None)


def current_value(person, target, field):
    """What the file says now for one item (text, as in the items)."""
    kind, _sep, key = target.partition(":")
    if kind == "person":
        return as_text(getattr(person, field))
    if kind == "guardian":
        if key == "new":
            return ""
        guardian = Guardian.objects.filter(pk=key, person=person).first()
        return as_text(getattr(guardian, field)) if guardian else None  # gone: stale
    if kind == "group":
        return membership_text(PersonSpecialGroup.objects.filter(person=person, group=key).first())
    raise ValueError(target)


def label(target, field):
    kind, _sep, key = target.partition(":")
    if kind == "person":
        return str(Person._meta.get_field(field).verbose_name)
    if kind == "guardian":
        which = _("new guardian") if key == "new" else _("guardian")
        return f"{which}：{Guardian._meta.get_field(field).verbose_name}"
    return f"{_('special group')}：{SpecialGroup(key).label}"


def shown(target, field, value):
    """A value as the history shows it (the status's label, "—" for nothing)."""
    if value in ("", None):
        return "—"
    if target == "person" and field == "status":
        return str(PersonStatus(value).label)
    return value
