"""Reads of the withholding follow-up (代扣代缴), always through ``visible_to``."""
from django.db.models import Count, Q

from ..access.scoping import visible_to
from ..models import WithholdingRecord


def agent_rates(user):
    """Per bank or payroll agent in scope: the people with an agreement, the deductions tried,
    those that succeeded and failed, and the success rate (one grouped query)."""
    rows = (visible_to(WithholdingRecord, user).values("agent")
            .annotate(agreements=Count("person", distinct=True), deductions=Count("pk"),
                      succeeded_count=Count("pk", filter=Q(succeeded=True)))
            .order_by("agent"))
    return [{**row, "failed_count": row["deductions"] - row["succeeded_count"],
             "rate": row["succeeded_count"] / row["deductions"] if row["deductions"] else None}
            for row in rows]
