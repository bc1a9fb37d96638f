"""Messages to guardians (短信告知): uninsured, renewal and newborn-deadline texts to the
guardian's phone through the ``SMS_BACKEND`` gateway (``outreach.sms``).

Rules:
- Only to a phone whose guardian agreed (``GuardianPreference.consent``) and did not ask not to
  be contacted (``do_not_contact``), recorded per county and phone; checked when the message
  is queued and again when the worker sends it (consent withdrawn meanwhile: failed, not sent).
- At most one message per phone, purpose and calendar week (Monday to Sunday): the message row
  carries ``request_key`` = purpose:phone:week and the database keeps it unique, so asking
  twice in a week, from two pages or two workers at once, creates one row. A guardian of two
  children gets one message naming both (masked).
- The row is created, and committed, before the gateway is called; the Celery task
  (``outreach.send_guardian_message``) moves it queued → sending → sent (→ delivered from the
  gateway's report) or failed. A task run again for a row already sent does nothing; a row
  left "sending" by a worker that died (or retried after a gateway error, which may be a
  timeout after the gateway took it) asks the gateway (``lookup``) whether it holds the
  message under its key before sending it, so a restart never sends twice. Gateway errors are
  retried with exponential backoff; after the last retry the row is failed.
"""
import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.models import Area, Guardian, Person, UninsuredCase

from . import sms
from .models import CountyContact, GuardianMessage, GuardianPreference, MessagePurpose, MessageStatus, MessageTemplate

MAX_RETRIES = 6
_CHUNK = 500


def default_texts():
    return {
        MessagePurpose.UNINSURED: _(
            "[Medical insurance bureau] Your child %(children)s is not yet insured for %(year)s. "
            "Please enroll in the resident medical insurance as soon as possible. Enquiries: "
            "%(office)s %(phone)s"),
        MessagePurpose.RENEWAL: _(
            "[Medical insurance bureau] Your child %(children)s was insured last year; please pay "
            "for %(year)s by %(deadline)s to avoid a waiting period and keep the continuous-year "
            "reward. Enquiries: %(office)s %(phone)s"),
        MessagePurpose.NEWBORN: _(
            "[Medical insurance bureau] Your newborn %(children)s can be insured from birth if "
            "enrolled by %(deadline)s. Enquiries: %(office)s %(phone)s"),
    }


def mask_name(name):
    """张三 -> 张*, 张小明 -> 张*明, 欧阳小明 -> 欧**明."""
    name = name or ""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone):
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"


def week_of(day):
    return day - datetime.timedelta(days=day.weekday())


def _template(county_id, purpose):
    rows = {row.county_id: row.text for row in MessageTemplate.objects.filter(purpose=purpose)}
    text = rows.get(county_id) or rows.get(None)
    if text:  # typed in the admin with {placeholders}
        return text.replace("{", "%(").replace("}", ")s")
    return default_texts()[purpose]


def renderer(county_id, purpose):
    """A function (names, year, deadline) -> text for one county and purpose: the template and
    the bureau's contact are read once, not per message."""
    template = _template(county_id, purpose)
    contact = CountyContact.objects.filter(county_id=county_id).first()
    office = contact.office if contact else Area.objects.get(pk=county_id).name
    phone = contact.phone if contact else ""

    def render(*, names, year, deadline):
        values = {"children": _("、").join(mask_name(n) for n in names), "year": year,
                  "deadline": deadline.isoformat() if deadline else "", "office": office, "phone": phone}
        try:
            return template % values
        except (KeyError, ValueError, TypeError):  # a template with an unknown placeholder
            return default_texts()[purpose] % values

    return render


def allowed_phones(county_id):
    """A condition on Guardian: its phone agreed to messages in the county and is not barred."""
    return Exists(GuardianPreference.objects.filter(
        county_id=county_id, phone=OuterRef("phone"), consent=True, do_not_contact=False))


