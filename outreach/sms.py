"""Text messages: a small backend interface, chosen by the setting ``SMS_BACKEND``.

The default only writes each message to the log (no SMS gateway is contracted yet). A real
gateway subclasses ``BaseSMSBackend`` and implements ``send`` (one message, with the portal's
``reference`` that the gateway keeps), and may implement ``lookup`` (what the gateway holds for
a reference, to learn after a crash whether a message reached it) and ``status`` (the delivery
report). ``send`` raises ``GatewayError`` when the gateway did not take the message: the
caller retries later. ``send_messages`` (reminders to users) is built on ``send``.
"""
import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "outreach.sms.LoggingSMSBackend"
logger = logging.getLogger("outreach.sms")


class GatewayError(Exception):
    """The gateway did not accept the message (timeout, 5xx, throttled): try again later."""


@dataclass(frozen=True)
class SendResult:
    gateway_id: str
    status: str = "sent"  # "sent" (accepted) or "delivered"; "failed" for a refused number


class BaseSMSBackend:
    def send(self, phone, text, *, reference):
        """Send one message; return a ``SendResult`` or raise ``GatewayError``."""
        raise NotImplementedError

    def lookup(self, reference):
        """The ``SendResult`` of a message the gateway holds under ``reference``, or None
        (the gateway never got it, or cannot say: then the message is sent again)."""
        return None

    def status(self, gateway_id):
        """The delivery status the gateway reports now ("sent", "delivered", "failed"), or
        None when it does not report delivery."""
        return None

    def send_messages(self, messages):
        """Send ``messages``, a list of ``(phone, text)``; return how many were sent."""
        sent = 0
        for phone, text in messages:
            try:
                self.send(phone, text, reference=uuid.uuid4().hex)
                sent += 1
            except GatewayError:
                logger.warning("SMS to %s not sent: gateway error", phone)
        return sent


class LoggingSMSBackend(BaseSMSBackend):
    def send(self, phone, text, *, reference):
        logger.info("SMS to %s: %s", phone, text)
        return SendResult(gateway_id=f"log-{reference}", status="sent")


class TestSMSBackend(BaseSMSBackend):
    """A gateway a test can inspect: every message it takes is appended to a JSON-lines file
    (``SMS_TEST_OUTBOX`` in the environment, so a Celery worker process writes where the test
    reads), or to ``TestSMSBackend.outbox`` in memory without it. The environment also sets
    ``SMS_TEST_FAILURES`` (the first N sends raise ``GatewayError``) and
    ``SMS_TEST_HOLD_SECONDS`` (sleep after taking a message, before answering: time for a test
    to kill the worker between the gateway and the portal's record)."""

    outbox = []
    failures = 0

    @staticmethod
    def _path():
        value = os.environ.get("SMS_TEST_OUTBOX")
        return Path(value) if value else None

    @classmethod
    def sent(cls):
        path = cls._path()
        if path is None:
            return list(cls.outbox)
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    @classmethod
    def reset(cls):
        cls.outbox = []
        cls.failures = 0
        path = cls._path()
        if path is not None and path.exists():
            path.unlink()

    def _attempt_fails(self):
        limit = int(os.environ.get("SMS_TEST_FAILURES", "0") or 0) or type(self).failures
        path = self._path()
        counter = Path(f"{path}.attempts") if path else None
        if counter is not None:
            attempts = int(counter.read_text()) if counter.exists() else 0
            counter.write_text(str(attempts + 1))
        else:
            attempts = getattr(type(self), "_attempts", 0)
            type(self)._attempts = attempts + 1
        return attempts < limit

    def send(self, phone, text, *, reference):
        if self._attempt_fails():
            raise GatewayError("test gateway: temporarily unavailable")
        row = {"phone": phone, "text": text, "reference": reference, "id": f"test-{reference}"}
        path = self._path()
        if path is None:
            type(self).outbox.append(row)
        else:
            with path.open("a") as handle:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        hold = float(os.environ.get("SMS_TEST_HOLD_SECONDS", "0") or 0)
        if hold:
            time.sleep(hold)
        return SendResult(gateway_id=row["id"], status="sent")

    def lookup(self, reference):
        for row in self.sent():
            if row["reference"] == reference:
                return SendResult(gateway_id=row["id"], status="sent")
        return None

    def status(self, gateway_id):
        return "delivered" if any(row["id"] == gateway_id for row in self.sent()) else None


def get_backend():
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


def send_sms(messages):
    return get_backend().send_messages(list(messages)) if messages else 0
