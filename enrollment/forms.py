from django import forms
from django.utils.translation import gettext_lazy as _

from .importing import safety
from .importing.readers import FileProblem
from .models import ImportKind, Role, UninsuredReason

KINDS_OF_ROLE = {
    Role.COUNTY: tuple(ImportKind),
    Role.SCHOOL: (ImportKind.SCHOOL_ROSTER,),
    Role.HEALTH: (ImportKind.HEALTH_LIST,),
}


def kinds_for(user):
    """The list kinds a user may upload (none for city staff and community partners)."""
    return KINDS_OF_ROLE.get(user.role, ())


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("List"))
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds_for(user)]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            safety.safe_name(uploaded.name)
            safety.check_size(uploaded.size)
        except FileProblem as problem:
            raise forms.ValidationError(problem.message)
        return uploaded


class CaseReasonForm(forms.Form):
    reason = forms.ChoiceField(label=_("Uninsured reason"), choices=UninsuredReason.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ComparisonForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
