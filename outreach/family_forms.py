"""Forms of issue 19's pages: renewal actions, guardians' preferences, call-back samples."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from enrollment.models import Person
from enrollment.models.organisations import EDUCATION_KINDS
from enrollment.portal.filters import yes_no_filter

from . import selectors
from .forms import AssignForm
from .models import CallbackOutcome, MessagePurpose, MessageStatus


class RenewalFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))
    school = django_filters.ModelChoiceFilter(
        field_name="school_place__school",
        queryset=lambda request: selectors.organisations(request.user).filter(kind__in=EDUCATION_KINDS),
        label=_("school"))
    class_name = django_filters.CharFilter(field_name="school_place__class_name", label=_("class"))
    has_task = yes_no_filter(_("has an outreach task"))
    has_phone = yes_no_filter(_("guardian phone on file"), method="filter_phone")

    class Meta:
        model = Person
        fields = ["name", "school", "class_name", "has_task", "has_phone"]

    def filter_phone(self, queryset, name, value):
        if value is None:
            return queryset
        empty = {"guardian_phone__isnull": True}
        return queryset.exclude(**empty) if value else queryset.filter(**empty)


class RenewalAssignForm(AssignForm):
    per_household = forms.BooleanField(label=_("one task per household"), required=False)


class PreferenceForm(forms.Form):
    phone = forms.CharField(label=_("guardian phone"), max_length=20)
    consent = forms.BooleanField(label=_("agreed to text messages"), required=False)
    do_not_contact = forms.BooleanField(label=_("do not contact"), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class MessageFilter(django_filters.FilterSet):
    purpose = django_filters.ChoiceFilter(choices=MessagePurpose.choices, label=_("purpose"))
    status = django_filters.ChoiceFilter(choices=MessageStatus.choices, label=_("status"))


class SampleForm(forms.Form):
    year = forms.IntegerField(label=_("insurance year"), min_value=2020, max_value=2099)
    seed = forms.CharField(label=_("seed"), max_length=40,
                           help_text=_("The same seed on the same children draws the same sample."))
    size = forms.IntegerField(label=_("sample size"), min_value=1, max_value=100000, required=False)
    percent = forms.DecimalField(label=_("percentage"), min_value=0.01, max_value=100, decimal_places=2,
                                 required=False)

    def clean(self):
        data = super().clean()
        if (data.get("size") is None) == (data.get("percent") is None):
            raise forms.ValidationError(_("Give either a sample size or a percentage."))
        return data


class AssignStaffForm(forms.Form):
    staff = forms.ModelMultipleChoiceField(queryset=None, label=_("staff"),
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class CallbackOutcomeForm(forms.Form):
    callback = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("outcome"), choices=CallbackOutcome.choices)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


__all__ = ["AssignStaffForm", "CallbackOutcomeForm", "MessageFilter", "PreferenceForm",
           "RenewalAssignForm", "RenewalFilter", "SampleForm"]
