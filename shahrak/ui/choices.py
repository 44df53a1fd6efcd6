"""Form fields that pick a record among many by its code (25,000 projects do not fit a drop-down)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.scope import outside_province, restrict
from shahrak.core.text import code_text, normalize


class CodeChoiceField(forms.ModelChoiceField):
    """A record typed by its code or national ID, in any digits."""

    def __init__(self, queryset, *, to_field_name, not_found=None, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}))
        super().__init__(queryset, to_field_name=to_field_name, **kwargs)
        self.error_messages["invalid_choice"] = not_found or _("No record has the code %(value)s.")

    user = None  # the form's user (RecordForm sets it): says why a record they may not use is refused

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize(value)
        try:
            return super().to_python(value)
        except ValidationError as error:
            # A record of another province is there, only not the officer's to use: say so.
            model = self.queryset.model
            if (
                error.code == "invalid_choice"
                and self.user is not None
                and model._default_manager.filter(**{self.to_field_name: value}).exists()
            ):
                raise ValidationError(outside_province(self.user, model), code="outside_province") from None
            raise

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
