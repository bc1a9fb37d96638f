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
