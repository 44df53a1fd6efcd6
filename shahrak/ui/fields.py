"""Number fields that read Persian and Arabic digits and separators (Django's own reject «۱۲٫۵»)."""

from django import forms

from shahrak.core.forms import ReaderDigitsInput
from shahrak.core.text import normalize

NUMBER_ATTRS = {"dir": "ltr", "inputmode": "decimal", "autocomplete": "off"}


def _clean_number_text(value):
    if isinstance(value, str):
        return normalize(value).replace(",", "").replace(" ", "")
    return value


class LocalizedIntegerField(forms.IntegerField):
    widget = ReaderDigitsInput

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), **NUMBER_ATTRS, "inputmode": "numeric"}

    def to_python(self, value):
        return super().to_python(_clean_number_text(value))


class LocalizedDecimalField(forms.DecimalField):
    widget = ReaderDigitsInput

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        return {**attrs, **NUMBER_ATTRS}

    def to_python(self, value):
        return super().to_python(_clean_number_text(value))
