"""Form fields that pick a record among many by its code (25,000 projects do not fit a drop-down)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.scope import restrict
from shahrak.core.text import code_text, normalize


class CodeChoiceField(forms.ModelChoiceField):
    """A record typed by its code or national ID, in any digits."""

    def __init__(self, queryset, *, to_field_name, not_found=None, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}))
        super().__init__(queryset, to_field_name=to_field_name, **kwargs)
        self.error_messages["invalid_choice"] = not_found or _("No record has the code %(value)s.")

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize(value)
        return super().to_python(value)

    def prepare_value(self, value):
        if hasattr(value, "_meta"):
            return getattr(value, self.to_field_name)
        if value and not isinstance(value, str):
            obj = self.queryset.model._default_manager.filter(pk=value).first()
            return getattr(obj, self.to_field_name) if obj else value
        return value


def writable(queryset, user):
    """The records a user may attach new records to: all for administrators, their province for officers."""
    if user is None:
        return queryset
    return restrict(queryset, user, "change")


class EstateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # An option is plain text: the code is marked as a code there by Unicode isolates.
        return f"{code_text(obj.code)} — {obj.name}"
