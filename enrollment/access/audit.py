"""Recording every view, change and export of personal data."""
import re
from urllib.parse import unquote

from ..models import AccessAction, AccessEvent
from ..registry.id_numbers import mask

# An ID number typed into a search lands in the query string: the log keeps it masked.
ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def record_access(request, action, subject, *, person=None, record_count=0, county=None):
    """Log one access by ``request.user``. ``subject`` says what was seen, in plain words."""
    user = request.user
    if county is None:
        county = person.county if person is not None else _user_county(user)
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


def _user_county(user):
    return user.area if user.area and user.area.is_county else None


__all__ = ["AccessAction", "record_access"]
