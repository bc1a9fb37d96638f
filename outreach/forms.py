import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from enrollment.models.organisations import EDUCATION_KINDS
from enrollment.portal.widgets import DateInput

from . import selectors
from .models import ContactMethod, Outcome, OutreachTask


def two_weeks_ahead():
    """The default deadline of new tasks."""
    return datetime.date.today() + datetime.timedelta(days=14)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, label=_("assign to"), empty_label=_("Choose…"))
    due_on = forms.DateField(label=_("due date"), widget=DateInput(), initial=two_weeks_ahead)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.organisations(user).order_by("kind", "name")


class TaskChangeForm(forms.Form):
    """County staff: another partner and/or a later deadline, with the reason."""
    assignee = forms.ModelChoiceField(queryset=None, label=_("assign to"), empty_label=None)
    due_on = forms.DateField(label=_("due date"), widget=DateInput())
    reason = forms.CharField(label=_("reason for the change"), max_length=200)

    def __init__(self, *args, user, task, **kwargs):
        super().__init__(*args, initial={"assignee": task.assignee_id, "due_on": task.due_on}, **kwargs)
        self.fields["assignee"].queryset = selectors.organisations(user).filter(
            county_id=task.county_id).order_by("kind", "name")


class ContactForm(forms.Form):
    date = forms.DateField(label=_("contact date"), widget=DateInput(), initial=datetime.date.today)
    method = forms.ChoiceField(label=_("method"), choices=ContactMethod.choices)
    outcome = forms.ChoiceField(
        label=_("outcome"), required=False,
        choices=[("", _("No outcome yet"))] + list(Outcome.choices),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=300)


class NoticeBatchForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None, label=_("school"))
    class_name = forms.CharField(
        label=_("class"), required=False, max_length=30,
        help_text=_("Leave empty for the whole school."),
    )
    pay_by = forms.DateField(label=_("pay by"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = selectors.organisations(user).filter(kind__in=EDUCATION_KINDS)
        self.fields["school"].queryset = schools
        if user.is_partner:  # a school liaison prints for its own school only
            self.fields["school"].initial = user.organisation_id
        self.fields["pay_by"].initial = end_of_year


def end_of_year():
    """The default pay-by date, on the forms and for one child's notice: 31 December."""
    return datetime.date(datetime.date.today().year, 12, 31)


class TaskNoticeForm(forms.Form):
    pay_by = forms.DateField(label=_("pay by"), widget=DateInput(), initial=end_of_year)


__all__ = ["AssignForm", "ContactForm", "NoticeBatchForm", "OutreachTask", "TaskChangeForm", "TaskNoticeForm"]
