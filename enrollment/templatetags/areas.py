from django import template

register = template.Library()


@register.filter
def area_label(code, names):
    """``350902`` as ``蕉城区（350902）`` when the name is known; ``—`` when there is no code."""
    if not code:
        return "—"
    name = names.get(code)
    return f"{name}（{code}）" if name else code
