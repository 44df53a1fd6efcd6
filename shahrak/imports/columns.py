"""Spreadsheet columns: how one cell is read (parse) and written (format) for every record type.

A column knows its code name, its Persian and English headers, its type, whether it is required
and an example. `parse` turns what a person typed (any digit system, Arabic ي/ك, thousands
separators, Solar Hijri or Gregorian dates) or what a spreadsheet stored (numbers, dates) into the
value kept in the database, or raises CellError with a message in the active language.
`format` writes a stored value back so that importing an export changes nothing.
"""

import datetime as dt
import functools
import math
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shahrak.core import jalali
from shahrak.core.money import MAX_RIALS
from shahrak.core.text import is_blank_text, normalize, normalize_text
from shahrak.core.validators import national_id_check_digit, validate_date_in_range

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Floats from a spreadsheet are exact only up to 2**53; larger amounts must be typed as text.
EXACT_FLOAT_LIMIT = 2**53
MAX_CELL_LENGTH = 2000


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in the user's language."""


def is_blank(raw) -> bool:
    """An empty cell: nothing, or text that shows nothing (spaces, ZWNJs: `is_blank_text`)."""
    return raw is None or (isinstance(raw, str) and is_blank_text(raw))


def neutralize(text: str) -> str:
    """Text made safe for a spreadsheet: a leading formula character gets an apostrophe before it."""
    if text and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _text_of(raw) -> str:
    """A cell's content as text: whole-number floats from a spreadsheet lose their '.0'."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float):
        if math.isfinite(raw) and raw == int(raw):
            if abs(raw) >= EXACT_FLOAT_LIMIT:
                raise CellError(
                    _("This number is too long to be stored exactly as a number; type it as text.")
                )
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, int):
        return str(raw)
    raise CellError(_("Expected text, found %(value)s.") % {"value": raw})


class Column:
    """One column of a record type's spreadsheet."""

    kind = gettext_lazy("text")
    # Whether the same cell text recurs down a file (codes, choices, dates): then it is read once.
    repeats = False
    # A column that is no field of the model: the resource's prepare() uses its value.
    virtual = False

    def __init__(
        self,
        name: str,
        header_fa: str,
        header_en: str,
        *,
        field: str | None = None,
        required: bool | None = None,
        example: str = "",
        help_text="",
        readonly: bool = False,
        getter=None,
    ):
        self.name = name
        self.header_fa = header_fa
        self.header_en = header_en
        # The model attribute the value goes to (attname for foreign keys is set by ForeignKeyColumn).
        self.field = field if field is not None else name
        # None: decided by the model field (bind); True/False: said explicitly.
        self.required = required
        self.example = example
        self.help_text = help_text
        # Read-only columns are written by exports and ignored by imports (e.g. a unit's province).
        self.readonly = readonly
        self._getter = getter

    def header(self, lang: str) -> str:
        return self.header_fa if lang == "fa" else self.header_en

    def aliases(self) -> set[str]:
        """Every header this column is recognised by: code name, Persian and English headers."""
        return {header_key(self.name), header_key(self.header_fa), header_key(self.header_en)}

    # Reading --------------------------------------------------------------------------------
    def parse(self, raw):
        """The stored value for a cell, None for an empty cell. Raises CellError."""
        if is_blank(raw):
            return None
        return self.parse_value(raw)

    def parse_value(self, raw):
        return _text_of(raw)

    # Writing --------------------------------------------------------------------------------
    def value_of(self, obj):
        if self._getter is not None:
            return self._getter(obj)
        return getattr(obj, self.field)

    def format(self, value, *, calendar: str = "jalali"):
        """The value as written to CSV (text) or XLSX (text or number)."""
        if value is None:
            return ""
        return neutralize(value) if isinstance(value, str) else value

    def describe_type(self) -> str:
        return str(self.kind)


