"""Subsidised enrollment of difficult children (资助参保): per special group, the children of
the group on the cut-off (membership valid that day, live files kept by the area's counties,
not departed), those insured in the cut-off's insurance year (any area, paid by the cut-off),
those insured with a subsidy (the enrollment's channel 资助参保) and those not insured. Each
child counts once per group; the total counts each child once. Every query is scoped."""
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from enrollment.access.scoping import visible_to
from enrollment.models import Channel, Person, PersonSpecialGroup, PersonStatus, SpecialGroup
from enrollment.registry.selectors import records_as_of

FIGURES = {
    "children": _("Difficult children"),
    "insured": _("Insured"),
    "subsidised": _("Insured with a subsidy"),
    "uninsured": _("Not insured"),
}
ALL = "all"


def _alive_on(cutoff):
    """Q on Person: not departed on the cut-off (a death or move recorded later leaves a past
    table as it was)."""
    return Q(status=PersonStatus.ACTIVE) | Q(status_on__gt=cutoff)


def difficult_children(user, codes, cutoff, group=ALL):
    """The persons behind the figures of ``group`` (or of any group), annotated ``insured`` and
    ``subsidised``."""
    memberships = PersonSpecialGroup.objects.filter(PersonSpecialGroup.valid_on(cutoff), person_id=OuterRef("pk"))
    if group != ALL:
        memberships = memberships.filter(group=group)
    records = records_as_of(cutoff)
    return (visible_to(Person, user)
            .filter(_alive_on(cutoff), county_id__in=codes, merged_into__isnull=True)
            .filter(Exists(memberships))
            .annotate(insured=Exists(records), subsidised=Exists(records.filter(channel=Channel.SUBSIDY))))


def people(user, codes, cutoff, group, figure):
    persons = difficult_children(user, codes, cutoff, group)
    condition = {"children": Q(), "insured": Q(insured=True), "subsidised": Q(subsidised=True),
                 "uninsured": Q(insured=False)}[figure]
    return persons.filter(condition).select_related("county").order_by("county_id", "name", "pk")


def table(user, codes, cutoff):
    """``[(group code, label, {figure: count})]``, one row per group then the total (``all``)."""
    persons = visible_to(Person, user).filter(_alive_on(cutoff), county_id__in=codes, merged_into__isnull=True)
    records = records_as_of(cutoff, person_ref="person_id")
    rows = (PersonSpecialGroup.objects.filter(PersonSpecialGroup.valid_on(cutoff), person__in=persons)
            .values("group").order_by()
            .annotate(children=Count("person", distinct=True),
                      insured=Count("person", distinct=True, filter=Q(Exists(records))),
                      subsidised=Count("person", distinct=True,
                                       filter=Q(Exists(records.filter(channel=Channel.SUBSIDY))))))
    by_group = {row["group"]: row for row in rows}
    own = records_as_of(cutoff)
    total = difficult_children(user, codes, cutoff).aggregate(
        children=Count("pk"), insured=Count("pk", filter=Q(Exists(own))),
        subsidised=Count("pk", filter=Q(Exists(own.filter(channel=Channel.SUBSIDY)))))
    result = []
    for code, label in [*SpecialGroup.choices, (ALL, _("All difficult children (each once)"))]:
        row = total if code == ALL else by_group.get(code, {"children": 0, "insured": 0, "subsidised": 0})
        result.append((code, label, {"children": row["children"], "insured": row["insured"],
                                     "subsidised": row["subsidised"],
                                     "uninsured": row["children"] - row["insured"]}))
    return result
