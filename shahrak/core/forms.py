"""Form fields that read what Iranian users type: Solar Hijri dates, Persian digits, rials."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import jalali
from .money import MAX_RIALS
from .text import in_reader_digits, normalize, normalize_text, parse_integer


class JalaliDateInput(forms.TextInput):
    """A text box with the Jalali date picker (data-jdp); shows the stored date as Solar Hijri."""

    def __init__(self, attrs=None):
        super().__init__({"data-jdp": "", "autocomplete": "off", "dir": "ltr", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", in_reader_digits("1401/01/01"))
        return context

    def format_value(self, value):
        # Shown in the reader's digits; JalaliDateField reads Persian, Arabic and Latin digits alike.
        if isinstance(value, dt.date):
            return in_reader_digits(jalali.format_jalali(value))
        return super().format_value(value)


class ReaderDigitsInput(forms.TextInput):
    """A number box that shows its value in the reader's digits (the fields read any digits)."""

    def format_value(self, value):
        value = super().format_value(value)
        return None if value is None else in_reader_digits(value)


class JalaliDateField(forms.Field):
    """A date typed as Solar Hijri (YYYY/MM/DD, any digits); a year of 1700 or more is read as Gregorian."""

    widget = JalaliDateInput
    default_error_messages = {"invalid": _("Enter a date such as 1401/01/01.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return jalali.parse_date(str(value), calendar="auto")
        except jalali.InvalidDate as error:
            # The calendar's message already quotes the value and says why, in the reader's language.
            # It quotes what was typed, so it goes in as a parameter, never as the message itself:
            # Django and django-filter treat a ValidationError's message as a `%` format string.
            raise ValidationError("%(reason)s", code="invalid", params={"reason": str(error)}) from None


class RialField(forms.Field):
    """A whole number of rials, not negative, with Persian digits and thousands separators allowed."""

    widget = ReaderDigitsInput(attrs={"dir": "ltr", "inputmode": "numeric"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            number = value
        else:
            try:
                number = parse_integer(value)
            except ValueError:
                raise ValidationError(_("Enter a whole number of rials."), code="invalid") from None
        if number < 0:
            raise ValidationError(_("An amount of rials cannot be negative."), code="negative")
        if number > MAX_RIALS:
            raise ValidationError(_("This amount is too large to store."), code="overflow")
        return number


class NormalizedCharField(forms.CharField):
    """Free text kept as typed (digits, spaces, ZWNJ), with Arabic ي/ك read as Persian ی/ک."""

    normalise = staticmethod(normalize_text)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalise(value) if value else value


class CodeCharField(NormalizedCharField):
    """A code or identifier typed in any digits: digits made Latin."""

    normalise = staticmethod(normalize)


# The text fields of the records that are codes, not names: their digits are read, not kept.
CODE_FIELD_NAMES = frozenset({"code", "national_id", "iso_code", "sci_code", "currency"})
