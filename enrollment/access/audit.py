"""Recording every view, change and export of personal data."""
import ipaddress
import re
from urllib.parse import unquote

from django.conf import settings

from ..models import AccessAction, AccessEvent
from ..registry.id_numbers import mask

# An ID number typed into a search lands in the query string: the log keeps it masked.
ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def client_ip(request):
    """The client's address. Behind the trusted TLS proxy (``BEHIND_TLS_PROXY=1``) the peer is
    the proxy: the client is the last address of ``X-Forwarded-For``, the one the proxy
    appended (earlier entries come from the client and can be forged)."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1] and _is_ip(forwarded[-1]):
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or None


def _is_ip(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def record_access(request, action, subject, *, person=None, record_count=0, county=None):
    """Log one access by ``request.user``. ``subject`` says what was seen, in plain words.

    The event belongs to the person's county, else to ``county``, else to the user's own area:
    a city user's list or export across its counties is kept under the city, which the city
    and each of its counties read on the audit page (see ``rules.access_event_rule``)."""
    user = request.user
    if county is None:
        county = person.county if person is not None else user.area
    return AccessEvent.objects.create(
        user=user,
        action=action,
        county=county,
        person=person,
        subject=str(subject)[:200],
        record_count=record_count if person is None else max(record_count, 1),
        path=masked_path(request.get_full_path())[:500],
        ip_address=client_ip(request),
    )


def masked_path(path):
    """The requested path, decoded, with any ID number in it masked."""
    return ID_NUMBER_IN_TEXT.sub(lambda match: mask(match.group()), unquote(path))


__all__ = ["AccessAction", "record_access"]
