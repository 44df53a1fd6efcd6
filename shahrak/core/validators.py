"""Validators shared by models, forms, imports and the API."""

import operator

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .text import normalize

_NATIONAL_ID_WEIGHTS = (29, 27, 23, 19, 17) * 2  # of the ten digits; they add up to 230


def national_id_check_digit(first_ten: str) -> int:
    """The check digit of an 11-digit legal-entity national ID (شناسه ملی) from its first ten digits.

    The published rule: add (10th digit + 2) to each of the first ten digits, weight them by
    29, 27, 23, 19, 17 repeating, sum, take the remainder by 11; a remainder of 10 is written 0.
    """
    if len(first_ten) == 10 and first_ten.isascii() and first_ten.isdigit():
        # Imports check 100,000 of these: the same sum over the ASCII codes (digit + 48), in C.
        codes = first_ten.encode("ascii")
        total = 230 * (codes[9] - 48 + 2) + sum(map(operator.mul, codes, _NATIONAL_ID_WEIGHTS)) - 48 * 230
    else:  # other digit systems (int() reads Persian digits)
        offset = int(first_ten[9]) + 2
        total = sum((offset + int(digit)) * _NATIONAL_ID_WEIGHTS[i] for i, digit in enumerate(first_ten))
    remainder = total % 11
    return 0 if remainder == 10 else remainder


def is_valid_national_id(value: str) -> bool:
    text = normalize(str(value))
    return (
        len(text) == 11
        and text.isascii()
        and text.isdigit()
        and national_id_check_digit(text[:10]) == int(text[10])
    )


def validate_national_id(value: str) -> None:
    text = normalize(str(value))
    if len(text) != 11 or not (text.isascii() and text.isdigit()):
        raise ValidationError(_("A national ID has exactly 11 digits."), code="national_id_format")
    if national_id_check_digit(text[:10]) != int(text[10]):
        raise ValidationError(
            _("The check digit of this national ID is wrong."), code="national_id_check_digit"
        )


# The span of a record's date and of an Iranian year the organization's records can have. A wider
# value is a typing slip (or, in a Gregorian field, a Solar Hijri date typed as Gregorian).
FIRST_GREGORIAN_YEAR, LAST_GREGORIAN_YEAR = 1921, 2121
FIRST_IRANIAN_YEAR, LAST_IRANIAN_YEAR = 1300, 1500


@deconstructible
class DateInRange:
    """A stored (Gregorian) date between 1921 and 2121, about 1300 to 1500 in the Solar Hijri calendar."""

    def __call__(self, value) -> None:
        if value is not None and not FIRST_GREGORIAN_YEAR <= value.year <= LAST_GREGORIAN_YEAR:
            raise ValidationError(
                _(
                    "A date is between the years %(first)s and %(last)s (Gregorian), about 1300 to 1500 in the Solar Hijri calendar."
                ),
                code="date_out_of_range",
                params={"first": FIRST_GREGORIAN_YEAR, "last": LAST_GREGORIAN_YEAR},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, DateInRange)


validate_date_in_range = DateInRange()


# Min/Max validators (not a plain function) so that Django drops the database's own limits on a
# small-integer field (32767 on PostgreSQL): one message, not two.
_YEAR_MESSAGE = _("An Iranian year is from 1300 to 1500.")
IRANIAN_YEAR_VALIDATORS = [
    MinValueValidator(FIRST_IRANIAN_YEAR, message=_YEAR_MESSAGE),
    MaxValueValidator(LAST_IRANIAN_YEAR, message=_YEAR_MESSAGE),
]


def validate_iranian_year(value) -> None:
    if value is not None:
        for validator in IRANIAN_YEAR_VALIDATORS:
            validator(value)
