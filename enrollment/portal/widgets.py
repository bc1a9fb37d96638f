"""Form widgets shared by every page."""
from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. `<input type="date">` takes only ISO dates (2026-11-29): the
    zh-hans input format (2026/11/29) would show an empty field that blocks the form, so the value is
    always written in ISO, whatever the language. Every date field of the portal uses this widget."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