class TextColumn(Column):
    kind = gettext_lazy("text")
    # Free text is kept as typed (digits, spaces, ZWNJ); codes make their digits Latin.
    normalise = staticmethod(normalize_text)

    def __init__(self, *args, max_length: int = 250, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def parse_value(self, raw):
        text = _text_of(raw)
        if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
            # Exports write "'=..." so spreadsheets show text; the apostrophe is not part of it.
            text = self.normalise(text[1:]) if text[1] not in "\t\r" else text[1:]
        else:
            if text.lstrip().startswith(FORMULA_STARTS[:4]):
                raise CellError(
                    _(
                        "«%(value)s» looks like a spreadsheet formula; formulas are not accepted. "
                        "If it is meant as text, put an apostrophe (') in front of it."
                    )
                    % {"value": text[:40]}
                )
            text = self.normalise(text)
        if "\x00" in text:
            raise CellError(_("The text contains a NUL character."))
        if len(text) > self.max_length:
            raise CellError(
                _("The text is %(length)d characters long; at most %(max)d are allowed.")
                % {"length": len(text), "max": self.max_length}
            )
        return text

    def format(self, value, *, calendar: str = "jalali"):
        return neutralize(value or "")

    def describe_type(self) -> str:
        return _("text, at most %(max)d characters") % {"max": self.max_length}


class CodeColumn(TextColumn):
    """An identifier typed by people: digits made Latin, no spaces inside, optional zero padding."""

    kind = gettext_lazy("code")
    normalise = staticmethod(normalize)

    def __init__(
        self, *args, pattern: str | None = None, pattern_help: str = "", zero_pad: int = 0, **kwargs
    ):
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_help = pattern_help
        self.zero_pad = zero_pad

    def parse_value(self, raw):
        text = super().parse_value(raw)
        if self.zero_pad and text.isdigit():
            text = text.zfill(self.zero_pad)
        if self.pattern is not None and not self.pattern.fullmatch(text):
            raise CellError(
                _("«%(value)s» is not a valid code: %(rule)s") % {"value": text, "rule": self.pattern_help}
            )
        if any(ch.isspace() for ch in text):
            raise CellError(_("A code cannot contain spaces: «%(value)s».") % {"value": text})
        return text

    def describe_type(self) -> str:
        return str(self.pattern_help or self.kind)


class NationalIdColumn(CodeColumn):
    kind = gettext_lazy("national ID")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)

    def parse_value(self, raw):
        text = normalize(_text_of(raw)).replace(" ", "").replace("-", "")
        return check_national_id(text)

    def describe_type(self) -> str:
        return _("11 digits, the last a check digit")


def check_national_id(text: str) -> str:
    if len(text) != 11 or not (text.isascii() and text.isdigit()):
        raise CellError(
            _("«%(value)s» is not a national ID: it must have exactly 11 digits.") % {"value": text[:20]}
        )
    if national_id_check_digit(text[:10]) != int(text[10]):
        raise CellError(_("The check digit of national ID %(value)s is wrong.") % {"value": text})
    return text


def _number_text(raw) -> str:
    """A number typed in any digit system with thousands separators, as plain ASCII text."""
    text = normalize(_text_of(raw))
    return text.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("\u066c", "").replace("_", "")


