"""Scoping rules of the reporting app (see ``enrollment/scoping.py``): bureau staff only."""
from enrollment.access import scoping

from .models import DispatchFigures, SubmittedReport

# County staff see their county's reports and stored figures, city staff their counties';
# partners nothing.
scoping.register(SubmittedReport)(scoping.by_area("county"))
scoping.register(DispatchFigures)(scoping.by_area("county"))
