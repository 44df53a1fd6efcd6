"""The forms of the return's actions: a summary to submit, a reason to return, a reason and a
length to reopen. They only read what was typed; the rules are in shahrak/returns/actions.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shahrak.ui.fields import LocalizedIntegerField

from .actions import reopen_max_days


class _ActionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class SubmitForm(_ActionForm):
    summary = forms.CharField(
        label=_("Summary of what changed in the month"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class SendBackForm(_ActionForm):
    reason = forms.CharField(
        label=_("Why it goes back to the province"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReopenForm(_ActionForm):
    reason = forms.CharField(
        label=_("Why the approved month is opened again"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The longest reopening is a setting, read when the form is made.
        days = LocalizedIntegerField(
            label=_("Open for (days)"), min_value=1, max_value=reopen_max_days(), initial=3
        )
        days.widget.attrs["class"] = "form-control"
        self.fields["days"] = days
