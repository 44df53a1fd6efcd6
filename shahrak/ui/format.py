"""How the web pages write numbers, dates and money for the reader's language.

Persian pages use Persian digits, «٬» between thousands and «٫» before decimals; English pages
use Latin digits and commas. Dates are Solar Hijri in both. Money is shown in the reader's chosen
unit (billion rials unless they asked for rials, tomans, hemat or US dollars).
"""

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shahrak.core import jalali
from shahrak.core.money import UNITS, default_rate_source, group_digits, rials_in, rials_to_usd
from shahrak.core.text import LRI, PDI, code_text, to_persian_digits

from .hooks import hook

# The units a reader may pick, in the order the switch lists them.
MONEY_UNITS = {
    "billion_rial": _("billion rials"),
    "trillion_rial": _("trillion rials"),
    "million_rial": _("million rials"),
    "rial": _("rials"),
    "toman": _("tomans"),
    "hemat": _("hemat (thousand billion tomans)"),
    "usd": _("US dollars"),
}
DEFAULT_MONEY_UNIT = "billion_rial"
MONEY_DECIMALS = {
    "billion_rial": 1, "trillion_rial": 2, "million_rial": 0, "rial": 0, "toman": 0, "hemat": 3, "usd": 0,
}  # fmt: skip
# The units an amount of rials may be typed in (dollars need a rate: not one of them).
RIAL_UNITS = [unit for unit in MONEY_UNITS if unit != "usd"]


def lang() -> str:
    return "en" if (get_language() or "fa").startswith("en") else "fa"


def is_fa() -> bool:
    return lang() == "fa"


def digits(value) -> str:
    """The text with its digits in the reader's script."""
    if value is None:
        return ""
    return to_persian_digits(value) if is_fa() else str(value)


def number(value, decimals: int = 0) -> str:
    """1234567 → «۱٬۲۳۴٬۵۶۷» or '1,234,567'; empty for None."""
    if value is None or value == "":
        return ""
    return group_digits(value, decimals, lang())  # rounded half up there, the one rounding


def percent(ratio, decimals: int = 1) -> str:
    """0.5 → «۵۰٫۰٪» / '50.0%'."""
    if ratio is None:
        return "—"
    text = number(Decimal(str(ratio)) * 100, decimals)
    return f"{text}٪" if is_fa() else f"{text}%"


def jdate(day) -> str:
    """A date as Solar Hijri YYYY/MM/DD in the reader's digits; empty for None."""
    if day is None or day == "":
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return jalali.format_jalali(day, persian_digits=is_fa())


def jdate_long(day) -> str:
    if day is None:
        return ""
    return jalali.format_jalali_long(day, lang())


def jdatetime(moment) -> str:
    """A moment as Solar Hijri date and local time, «۱۴۰۱/۰۱/۰۱ ۱۴:۰۵»."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{jdate(local.date())} {digits(local.strftime('%H:%M'))}"


def money_unit_label(unit: str) -> str:
    if unit == "usd":
        return str(MONEY_UNITS["usd"])
    return UNITS[unit][1] if is_fa() else UNITS[unit][2]


class RateBook:
    """Exchange rates in force, looked up once per day for one request (a list shows many rows)."""

    def __init__(self, source: str | None = None):
        self.source = source or default_rate_source()
        self._cache: dict[dt.date, Decimal | None] = {}

    def in_force_on(self, day: dt.date) -> Decimal | None:
        if day not in self._cache:
            self._cache[day] = hook("rate_in_force")(day, "USD", self.source)
        return self._cache[day]


def money_value(rials, unit: str, day: dt.date | None = None, rates: RateBook | None = None):
    """The amount in the unit as a Decimal (USD at the rate in force on `day`); None if it cannot be said."""
    if rials is None:
        return None
    if unit == "usd":
        rate = (rates or RateBook()).in_force_on(day or timezone.localdate())
        return rials_to_usd(int(rials), rate)
    return rials_in(int(rials), unit)


def money(rials, unit: str = DEFAULT_MONEY_UNIT, day=None, rates=None, with_unit: bool = True) -> str:
    """An amount of rials written in the reader's unit: «۴۰٬۰۰۰٫۰ میلیارد ریال», '$105,200,000'."""
    value = money_value(rials, unit, day, rates)
    if value is None:
        return "—" if rials is not None else ""
    text = number(value, MONEY_DECIMALS[unit])
    if not with_unit:
        return text
    if unit == "usd":
        return f"{text} دلار" if is_fa() else f"${text}"
    return f"{text} {money_unit_label(unit)}"


