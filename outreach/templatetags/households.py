"""``{% household_siblings person %}``: the person file's siblings (same household), only
those the signed-in user may see."""
from django import template

from outreach import households

register = template.Library()


@register.inclusion_tag("outreach/siblings.html", takes_context=True)
def household_siblings(context, person):
    return {"siblings": list(households.siblings(context["request"].user, person))}
