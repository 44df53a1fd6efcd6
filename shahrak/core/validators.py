"""Validators shared by models, forms, imports and the API."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import normalize

_NATIONAL_ID_WEIGHTS = (29, 27, 23, 19, 17)


def national_id_check_digit(first_ten: str) -> int:
    """The check digit of an 11-digit legal-entity national ID (شناسه ملی) from its first ten digits.

    The published rule: add (10th digit + 2) to each of the first ten digits, weight them by
    29, 27, 23, 19, 17 repeating, sum, take the remainder by 11; a remainder of 10 is written 0.
    """
    offset = int(first_ten[9]) + 2
    total = sum((offset + int(digit)) * _NATIONAL_ID_WEIGHTS[i % 5] for i, digit in enumerate(first_ten))
    remainder = total % 11
    return 0 if remainder == 10 else remainder


def is_valid_national_id(value: str) -> bool:
    text = normalize(str(value))
    return len(text) == 11 and text.isascii() and text.isdigit() and national_id_check_digit(text[:10]) == int(text[10])


def validate_national_id(value: str) -> None:
    text = normalize(str(value))
    if len(text) != 11 or not (text.isascii() and text.isdigit()):
        raise ValidationError(_("A national ID has exactly 11 digits."), code="national_id_format")
    if national_id_check_digit(text[:10]) != int(text[10]):
        raise ValidationError(_("The check digit of this national ID is wrong."), code="national_id_check_digit")
