"""The proposal forms: county staff's (the file's facts) and a partner's (its own contacts)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ..importing import fields as cells
from ..models import PersonStatus, SpecialGroup
from . import fields as f

DATE = forms.DateInput(attrs={"type": "date"})
AREA_ERROR = {"invalid": "地区代码应为6位数字"}


def _phone(value):
    if not value:
        return value
    try:
        return cells.phone(value)
    except cells.CellError as problem:
        raise forms.ValidationError(problem.message)


class _Common(forms.Form):
    guardian = forms.ChoiceField(label=_("guardian"), required=False)
    guardian_name = forms.CharField(label=_("guardian name"), max_length=50, required=False)
    guardian_phone = forms.CharField(label=_("guardian phone"), max_length=20, required=False)
    reason = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label=_("attachment (PDF, JPG or PNG, up to 5 MB)"), required=False)

    def __init__(self, *args, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.pk): g for g in guardians}
        self.fields["guardian"].choices = [("", "—"), ("new", _("add a guardian"))] + [
            (pk, f"{g.name or '—'} {g.phone}") for pk, g in self.guardians.items()]

    def clean_guardian_phone(self):
        return _phone(self.cleaned_data["guardian_phone"])

    def guardian_change(self):
        """``(guardian or None, {field: value})`` of the non-empty guardian fields, or ``(None, {})``."""
        choice = self.cleaned_data.get("guardian")
        if not choice:
            return None, {}
        values = {field: self.cleaned_data.get(f"guardian_{field}") for field in self.guardian_fields}
        return self.guardians.get(choice), {k: v for k, v in values.items() if v}


class PartnerChangeForm(_Common):
    guardian_fields = f.PARTNER_GUARDIAN_FIELDS


class CountyChangeForm(_Common):
    guardian_fields = f.GUARDIAN_FIELDS
    name = forms.CharField(label=_("name"), max_length=50)
    hukou_area_code = forms.RegexField(regex=r"^\d{6}$", required=False, error_messages=AREA_ERROR,
                                       label=_("household registration area"))
    residence_area_code = forms.RegexField(regex=r"^\d{6}$", required=False, error_messages=AREA_ERROR,
                                           label=_("usual residence area"))
    residence_permit_no = forms.CharField(label=_("residence permit number"), max_length=30, required=False)
    residence_permit_until = forms.DateField(label=_("residence permit valid until"), required=False,
                                             widget=DATE)
    status = forms.ChoiceField(label=_("status"), choices=PersonStatus.choices)
    status_on = forms.DateField(label=_("status since"), required=False, widget=DATE)
    guardian_relation = forms.CharField(label=_("relation"), max_length=20, required=False)
    group = forms.ChoiceField(label=_("special group"), required=False,
                              choices=[("", "—"), *SpecialGroup.choices])
    group_remove = forms.BooleanField(label=_("remove from this group"), required=False)
    valid_from = forms.DateField(label=_("valid from"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("valid until"), required=False, widget=DATE)
    field_order = ["name", "hukou_area_code", "residence_area_code", "residence_permit_no", "residence_permit_until",
                   "status", "status_on", "guardian", "guardian_name", "guardian_phone", "guardian_relation",
                   "group", "group_remove", "valid_from", "valid_until", "reason", "attachment"]

    def clean(self):
        data = super().clean()
        if data.get("status") and data["status"] != PersonStatus.ACTIVE and not data.get("status_on"):
            self.add_error("status_on", "请填写死亡、迁出本市或注销的日期")
        if data.get("residence_permit_until") and not data.get("residence_permit_no"):
            self.add_error("residence_permit_no", "填写了居住证有效期时须填写居住证号")
        if data.get("group") and not data.get("group_remove") and not data.get("valid_from"):
            self.add_error("valid_from", "请填写起始日期")
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", "终止日期早于起始日期")
        return data

    def person_values(self):
        return {field: self.cleaned_data.get(field) for field in f.PERSON_FIELDS}

    def group_change(self):
        group = self.cleaned_data.get("group")
        if not group:
            return None, None
        if self.cleaned_data.get("group_remove"):
            return group, None
        return group, (self.cleaned_data["valid_from"], self.cleaned_data.get("valid_until"))
