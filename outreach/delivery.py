"""Deliver one message to many users: in-portal notification, e-mail and SMS."""
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage

from . import sms
from .models import Notification


@dataclass(frozen=True)
class Message:
    recipient: object  # a User
    kind: str
    title: str
    body: str
    url: str = ""


def deliver(messages, *, email_backend=None):
    """Write the notifications in one insert, send the e-mails over one connection and the
    text messages in one backend call (``email_backend`` overrides EMAIL_BACKEND, e.g. for
    the demo). Returns the number of messages."""
    messages = list(messages)
    if not messages:
        return 0
    Notification.objects.bulk_create([
        Notification(recipient=m.recipient, kind=m.kind, title=m.title, body=m.body, url=m.url)
        for m in messages
    ], batch_size=500)
    mails = [
        EmailMessage(subject=m.title, body=_with_link(m), from_email=settings.DEFAULT_FROM_EMAIL,
                     to=[m.recipient.email])
        for m in messages if m.recipient.email
    ]
    if mails:
        get_connection(email_backend, fail_silently=True).send_messages(mails)
    sms.send_sms([(m.recipient.phone, m.title) for m in messages if m.recipient.phone])
    return len(messages)


def _with_link(message):
    if not message.url:
        return message.body
    base = getattr(settings, "PORTAL_URL", "").rstrip("/")
    return f"{message.body}\n\n{base}{message.url}"
