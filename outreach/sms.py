"""Text messages: a small backend interface, chosen by the setting ``SMS_BACKEND``.

The default only writes each message to the log (no SMS gateway is contracted yet). A real
gateway subclasses ``BaseSMSBackend`` and implements ``send_messages``.
"""
import logging

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "outreach.sms.LoggingSMSBackend"
logger = logging.getLogger("outreach.sms")


class BaseSMSBackend:
    def send_messages(self, messages):
        """Send ``messages``, a list of ``(phone, text)``; return how many were sent."""
        raise NotImplementedError


class LoggingSMSBackend(BaseSMSBackend):
    def send_messages(self, messages):
        for phone, text in messages:
            logger.info("SMS to %s: %s", phone, text)
        return len(messages)


def get_backend():
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


def send_sms(messages):
    return get_backend().send_messages(list(messages)) if messages else 0
