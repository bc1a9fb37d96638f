"""``{% load benefits %}{% benefit_panel person %}``: the benefit panel of a person page."""
from django import template
from django.utils import timezone

from enrollment.benefits import parameter_set_for, quote_for

register = template.Library()


@register.inclusion_tag("benefits/person_panel.html")
def benefit_panel(person, on=None):
    """Continuous years, waiting period, rewards and cap of ``person`` on ``on`` (today).
    Reads ``person.enrollments`` and ``person.special_groups`` (prefetch them to save queries)."""
    on = on or timezone.localdate()
    return {
        "person": person,
        "on": on,
        "quote": quote_for(person, on),
        "parameter_set": parameter_set_for(person.county, on),
    }
