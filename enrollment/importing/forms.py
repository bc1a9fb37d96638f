from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ImportKind, Role
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

