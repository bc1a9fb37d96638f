"""Middleware shared by every page."""
from django.utils.cache import patch_cache_control


class NoStoreForSignedInUsers:
    """Every response to a signed-in user may carry personal data (person pages, exports,
    notices, original files): no browser or proxy cache may keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
