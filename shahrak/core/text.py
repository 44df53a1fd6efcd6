"""Normalising what people type: Persian/Arabic digits and letters, separators.

One translation table is used everywhere input enters the system (forms, imports, CLI), so that
«۱۴۰۱/۰۱/۰۱», «١٤٠١-٠١-٠١» and "1401-01-01" are the same date and «علي» is «علی».
"""

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

_NORMALISE = str.maketrans(
    {
        **{p: str(i) for i, p in enumerate(PERSIAN_DIGITS)},
        **{a: str(i) for i, a in enumerate(ARABIC_DIGITS)},
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "٫": ".",  # Persian decimal separator
        "٬": None,  # Persian thousands separator
        "ـ": None,  # tatweel (kashida) is decoration, not text
        "\u200f": None,  # right-to-left mark
        "\u200e": None,  # left-to-right mark
    }
)
_TO_PERSIAN_DIGITS = str.maketrans({str(i): p for i, p in enumerate(PERSIAN_DIGITS)})


def normalize(value: str) -> str:
    """Latin digits, Persian ی and ک, no tatweel or direction marks; surrounding space removed."""
    return value.translate(_NORMALISE).strip()


def to_persian_digits(value) -> str:
    """The same text with Latin digits written as Persian digits."""
    return str(value).translate(_TO_PERSIAN_DIGITS)


def in_reader_digits(value) -> str:
    """The text with Persian digits when the active language is Persian (labels, messages, inputs)."""
    from django.utils.translation import get_language

    text = "" if value is None else str(value)
    return text if (get_language() or "fa").startswith("en") else to_persian_digits(text)


def parse_integer(value: str) -> int:
    """An integer from text in any digit system, with thousands separators (, ٬ or space) allowed.

    Raises ValueError with a readable message when the text is not a whole number.
    """
    text = normalize(str(value)).replace(",", "").replace(" ", "").replace("\u00a0", "")
    if text.startswith("+"):
        text = text[1:]
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"{value!r} is not a whole number")
    number = int(digits)
    return -number if negative else number