def usd(amount) -> str:
    """A dollar amount to the dollar: «۱۰۵٬۲۰۰٬۰۰۰ دلار» / '$105,200,000'."""
    if amount is None:
        return "—"
    text = number(Decimal(str(amount)), 0)
    return f"{text} دلار" if is_fa() else f"${text}"


# --- Codes, identifiers and the names of standards inside Persian text ---
#
# A code or identifier (estate, workshop and project codes, national IDs, ISO and SCI codes, ISIC
# classes, currency codes, user and file names) is written as issued, in Latin letters and digits,
# kept left-to-right inside right-to-left text and marked as a code: in HTML by `code` (a
# `<bdi class="code" dir="ltr">`), in plain text by `shahrak.core.text.code_text` (a Unicode
# left-to-right isolate). Nothing else on a Persian page is Latin.

# Names of standards and file formats that labels quote as they are written (longest first).
STANDARD_NAMES = ("ISO 3166-2", "ISIC Rev.4", "ISIC", "OC4IDS", "UTF-8", "XLSX", "CSV", "USD")


def code(value) -> SafeString:
    """A code or identifier in HTML: <bdi class="code" dir="ltr">TH-01</bdi>; empty for None or ''."""
    if value is None or value == "":
        return mark_safe("")
    text = str(value).replace(LRI, "").replace(PDI, "")
    return format_html('<bdi class="code" dir="ltr">{}</bdi>', text)


def as_html(text) -> SafeString:
    """Plain text (a record's name, a message) as HTML, its marked codes (`code_text`) as `code`."""
    if isinstance(text, SafeString):
        return text
    escaped = str(conditional_escape("" if text is None else text))
    if LRI not in escaped:
        return mark_safe(escaped)
    escaped = escaped.replace(LRI, '<bdi class="code" dir="ltr">').replace(PDI, "</bdi>")
    return mark_safe(escaped)


def label(text):
    """A label (a column's header, a field's name) with the names of standards in it marked as codes:
    «رده ISIC» → «رده <bdi class="code">ISIC</bdi>». Text without one is returned as it is."""
    if text is None:
        return text
    plain = str(text)
    if isinstance(text, SafeString) or not any(name in plain for name in STANDARD_NAMES):
        return text
    return as_html(mark_codes(plain))


def mark_codes(text: str) -> str:
    """Plain text with the names of standards in it marked (`code_text`), each once."""
    for name in STANDARD_NAMES:
        if name in text and f"{LRI}{name}" not in text:
            parts = text.split(name)
            text = code_text(name).join(parts)
    return text


# A number standing on its own in text (not a part of a code such as TH-01 or W1, nor inside «…»,
# which quotes what a person typed): the digits a reader of the page's language expects.
_LONE_NUMBER = re.compile(r"(?<![A-Za-z0-9_\-])[0-9]+(?:[.,/][0-9]+)*(?![A-Za-z0-9_\-])")
_QUOTED = re.compile(r"(«[^»]*»)")


def numbers_in_reader_digits(text) -> str:
    """Text whose lone numbers are written in the reader's digits («سطر ۳»), codes and quoted typed
    text as they are: for text composed elsewhere (a message, a search box's value)."""
    text = "" if text is None else str(text)
    if not is_fa():
        return text
    pieces = _QUOTED.split(text)
    return "".join(
        piece if i % 2 else _LONE_NUMBER.sub(lambda m: to_persian_digits(m.group()), piece)
        for i, piece in enumerate(pieces)
    )


_CODE_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./\-]*$")


def file_value(value) -> SafeString:
    """A value as an imported file holds it, for the import report: a number in the reader's digits,
    a code (one word of Latin letters and digits, such as TH-01) marked as a code, text as typed."""
    text = "" if value is None else str(value)
    if text and _LONE_NUMBER.fullmatch(text):
        return as_html(numbers_in_reader_digits(text))
    if _CODE_TOKEN.match(text) and re.search(r"[A-Za-z]", text):
        return code(text)
    return as_html(text)


# The symbols of a formula (the ranking's weights w₁ … w₄) are written as in mathematics, in Latin
# letters, and marked like codes.
_SYMBOL = re.compile(r"w[₁₂₃₄]")


def symbols(text) -> SafeString:
    """Text with the symbols of a formula marked: «w₁ × …» → «<var class="code" dir="ltr">w₁</var> × …»."""
    escaped = str(conditional_escape("" if text is None else text))
    return mark_safe(_SYMBOL.sub(lambda m: f'<var class="code" dir="ltr">{m.group()}</var>', escaped))
