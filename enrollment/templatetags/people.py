from django import template

register = template.Library()


@register.filter
def who(user):
    """A user as pages name people: name and unit, not the login name (``User.display_name``)."""
    return user.display_name if user is not None and getattr(user, "pk", None) else "—"
