"""The counter-staff calculator form: a history typed in one line, the area and the day.

History syntax (entries separated by commas, semicolons or new lines; Chinese or ASCII):
    2019-2023 参保, 2024 断保, 2025 参保 大病报销
An entry is a year or a range of years (2019-2023, 2019—2023, 2019至2023) followed by words:
    参保 / 居民        resident-scheme year (the default)
    职工               employee-scheme year
    断保 / 未参保      no insurance that year (the same as leaving the year out)
    补缴               a missed resident year paid back later
    零报销 / 未报销    no reimbursement from the fund that year (earns the zero-claim reward)
    报销               some reimbursement from the fund that year
    大病报销           a catastrophic-illness claim that used the reward (clears zero-claim)
    2025-03-10         payment date (only for a single year)
A year with neither 零报销 nor 报销 is "not known" and earns no zero-claim reward.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Area
from ..models.people import SpecialGroup
from ..portal.widgets import DateInput
from .rules import (
    EMPLOYEE,
    RESIDENT,
    TRANSFER_IN_LABELS,
    EnrollmentYear,
    TransferIn,
)

ENTRY_SEPARATORS = re.compile(r"[,，;；、\n]+")
ENTRY = re.compile(r"^\s*(\d{4})\s*(?:(?:-|－|—|–|~|～|至|到)\s*(\d{4}))?\s*(.*?)\s*$")
PAYMENT_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
WORDS = {
    # word -> field updates; longer words are matched first
    "大病报销": {"catastrophic_paid": Decimal("1"), "catastrophic_reward_used": True,
             "fund_paid": Decimal("1")},
    "零报销": {"fund_paid": Decimal("0"), "catastrophic_paid": Decimal("0")},
    "未报销": {"fund_paid": Decimal("0"), "catastrophic_paid": Decimal("0")},
    "未参保": {"gap": True},
    "断保": {"gap": True},
    "断缴": {"gap": True},
    "补缴": {"back_paid": True},
    "报销": {"fund_paid": Decimal("1")},
    "职工": {"scheme": EMPLOYEE},
    "居民": {"scheme": RESIDENT},
    "参保": {},
    "缴费": {},
    "集中期": {},
}
MIN_YEAR, MAX_YEAR = 1998, 2100


def parse_history(text: str) -> list[EnrollmentYear]:
    """EnrollmentYear values of a typed history; ValidationError naming the entry otherwise."""
    years: dict[tuple[int, str], EnrollmentYear] = {}
    entries = [e for e in ENTRY_SEPARATORS.split(text or "") if e.strip()]
    for number, entry in enumerate(entries, start=1):
        for year_entry in _parse_entry(number, entry.strip()):
            key = (year_entry.year, year_entry.scheme)
            if key in years:
                raise forms.ValidationError(
                    _("Entry %(number)s (%(entry)s): year %(year)s is given twice.")
                    % {"number": number, "entry": entry.strip(), "year": year_entry.year}
                )
            years[key] = year_entry
    return [years[key] for key in sorted(years)]


def _parse_entry(number: int, entry: str) -> list[EnrollmentYear]:
    def error(message, **extra):
        return forms.ValidationError(
            _("Entry %(number)s (%(entry)s): ") % {"number": number, "entry": entry}
            + message % extra
        )

    match = ENTRY.match(entry)
    if not match:
        raise error(_("start with a year such as 2024 or a range such as 2019-2023."))
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if not MIN_YEAR <= first <= last <= MAX_YEAR:
        raise error(_("the years must run forward between %(min)s and %(max)s."),
                    min=MIN_YEAR, max=MAX_YEAR)
    rest = match.group(3)
    fields: dict = {"fund_paid": None}  # reimbursement not known unless said
    paid = PAYMENT_DATE.search(rest)
    if paid:
        if first != last:
            raise error(_("a payment date belongs to a single year, not a range."))
        try:
            fields["paid_on"] = date(*(int(part) for part in paid.groups()))
        except ValueError:
            raise error(_("%(date)s is not a valid date."), date=paid.group(0))
        rest = rest.replace(paid.group(0), " ")
    for word in sorted(WORDS, key=len, reverse=True):
        if word in rest:
            fields.update(WORDS[word])
            rest = rest.replace(word, " ")
    unknown = rest.strip(" 　:：()（）")
    if unknown:
        raise error(_("“%(words)s” is not understood."), words=unknown)
    if fields.pop("gap", False):
        return []
    try:
        return [EnrollmentYear(year=year, **fields) for year in range(first, last + 1)]
    except ValueError:
        raise error(_("only resident-scheme years can be back-paid."))


class CalculatorForm(forms.Form):
    history = forms.CharField(
        label=gettext_lazy("Insurance history"), widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy(
            "For example: 2019-2023 参保, 2024 断保, 2025 参保 大病报销. Words: 参保, 职工, 断保, "
            "补缴, 零报销, 报销, 大病报销; a payment date such as 2025-03-10 for one year. A year "
            "not marked 零报销 earns no zero-claim reward."
        ),
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Insured area"), queryset=Area.objects.order_by("code"),
        help_text=gettext_lazy("Its parameters apply, or those of the nearest area above it."),
    )
    enrolled_on = forms.DateField(
        label=gettext_lazy("Enrollment (payment) date"),
        widget=DateInput(),
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Birth date (for newborns)"), required=False,
        widget=DateInput(),
    )
    special_groups = forms.MultipleChoiceField(
        label=gettext_lazy("Special groups"), required=False, choices=SpecialGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The area's parameters say which groups wait no period."),
    )
    transfer_in_reason = forms.ChoiceField(
        label=gettext_lazy("Transfer-in reason"), required=False,
        choices=[("", "—")] + list(TRANSFER_IN_LABELS.items()),
    )
    transfer_in_on = forms.DateField(
        label=gettext_lazy("Qualified for transfer-in on"), required=False,
        widget=DateInput(),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolled_on"].initial = timezone.localdate()
        if user is not None and user.area_id:
            self.fields["area"].initial = user.area_id

    def clean_history(self):
        return parse_history(self.cleaned_data["history"])

    def clean(self):
        cleaned = super().clean()
        reason, qualified_on = cleaned.get("transfer_in_reason"), cleaned.get("transfer_in_on")
        if bool(reason) != bool(qualified_on):
            self.add_error("transfer_in_on" if reason else "transfer_in_reason",
                           _("Give both the transfer-in reason and the date of qualifying."))
        birth_date, enrolled_on = cleaned.get("birth_date"), cleaned.get("enrolled_on")
        if birth_date and enrolled_on and birth_date > enrolled_on:
            self.add_error("birth_date", _("The birth date is after the enrollment date."))
        return cleaned

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(self.cleaned_data.get("special_groups") or ())

    @property
    def transfer_in(self) -> TransferIn | None:
        reason = self.cleaned_data.get("transfer_in_reason")
        return TransferIn(reason, self.cleaned_data["transfer_in_on"]) if reason else None
