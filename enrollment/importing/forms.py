import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ImportKind, Role
from ..portal.widgets import DateInput
from ..registry.periods import years_before
from . import safety
from .readers import FileProblem

KINDS_OF_ROLE = {
    Role.COUNTY: tuple(ImportKind),
    Role.SCHOOL: (ImportKind.SCHOOL_ROSTER,),
    Role.HEALTH: (ImportKind.HEALTH_LIST,),
}


def kinds_for(user):
    """The list kinds a user may upload (none for city staff and community partners)."""
    return KINDS_OF_ROLE.get(user.role, ())


def list_date_problem(day, today):
    """Why ``day`` cannot be a list's date (数据截至日期) when uploaded on ``today``, or None.
    A list describes a past day: not a future day, and not a day a year or more before today,
    since a list counts for a cut-off only within a year of it (``counting_lists``) and every
    table still to come has its cut-off on or after today. A list dated in December and
    received in January counts for the March report."""
    if day > today:
        return f"数据截至日期 {day:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}），名单不能描述未来的日期"
    earliest = years_before(today, 1) + datetime.timedelta(days=1)
    if day < earliest:
        return (f"数据截至日期 {day:%Y-%m-%d} 早于一年前（{earliest:%Y年%-m月%-d日}起的名单才计入），"
                "该名单不再计入今后任何一期比对和调度表")
    return None


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("List"))
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    list_date = forms.DateField(  # left empty (an older client): the upload day
        label=_("List data as of"), widget=DateInput(), required=False,
        help_text=_("The day the partner's list describes (not the day it was received)."),
    )

    def __init__(self, *args, user, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or datetime.date.today()
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds_for(user)]
        self.fields["list_date"].initial = self.today

    def clean_list_date(self):
        day = self.cleaned_data["list_date"] or self.today
        problem = list_date_problem(day, self.today)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            safety.safe_name(uploaded.name)
            safety.check_size(uploaded.size)
        except FileProblem as problem:
            raise forms.ValidationError(problem.message)
        return uploaded

