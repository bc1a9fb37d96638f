"""Recording every view, change and export of personal data."""
from .models import AccessAction, AccessEvent


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
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
    )


def _user_county(user):
    return user.area if user.area and user.area.is_county else None


__all__ = ["AccessAction", "record_access"]
