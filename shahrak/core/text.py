"""Normalising what people type: Persian/Arabic digits and letters, separators.

Two rules, each with one function, used everywhere input enters the system (forms, imports, CLI):

- free text (names, titles, notes) is kept as typed: `normalize_text` makes only the letters
  Persian (Arabic ي/ك become ی/ک) and drops invisible marks; digits, spaces and ZWNJ stay, so
  «فاز ۲» stays «فاز ۲» and an export imports back unchanged; but text that shows nothing (only
  spaces and invisible characters, such as a name of zero-width non-joiners) is blank (`is_blank_text`)
  and so refused where a value is required;
- numbers, dates and codes are read in any digits: `normalize` makes «۱۴۰۱/۰۱/۰۱», «١٤٠١-٠١-٠١»
  and "1401-01-01" the same date.

Search and sorting compare text by `search_key` / `sort_key` (and, in the database, by the
expressions of `shahrak.core.collation`), which ignore the differences free text keeps.
"""

import re
import unicodedata

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

ZWNJ = "\u200c"

# Letters: the same in free text and in numbers and codes.
LETTERS = {
    "ي": "ی",
    "ى": "ی",
    "ك": "ک",
    "ـ": None,  # tatweel (kashida) is decoration, not text
    "\u200f": None,  # right-to-left mark
    "\u200e": None,  # left-to-right mark
    # Directional isolates: only `code_text` writes them (a code marked in plain text), never a person.
    "\u2066": None,
    "\u2067": None,
    "\u2068": None,
    "\u2069": None,
}
# Digits and separators: Latin in numbers, dates and codes only.
DIGITS = {
    **{p: str(i) for i, p in enumerate(PERSIAN_DIGITS)},
    **{a: str(i) for i, a in enumerate(ARABIC_DIGITS)},
}
_NORMALISE_TEXT = str.maketrans(LETTERS)
_NORMALISE = str.maketrans(
    {
        **LETTERS,
        **DIGITS,
        "٫": ".",  # Persian decimal separator
        "٬": None,  # Persian thousands separator
    }
)
_TO_PERSIAN_DIGITS = str.maketrans({str(i): p for i, p in enumerate(PERSIAN_DIGITS)})


def is_blank_text(value: str) -> bool:
    """True for text that shows nothing: empty, or only spaces and invisible characters (Unicode's
    format characters: ZWNJ, ZWJ, zero-width space, word joiner, byte-order mark, direction marks…).
    Forms, the API and imports treat such text as empty, so a name of ZWNJs is refused as blank."""
    text = value.strip()
    if not text:
        return True
    if text.isprintable():  # the usual case, fast: no format or control character at all
        return False
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in text)


def normalize(value: str) -> str:
    """A number, date or code: Latin digits, Persian ی and ک, no tatweel or direction marks;
    surrounding space removed; '' for text that shows nothing. Never for names and titles (see
    `normalize_text`)."""
    text = value.translate(_NORMALISE).strip()
    return "" if is_blank_text(text) else text


def normalize_text(value: str) -> str:
    """Free text as typed, with Persian ی and ک, no tatweel or direction marks; surrounding space
    removed; '' for text that shows nothing (`is_blank_text`). Digits, inner spaces and ZWNJ are kept."""
    text = value.translate(_NORMALISE_TEXT).strip()
    return "" if is_blank_text(text) else text


# A code or identifier inside plain text (a record's name, a <title>, a select's option, a message)
# is kept left-to-right between a left-to-right isolate and its pop: the plain-text form of
# `<bdi class="code" dir="ltr">` (shahrak.ui.format.code), so that «P-TH-W1 تأمین آب» shows the
# code whole and in order inside right-to-left text. Its digits stay Latin, as the code is issued.
LRI, PDI = "\u2066", "\u2069"
_CODE = re.compile(f"{LRI}([^{PDI}]*){PDI}")


def code_text(value) -> str:
    """A code or identifier for plain text: «\u2066TH-01/W1\u2069»; empty for None or ''."""
    if value is None or value == "":
        return ""
    return f"{LRI}{value}{PDI}"


def to_persian_digits(value) -> str:
    """The same text with Latin digits written as Persian digits, except inside codes (`code_text`)."""
    text = str(value)
    if LRI not in text:
        return text.translate(_TO_PERSIAN_DIGITS)
    # Even pieces are text, odd pieces are the codes between an isolate and its pop.
    pieces = _CODE.split(text)
    return "".join(
        piece.translate(_TO_PERSIAN_DIGITS) if i % 2 == 0 else f"{LRI}{piece}{PDI}"
        for i, piece in enumerate(pieces)
    )


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


# --- Comparing text: search and sorting ignore what free text keeps as typed ---

# What search and matching ignore: the digit system, ZWNJ, a space (or none) between word parts,
# tatweel and direction marks, Arabic ي/ك. `search_key` and the database's
# `shahrak.core.collation.search_key_of` apply this same table.
SEARCH_EQUIVALENTS = {
    **LETTERS,
    **DIGITS,
    ZWNJ: None,
    " ": None,
    "\u00a0": None,  # no-break space
}
_SEARCH = str.maketrans(SEARCH_EQUIVALENTS)

# The Persian alphabet in dictionary order; a letter's variants sort as the letter.
PERSIAN_ALPHABET = (
    "ء", "آ", "ا", "ب", "پ", "ت", "ث", "ج", "چ", "ح", "خ", "د", "ذ", "ر", "ز", "ژ", "س", "ش", "ص", "ض",
    "ط", "ظ", "ع", "غ", "ف", "ق", "ک", "گ", "ل", "م", "ن", "و", "ه", "ی",
)  # fmt: skip
_LETTER_VARIANTS = {
    "أ": "ا",
    "إ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
    "ة": "ه",
    "ۀ": "ه",
    "ئ": "ی",
    "ي": "ی",
    "ى": "ی",
    "ك": "ک",
}
# Each letter becomes a private-use character in alphabetical order, so that comparing the keys
# character by character (code point order: SQLite's BINARY, PostgreSQL's "C") is Persian order;
# digits of every system sort as Latin digits, before letters; ZWNJ and tatweel are ignored.
_SORT_BASE = 0xE000
SORT_EQUIVALENTS = {
    **{letter: chr(_SORT_BASE + i) for i, letter in enumerate(PERSIAN_ALPHABET)},
    **{
        variant: chr(_SORT_BASE + PERSIAN_ALPHABET.index(letter))
        for variant, letter in _LETTER_VARIANTS.items()
    },
    **DIGITS,
    ZWNJ: None,
    "ـ": None,
    "\u200f": None,
    "\u200e": None,
    "\u00a0": " ",
}
_SORT = str.maketrans(SORT_EQUIVALENTS)


def search_key(value: str) -> str:
    """Text as search compares it: «آزمون‌گر», «آزمونگر» and «آزمون گر» have one key; «فاز ۲» = «فاز 2»."""
    return str(value).translate(_SEARCH).lower()


def sort_key(value: str) -> str:
    """Text as Persian sorting compares it (پ after ب, چ after ج, ژ after ز, گ after ک, و before ه)."""
    return str(value).translate(_SORT)