class IntegerColumn(Column):
    kind = gettext_lazy("whole number")

    def __init__(self, *args, min_value: int | None = 0, max_value: int | None = 2**31 - 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.min_value = min_value
        self.max_value = max_value

    def parse_value(self, raw):
        if isinstance(raw, float) and math.isfinite(raw) and raw != int(raw):
            raise CellError(_("%(value)s is not a whole number.") % {"value": raw})
        text = _number_text(raw)
        if text.startswith("+"):
            text = text[1:]
        digits = text[1:] if text.startswith("-") else text
        if not digits.isascii() or not digits.isdigit():
            raise CellError(_("«%(value)s» is not a whole number.") % {"value": str(raw)[:40]})
        if len(digits) > 25:
            raise CellError(_("This number is too large."))
        number = int(text)
        self.check_range(number)
        return number

    def check_range(self, number):
        if self.min_value is not None and number < self.min_value:
            raise CellError(
                _("%(value)s is below the smallest allowed value, %(min)s.")
                % {"value": number, "min": self.min_value}
            )
        if self.max_value is not None and number > self.max_value:
            raise CellError(
                _("%(value)s is above the largest allowed value, %(max)s.")
                % {"value": number, "max": self.max_value}
            )

    def describe_type(self) -> str:
        if self.min_value is not None and self.max_value is not None and self.max_value < 10**6:
            return _("whole number from %(min)s to %(max)s") % {"min": self.min_value, "max": self.max_value}
        if self.min_value is not None:
            return _("whole number, at least %(min)s") % {"min": self.min_value}
        return str(self.kind)


class RialsColumn(IntegerColumn):
    kind = gettext_lazy("rials")

    def __init__(self, *args, min_value: int = 0, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=MAX_RIALS, **kwargs)

    def check_range(self, number):
        if number < 0:
            raise CellError(_("An amount of rials cannot be negative (%(value)s).") % {"value": number})
        if number < self.min_value:
            raise CellError(_("The amount must be at least %(min)s rials.") % {"min": self.min_value})
        if number > MAX_RIALS:
            raise CellError(
                _("%(value)s rials is too large to store (at most 9,223,372,036,854,775,807).")
                % {"value": number}
            )

    def format(self, value, *, calendar: str = "jalali"):
        if value is None:
            return ""
        # Spreadsheets keep 15 significant digits: larger amounts are written as text.
        return value if abs(value) < 10**15 else str(value)

    def describe_type(self) -> str:
        return _("whole number of rials, at least %(min)s; digits may be grouped with , or ٬") % {
            "min": self.min_value
        }


class DecimalColumn(Column):
    kind = gettext_lazy("decimal number")

    def __init__(
        self, *args, max_digits: int = 10, decimal_places: int = 2, min_value=None, max_value=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.min_value = None if min_value is None else Decimal(min_value)
        self.max_value = None if max_value is None else Decimal(max_value)

    def parse_value(self, raw):
        if isinstance(raw, float):
            if not math.isfinite(raw):
                raise CellError(_("«%(value)s» is not a number.") % {"value": raw})
            text = repr(raw)
        else:
            text = _number_text(raw)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("«%(value)s» is not a number.") % {"value": str(raw)[:40]}) from None
        if not number.is_finite():
            raise CellError(_("«%(value)s» is not a number.") % {"value": str(raw)[:40]})
        quantum = Decimal(1).scaleb(-self.decimal_places)
        if number != number.quantize(quantum, rounding="ROUND_HALF_UP") and isinstance(raw, float):
            number = number.quantize(quantum, rounding="ROUND_HALF_UP")  # binary float noise from Excel
        if number.as_tuple().exponent < -self.decimal_places:
            raise CellError(
                _("At most %(places)d decimal places are allowed.") % {"places": self.decimal_places}
            )
        if abs(number) >= Decimal(10) ** (self.max_digits - self.decimal_places):
            raise CellError(_("%(value)s is too large.") % {"value": number})
        if self.min_value is not None and number < self.min_value:
            raise CellError(
                _("%(value)s is below the smallest allowed value, %(min)s.")
                % {"value": number, "min": self.min_value}
            )
        if self.max_value is not None and number > self.max_value:
            raise CellError(
                _("%(value)s is above the largest allowed value, %(max)s.")
                % {"value": number, "max": self.max_value}
            )
        return number.quantize(quantum)

    def format(self, value, *, calendar: str = "jalali"):
        return "" if value is None else value

    def describe_type(self) -> str:
        text = _("number with at most %(places)d decimals") % {"places": self.decimal_places}
        if self.min_value is not None and self.max_value is not None:
            text += f" ({self.min_value}–{self.max_value})"
        elif self.min_value is not None:
            text += " ≥ " + str(self.min_value)
        return text


_DATE_RE = re.compile(r"(\d{1,4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")


@functools.lru_cache(maxsize=65536)
def parse_date_text(text: str) -> dt.date:
    """A date typed as YYYY-MM-DD or YYYY/MM/DD in any digit system: Solar Hijri below year 1700,
    Gregorian from 1700. Cached: a file repeats the same dates many times."""
    plain = normalize(text)
    if "T" in plain and plain[:4].isdigit():
        plain = plain.split("T", 1)[0]  # an ISO date-time: keep the date
    elif " " in plain and plain[:4].isdigit() and ":" in plain:
        plain = plain.split(" ", 1)[0]  # '2022-03-21 00:00:00' from a spreadsheet
    if not _DATE_RE.fullmatch(plain):
        plain = text  # quote what was typed, not a part of it
    try:
        return jalali.parse_date(plain, "auto")
    except jalali.InvalidDate as error:
        raise CellError(str(error)) from None


class DateColumn(Column):
    kind = gettext_lazy("date")
    repeats = True

    def parse_value(self, raw):
        if isinstance(raw, dt.datetime):
            return _in_range(raw.date())
        if isinstance(raw, dt.date):
            return _in_range(raw)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raise CellError(
                _("%(value)s is a number, not a date; write dates as 1401/01/01 or 2022-03-21.")
                % {"value": raw}
            )
        return _in_range(parse_date_text(_text_of(raw).strip()))

    def format(self, value, *, calendar: str = "jalali"):
        if value is None:
            return ""
        if calendar == "gregorian":
            return value.isoformat()
        return format_jalali_cached(value)

    def describe_type(self) -> str:
        return _("date: Solar Hijri 1401/01/01 or Gregorian 2022-03-21")


def _in_range(day: dt.date) -> dt.date:
    """The models' date range (validate_date_in_range), checked here since imports skip full_clean."""
    try:
        validate_date_in_range(day)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    return day


@functools.lru_cache(maxsize=65536)
def format_jalali_cached(value: dt.date) -> str:
    return jalali.format_jalali(value)


class ChoiceColumn(Column):
    """One of a fixed list; the code or its Persian or English label is accepted, the code is written."""

    kind = gettext_lazy("one of a list")
    repeats = True

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices  # a TextChoices class
        self._lookup = None

    def lookup(self) -> dict[str, str]:
        if self._lookup is None:
            from django.utils import translation

            table = {}
            for value, label in self.choices.choices:
                table[header_key(value)] = value
                for lang in ("en", "fa"):
                    with translation.override(lang):
                        table.setdefault(header_key(str(label)), value)
            self._lookup = table
        return self._lookup

    def parse_value(self, raw):
        text = _text_of(raw)
        value = self.lookup().get(header_key(text))
        if value is None:
            raise CellError(
                _("«%(value)s» is not one of: %(choices)s.")
                % {"value": text[:40], "choices": ", ".join(self.choices.values)}
            )
        return value

    def describe_type(self) -> str:
        return _("one of: %(choices)s") % {
            "choices": ", ".join(f"{value} ({label})" for value, label in self.choices.choices)
        }


class ForeignKeyColumn(Column):
    """A reference to another record by its natural key (an estate's code, a unit's national ID).

    parse() only reads the key; the importer looks all keys of a file up in one query each.
    """

    kind = gettext_lazy("reference")
    repeats = True

    def __init__(self, *args, model, key_field: str, key_column: Column | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.model = model
        self.key_field = key_field
        self.key_column = key_column or CodeColumn(self.name, self.header_fa, self.header_en)

    @property
    def attname(self) -> str:
        return f"{self.field}_id"

    def parse_value(self, raw):
        return self.key_column.parse_value(raw)

    def value_of(self, obj):
        if self._getter is not None:
            return self._getter(obj)
        related = getattr(obj, self.field)
        return None if related is None else getattr(related, self.key_field)

    def format(self, value, *, calendar: str = "jalali"):
        return "" if value is None else neutralize(str(value))

    def lookup(self, queryset, keys) -> dict:
        """The records of these keys, by key (one query)."""
        return {getattr(obj, self.key_field): obj for obj in queryset.filter(**{f"{self.key_field}__in": keys})}

    def not_found(self, key) -> str:
        return _("No %(record)s has the %(key)s «%(value)s».") % {
            "record": self.model._meta.verbose_name,
            "key": self.model._meta.get_field(self.key_field).verbose_name,
            "value": key,
        }

    def describe_type(self) -> str:
        return _("%(key)s of a %(record)s") % {
            "key": self.model._meta.get_field(self.key_field).verbose_name,
            "record": self.model._meta.verbose_name,
        }


class BooleanColumn(Column):
    """Yes or no: 1/0, yes/no, true/false, بله/خیر, دارد/ندارد; exports write 1 or 0."""

    kind = gettext_lazy("yes or no")
    repeats = True
    YES = {"1", "yes", "y", "true", "بله", "بلی", "دارد", "آری"}
    NO = {"0", "no", "n", "false", "خیر", "ندارد", "نه"}

    def parse_value(self, raw):
        text = header_key(_text_of(raw))
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise CellError(_("«%(value)s» is neither yes (1) nor no (0).") % {"value": str(raw)[:40]})

    def format(self, value, *, calendar: str = "jalali"):
        return "" if value is None else int(bool(value))

    def describe_type(self) -> str:
        return _("yes or no: 1 or 0 (also بله / خیر)")


class GeoJsonColumn(TextColumn):
    """A GeoJSON geometry written as its JSON text in one cell; `validate` (the model's rule) checks it."""

    kind = gettext_lazy("GeoJSON")

    def __init__(self, *args, validate=None, **kwargs):
        kwargs.setdefault("max_length", 20_000)
        super().__init__(*args, **kwargs)
        self.validate = validate

    def parse_value(self, raw):
        import json

        text = super().parse_value(raw)
        try:
            value = json.loads(normalize(text))
        except ValueError:
            raise CellError(_("This is not GeoJSON text (JSON could not be read).")) from None
        if self.validate is not None:
            try:
                self.validate(value)
            except ValidationError as error:
                raise CellError(" ".join(error.messages)) from None
        return value

    def format(self, value, *, calendar: str = "jalali"):
        import json

        return "" if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def describe_type(self) -> str:
        return _("GeoJSON text, e.g. a Polygon")


class CodeListColumn(Column):
    """Several codes in one cell, separated by commas (, or ،) or semicolons. Not a model field: the
    resource reads the parsed tuple (`virtual`)."""

    kind = gettext_lazy("list of codes")
    virtual = True
    SEPARATORS = re.compile(r"[,،;؛]")

    def parse_value(self, raw):
        codes = []
        for part in self.SEPARATORS.split(normalize(_text_of(raw))):
            code = part.strip()
            if not code:
                continue
            if any(ch.isspace() for ch in code):
                raise CellError(_("A code cannot contain spaces: «%(value)s».") % {"value": code[:40]})
            if code not in codes:
                codes.append(code)
        return tuple(codes) or None

    def format(self, value, *, calendar: str = "jalali"):
        return "" if not value else neutralize(", ".join(value))

    def describe_type(self) -> str:
        return _("codes separated by commas")


class EstateCodeRefColumn(ForeignKeyColumn):
    """A reference to a record whose code is unique only in its estate, written «estate code/code»
    (TH-001/W-017), as such records are shown everywhere."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("key_field", "code")
        super().__init__(*args, **kwargs)

    def parse_value(self, raw):
        text = normalize(_text_of(raw)).strip()
        estate, sep, code = text.rpartition("/")
        if not sep or not estate.strip() or not code.strip() or any(ch.isspace() for ch in text):
            raise CellError(
                _("«%(value)s» is not written «estate code/code» (as TH-001/W-017).") % {"value": text[:40]}
            )
        return f"{estate.strip()}/{code.strip()}"

    def lookup(self, queryset, keys) -> dict:
        estates = {key.rpartition("/")[0] for key in keys}
        codes = {key.rpartition("/")[2] for key in keys}
        found = {}
        for obj in queryset.filter(estate__code__in=estates, code__in=codes).select_related("estate"):
            key = f"{obj.estate.code}/{obj.code}"
            if key in keys:
                found[key] = obj
        return found

    def value_of(self, obj):
        related = getattr(obj, self.field)
        return None if related is None else f"{related.estate.code}/{related.code}"

    def not_found(self, key) -> str:
        return _("No %(record)s is «%(value)s» (estate code/code).") % {
            "record": self.model._meta.verbose_name,
            "value": key,
        }

    def describe_type(self) -> str:
        return _("estate code/code of a %(record)s") % {"record": self.model._meta.verbose_name}


_HEADER_SPACE = re.compile(r"[\s_\-‌]+")


def header_key(text: str) -> str:
    """How headers and choice labels are compared: normalised, lower case, spacing ignored."""
    return _HEADER_SPACE.sub(" ", normalize(str(text))).strip().strip("*").strip().lower()