def queue(*, county_id, purpose, person_ids, year, deadline=None, user=None, today=None):
    """Create the messages of ``purpose`` for the guardians of ``person_ids`` (children the
    caller chose in the county), one per phone and week, and hand each new one to the worker
    once committed. ``deadline``: a date, or person pk -> date. Returns (messages queued, phones skipped for this week's limit)."""
    today = today or datetime.date.today()
    week = week_of(today)
    by_phone = defaultdict(list)
    person_ids = sorted(set(person_ids))
    for start in range(0, len(person_ids), _CHUNK):
        rows = (Guardian.objects.filter(person_id__in=person_ids[start:start + _CHUNK], organisation__isnull=True)
                .exclude(phone="").filter(allowed_phones(county_id))
                .values_list("phone", "person_id", "person__name").order_by("person_id"))
        for phone, person_id, name in rows:
            if person_id not in [p for p, _n in by_phone[phone]]:
                by_phone[phone].append((person_id, name))
    render = renderer(county_id, purpose)
    new = [
        GuardianMessage(
            county_id=county_id, person_id=children[0][0], phone=phone, purpose=purpose, week=week,
            request_key=f"{purpose}:{phone}:{week.isoformat()}", created_by=user,
            text=render(names=[n for _p, n in children], year=year,
                        deadline=deadline.get(children[0][0]) if isinstance(deadline, dict) else deadline),
        )
        for phone, children in sorted(by_phone.items())
    ]
    keys = [m.request_key for m in new]
    with transaction.atomic():
        before = set(GuardianMessage.objects.filter(request_key__in=keys).values_list("request_key", flat=True))
        GuardianMessage.objects.bulk_create(new, batch_size=_CHUNK, ignore_conflicts=True)
        created = list(GuardianMessage.objects.filter(request_key__in=set(keys) - before,
                                                      status=MessageStatus.QUEUED).values_list("pk", flat=True))
        transaction.on_commit(lambda: _enqueue(created))
    return len(created), len(new) - len(created)


def _enqueue(message_ids):
    from .tasks import send_guardian_message

    for pk in message_ids:
        send_guardian_message.delay(pk)


def deliver(message_id):
    """Send one message, once. Returns its status; raises ``sms.GatewayError`` to be retried."""
    backend = sms.get_backend()
    with transaction.atomic():
        message = GuardianMessage.objects.select_for_update().get(pk=message_id)
        if message.status in (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED):
            return message.status
        if message.status == MessageStatus.SENDING or message.attempts:
            # a worker died mid-send, or the last attempt ended in a gateway error that may have
            # come after the gateway took the message (a timeout): ask before sending again
            held = backend.lookup(message.request_key)
            if held is not None:  # the gateway took it before the last worker died
                _record(message, held)
                return message.status
        if not GuardianPreference.objects.filter(county_id=message.county_id, phone=message.phone, consent=True,
                                                 do_not_contact=False).exists():
            # consent withdrawn (or do-not-contact recorded) after the message was queued
            message.status, message.error = MessageStatus.FAILED, _("The guardian no longer agrees to messages.")
            message.save(update_fields=["status", "error", "updated_at"])
            return message.status
        message.status = MessageStatus.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts", "updated_at"])
    try:
        result = backend.send(message.phone, message.text, reference=message.request_key)
    except sms.GatewayError as error:
        GuardianMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.QUEUED, error=str(error)[:300], updated_at=timezone.now())
        raise
    _record(message, result)
    return message.status


def _record(message, result):
    status = {"delivered": MessageStatus.DELIVERED, "failed": MessageStatus.FAILED}.get(
        result.status, MessageStatus.SENT)
    message.status = status
    message.gateway_id = result.gateway_id[:64]
    message.sent_at = message.sent_at or timezone.now()
    message.error = ""
    message.save(update_fields=["status", "gateway_id", "sent_at", "error", "updated_at"])


def give_up(message_id, error):
    GuardianMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
        status=MessageStatus.FAILED, error=str(error)[:300], updated_at=timezone.now())


STUCK_AFTER = datetime.timedelta(minutes=10)  # far beyond a gateway call's timeout


def requeue_stuck(*, older_than=STUCK_AFTER):
    """Hand again to the worker the messages whose task was lost (a killed worker loses its
    message on the filesystem broker): queued or sending, untouched for ``older_than``.
    Sending again is safe: ``deliver`` asks the gateway first. Returns their pks."""
    since = timezone.now() - older_than
    stuck = list(GuardianMessage.objects.filter(
        status__in=(MessageStatus.QUEUED, MessageStatus.SENDING), updated_at__lte=since,
    ).values_list("pk", flat=True)[:5000])
    _enqueue(stuck)
    return stuck


