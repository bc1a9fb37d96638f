"""``{% load benefits %}{% benefit_panel person %}``: the benefit panel of a person page.

Shown to bureau staff only: the reasons tell which years had fund or catastrophic-illness
reimbursements, which is health information partners do not need."""
from django import template
from django.utils import timezone

from enrollment.benefits.quotes import quote_for, repair_for, resolved_parameters
from enrollment.benefits.rules import readings
from enrollment.models.accounts import BUREAU_ROLES

register = template.Library()


@register.inclusion_tag("benefits/person_panel.html", takes_context=True)
def benefit_panel(context, person, on=None):
    """Continuous years, waiting period, rewards and cap of ``person`` on ``on`` (today).
    Reads ``person.enrollments`` and ``person.special_groups`` (prefetch them to save queries)."""
    user = context.get("user")
    if user is None or getattr(user, "role", None) not in BUREAU_ROLES:
        return {"shown": False}
    on = on or timezone.localdate()
    parameter_set, params = resolved_parameters(person.county, on)
    quote = quote_for(person, on, params=params)
    return {
        "shown": True,
        "person": person,
        "on": on,
        "quote": quote,
        "parameter_set": parameter_set,
        "repair": repair_for(quote.waiting, params, person.county),
        "readings": readings(params),
    }
