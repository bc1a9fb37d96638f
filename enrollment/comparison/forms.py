from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import UninsuredReason
from ..portal.widgets import DateInput


class CaseReasonForm(forms.Form):
    reason = forms.ChoiceField(label=_("Uninsured reason"), choices=UninsuredReason.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ComparisonForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DateInput())

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day > timezone.localdate():
            raise forms.ValidationError(f"比对日期 {day:%Y-%m-%d} 晚于今天，不能按未来的日期比对")
        return day



class CaseBulkForm(forms.Form):
    """What to do with the rows chosen in the list."""
    REASON, REFER = "reason", "refer"
    action = forms.ChoiceField(label=_("For the chosen children"), choices=(
        (REASON, _("set the uninsured reason")), (REFER, _("refer to another county")),
    ))
    reason = forms.ChoiceField(label=_("Uninsured reason"), choices=[("", "—"), *UninsuredReason.choices],
                               required=False)
    refer_to = forms.ChoiceField(label=_("Refer to"), required=False, choices=(
        ("residence", _("the county of residence")), ("hukou", _("the county of household registration")),
    ))
    note = forms.CharField(label=_("Note or referral reason"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REASON and not data.get("reason"):
            self.add_error("reason", _("Uninsured reason: choose one."))
        if data.get("action") == self.REFER and not data.get("note", "").strip():
            self.add_error("note", _("Referral reason: write why the cases are referred."))
        return data
