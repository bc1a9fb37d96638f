"""View decorators for roles. Objects are scoped in selectors; this only gates whole pages."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def role_required(*roles):
    """Let only users of ``roles`` in; anybody else gets a 404, as for an unknown page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
