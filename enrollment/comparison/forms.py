from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import UninsuredReason
from ..portal.widgets import DateInput


class CaseReasonForm(forms.Form):
    reason = forms.ChoiceField(label=_("Uninsured reason"), choices=UninsuredReason.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ComparisonForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DateInput())

