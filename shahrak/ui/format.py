"""How the web pages write numbers, dates and money for the reader's language.

Persian pages use Persian digits, «٬» between thousands and «٫» before decimals; English pages
use Latin digits and commas. Dates are Solar Hijri in both. Money is shown in the reader's chosen
unit (billion rials unless they asked for rials, tomans or US dollars).
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shahrak.core import jalali
from shahrak.core.money import UNITS, group_digits, rials_in, rials_to_usd
from shahrak.core.text import to_persian_digits

# The units a reader may pick, in the order the switch lists them.
MONEY_UNITS = {
    "billion_rial": _("billion rials"),
    "trillion_rial": _("trillion rials"),
    "million_rial": _("million rials"),
    "rial": _("rials"),
    "toman": _("tomans"),
    "usd": _("US dollars"),
}
DEFAULT_MONEY_UNIT = "billion_rial"
MONEY_DECIMALS = {"billion_rial": 1, "trillion_rial": 2, "million_rial": 0, "rial": 0, "toman": 0, "usd": 0}


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
        self.source = source or settings.SHAHRAK["DEFAULT_RATE_SOURCE"]
        self._cache: dict[dt.date, Decimal | None] = {}

    def in_force_on(self, day: dt.date) -> Decimal | None:
        from shahrak.money.models import ExchangeRate

        if day not in self._cache:
            self._cache[day] = ExchangeRate.objects.in_force_on(day, "USD", self.source)
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
