"""Scoping rules of the outreach app (see ``enrollment/scoping.py``)."""
from enrollment import scoping

from .models import OutreachTask

scoping.register(OutreachTask)(scoping.by_area("county", "assignee"))
