"""The choice of area and cut-off date above the dispatch table and the dashboard."""
import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from enrollment.portal.widgets import DateInput

from . import periods


class TableChoiceForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"))
    as_of = forms.DateField(label=_("Data as of"), widget=DateInput())

    def __init__(self, data, *, areas, today):
        self.today = today
        initial = {"area": areas[0].pk, "as_of": periods.default_cutoff(today)}
        super().__init__({**initial, **{k: v for k, v in data.items() if v}}, initial=initial)
        self.fields["area"].choices = [(area.pk, area.name) for area in areas]

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > self.today:
            raise forms.ValidationError(_("Data as of: the date cannot be in the future."))
        if as_of < datetime.date(2000, 1, 1):
            raise forms.ValidationError(_("Data as of: the date is too early."))
        return as_of

    def choice(self):
        """(area code, cut-off) of a valid form, or the defaults when the input is invalid."""
        if self.is_valid():
            return self.cleaned_data["area"], self.cleaned_data["as_of"]
        return self.initial["area"], self.initial["as_of"]


class SubmissionForm(forms.Form):
    """What a county sends with its table: the narrative report the notice asks for
    (进展情况、问题、建议) and the paper form's lines, prefilled from the submitter's account and
    the county's contact."""

    progress = forms.CharField(label=_("Work progress"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(label=_("Problems"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    suggestions = forms.CharField(label=_("Suggestions"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.CharField(label=_("Reporting unit"), max_length=100)
    checked_by = forms.CharField(label=_("Checked by"), max_length=50)
    phone = forms.CharField(label=_("Contact phone"), max_length=40)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    reason = forms.CharField(label=_("Reason for returning"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
