"""The one door to every row a user may see.

Each model that reaches users registers a rule: a function of the user that returns a ``Q``
(or ``None`` for "nothing"). Lists, details, search, counts and exports all pass through
``visible_to``; a model without a rule raises, so a new model cannot leak by default.
An object outside the scope is a 404 (``get_visible_or_404``), never a 403 that would
confirm it exists.
"""
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from ..models.accounts import Role
from ..models.areas import Area

_RULES = {}


def register(model):
    """Decorator: register ``rule(user) -> Q | None`` as the scoping rule of ``model``."""

    def decorator(rule):
        _RULES[model] = rule
        return rule

    return decorator


def visible_to(queryset_or_model, user) -> QuerySet:
    queryset = _as_queryset(queryset_or_model)
    rule = _RULES.get(queryset.model)
    if rule is None:
        raise ImproperlyConfigured(f"No scoping rule for {queryset.model.__name__}")
    if not (user and user.is_authenticated and user.is_active and user.role):
        return queryset.none()
    condition = rule(user)
    return queryset.none() if condition is None else queryset.filter(condition)


def get_visible_or_404(queryset_or_model, user, **lookup):
    try:
        return visible_to(queryset_or_model, user).get(**lookup)
    except (queryset_or_model if isinstance(queryset_or_model, type) else queryset_or_model.model).DoesNotExist:
        raise Http404
    except (ValueError, TypeError):  # a malformed key in the URL is "not found" too
        raise Http404


def by_area(county_field, organisation_field=None):
    """A rule for rows that belong to a county and, for partners, to one organisation.

    City staff see the counties of their city, county staff their county, partners only the
    rows of their own organisation (nothing when ``organisation_field`` is None).
    """

    def rule(user):
        if user.role == Role.CITY:
            return Q(**{f"{county_field}_id__in": city_counties_of(user)})
        if user.role == Role.COUNTY:
            return Q(**{f"{county_field}_id": user.area_id})
        if organisation_field and user.organisation_id:
            return Q(**{f"{organisation_field}_id": user.organisation_id}) & Q(
                **{f"{county_field}_id": user.area_id}
            )
        return None

    return rule


def counties_of_city(city_code):
    """The city's county codes as a literal list: filtering on them lets the database use the
    county indexes and estimate rows well, where a join through the area table does not."""
    return list(Area.objects.filter(parent_id=city_code).values_list("pk", flat=True))


_CITY_COUNTIES = "_scoping_city_counties"


def city_counties_of(user):
    """``counties_of_city`` of a city user, asked once per user object and kept on it.

    ``request.user`` lives for one request, so a page with several scoped queries reads the
    area table once, and a county added to the city shows from the next request on. The list
    is read again if the user's area changes."""
    cached = getattr(user, _CITY_COUNTIES, None)
    if cached is None or cached[0] != user.area_id:
        cached = (user.area_id, counties_of_city(user.area_id))
        setattr(user, _CITY_COUNTIES, cached)
    return cached[1]


def _as_queryset(queryset_or_model):
    if isinstance(queryset_or_model, QuerySet):
        return queryset_or_model
    if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, Model):
        return queryset_or_model._default_manager.all()
    raise TypeError(f"Expected a model or a queryset, got {queryset_or_model!r}")