def refresh_statuses(*, days=3):
    """Ask the gateway for the delivery report of messages sent in the last ``days``."""
    backend = sms.get_backend()
    since = timezone.now() - datetime.timedelta(days=days)
    changed = 0
    for message in GuardianMessage.objects.filter(status=MessageStatus.SENT, sent_at__gte=since).exclude(gateway_id=""):
        status = backend.status(message.gateway_id)
        if status in (MessageStatus.DELIVERED, MessageStatus.FAILED):
            GuardianMessage.objects.filter(pk=message.pk).update(status=status, updated_at=timezone.now())
            changed += 1
    return changed


def record_preference(*, user, phone, consent, do_not_contact, note=""):
    """County staff record what the guardian with ``phone`` (a guardian of a child the user
    sees in the county) agreed to. Raises ValueError with a Chinese message otherwise."""
    from enrollment.access.scoping import visible_to

    phone = (phone or "").strip()
    known = Guardian.objects.filter(phone=phone, organisation__isnull=True,
                                    person__in=visible_to(Person, user)).exists()
    if not phone or not known:
        raise ValueError(_("No guardian with the phone %(phone)s among the children of your county.") % {
            "phone": phone})
    try:
        preference, _created = GuardianPreference.objects.update_or_create(
            county_id=user.area_id, phone=phone,
            defaults={"consent": consent, "do_not_contact": do_not_contact, "note": note, "recorded_by": user},
        )
    except IntegrityError:  # two clerks at once: the other's row stands
        preference = GuardianPreference.objects.get(county_id=user.area_id, phone=phone)
    return preference


def messages_for(user):
    """The messages of the user's county (city: its counties), newest first."""
    from enrollment.access.scoping import visible_to

    return visible_to(GuardianMessage, user).select_related("person").order_by("-created_at", "-pk")


# --- Who each purpose reaches (the daily schedule and the pages' "send" buttons) -----------

def uninsured_person_ids(county_id, year):
    return set(UninsuredCase.objects.filter(county_id=county_id, insurance_year=year, insured_on__isnull=True,
                                            reason="").values_list("person_id", flat=True))


def scheduled_run(*, today=None):
    """Beat's daily run: for every county, renewal texts to the renewal worklist, uninsured
    texts to the open cases of the coming year with no reason yet, newborn texts to uninsured
    newborns within their window. The weekly limit makes a daily run send at most weekly."""
    from enrollment.benefits.quotes import parameters_by_area

    from . import renewals
    from .selectors import newborn_deadline, uninsured_newborns

    today = today or datetime.date.today()
    counties = list(Area.objects.filter(level="county").values_list("pk", flat=True))
    found = renewals.windows(counties, today)
    params = parameters_by_area(counties, today)
    queued = defaultdict(int)
    for code, window in found.items():
        renewal = set(Person.objects.filter(renewals.renewal_condition({code: window}),
                                            merged_into__isnull=True).values_list("pk", flat=True))
        queued[MessagePurpose.RENEWAL] += queue(county_id=code, purpose=MessagePurpose.RENEWAL, person_ids=renewal,
                                                year=window.year, deadline=window.end, today=today)[0]
        # A child on the renewal list gets the renewal text only, even with a case open.
        queued[MessagePurpose.UNINSURED] += queue(
            county_id=code, purpose=MessagePurpose.UNINSURED,
            person_ids=uninsured_person_ids(code, window.year) - renewal,
            year=window.year, deadline=window.end, today=today)[0]
        days = params[code].newborn_days
        babies = uninsured_newborns(Person.objects.filter(county_id=code),
                                    born_from=today - datetime.timedelta(days=days), born_to=today)
        deadlines = {pk: newborn_deadline(birth, days) for pk, birth in babies.values_list("pk", "birth_date")}
        queued[MessagePurpose.NEWBORN] += queue(
            county_id=code, purpose=MessagePurpose.NEWBORN, person_ids=deadlines, year=today.year,
            deadline=deadlines, today=today)[0]
    return dict(queued)
