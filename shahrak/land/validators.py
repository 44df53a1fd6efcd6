"""The applicant's identifier: a legal person's 11-digit national legal ID (شناسه ملی) or a natural
person's 10-digit national code (کد ملی), each with its check digit (the official algorithms)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shahrak.core.text import normalize
from shahrak.core.validators import is_valid_national_id, validate_national_id


def national_code_check_digit(first_nine: str) -> int:
    """The check digit of a 10-digit national code (کد ملی) from its first nine digits.

    The published rule: weight the nine digits by 10, 9, …, 2, sum, take the remainder r by 11; the
    check digit is r when r < 2, otherwise 11 − r.
    """
    total = sum(int(digit) * (10 - i) for i, digit in enumerate(first_nine))
    remainder = total % 11
    return remainder if remainder < 2 else 11 - remainder


def is_valid_national_code(value: str) -> bool:
    text = normalize(str(value))
    return (
        len(text) == 10
        and text.isascii()
        and text.isdigit()
        and len(set(text)) > 1  # 0000000000, 1111111111 … pass the sum but are never issued
        and national_code_check_digit(text[:9]) == int(text[9])
    )


def validate_national_code(value: str) -> None:
    text = normalize(str(value))
    if len(text) != 10 or not (text.isascii() and text.isdigit()):
        raise ValidationError(_("A national code has exactly 10 digits."), code="national_code_format")
    if len(set(text)) == 1 or national_code_check_digit(text[:9]) != int(text[9]):
        raise ValidationError(
            _("The check digit of this national code is wrong."), code="national_code_check_digit"
        )


def validate_applicant_id(kind: str, value: str) -> None:
    """A legal person gives the 11-digit national legal ID, a natural person the 10-digit code."""
    if kind == "legal":
        validate_national_id(value)
    else:
        validate_national_code(value)


def is_valid_applicant_id(kind: str, value: str) -> bool:
    return is_valid_national_id(value) if kind == "legal" else is_valid_national_code(value)
