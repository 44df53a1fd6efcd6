"""Money is an integer number of rials. These helpers convert and word it for readers.

A toman is ten rials. "Billion" and "trillion" are the short-scale 10⁹ and 10¹² that Iranian
officials use («میلیارد», «هزار میلیارد»): 40 trillion rials = 40 × 10¹² rials.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import to_persian_digits

RIALS_PER_TOMAN = 10
BILLION = 10**9
TRILLION = 10**12
# همت, هزار میلیارد تومان: a thousand billion tomans = 10¹³ rials, as officials and the press now write.
HEMAT = 10 * TRILLION
# The largest rial amount a column holds: signed 64 bits.
MAX_RIALS = 2**63 - 1

UNITS = {
    "rial": (1, "ریال", "rials"),
    "toman": (RIALS_PER_TOMAN, "تومان", "tomans"),
    "million_rial": (10**6, "میلیون ریال", "million rials"),
    "billion_rial": (BILLION, "میلیارد ریال", "billion rials"),
    "trillion_rial": (TRILLION, "هزار میلیارد ریال", "trillion rials"),
    "hemat": (HEMAT, "همت", "hemat"),
}


def rials_to_tomans(rials: int) -> Decimal:
    return Decimal(rials) / RIALS_PER_TOMAN


def rials_in(rials: int, unit: str) -> Decimal:
    """The amount expressed in a unit of UNITS (exact Decimal)."""
    return Decimal(rials) / UNITS[unit][0]


def rials_to_usd(rials: int, rate: Decimal | int | None) -> Decimal | None:
    """Dollars to the cent at `rate` rials per dollar; None when there is no rate."""
    if rate is None or rate == 0:
        return None
    return (Decimal(rials) / Decimal(rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def round_half_up(number, decimals: int = 0) -> Decimal:
    """The one rounding of every shown figure (DESIGN.md, "Rounding"): half up, as a reader rounds
    (43.05 → 43.1, where Python's own formatting rounds half to even, 43.0). Floats are read by
    their shortest repr, so 0.125 is 0.125, not its binary neighbour."""
    return Decimal(str(number)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def group_digits(number, decimals: int = 0, lang: str = "en") -> str:
    """1234567 → '1,234,567' (English) or «۱٬۲۳۴٬۵۶۷» (Persian digits and separator), rounded half up."""
    text = f"{round_half_up(number, decimals):,.{decimals}f}"
    if lang == "fa":
        return to_persian_digits(text.replace(",", "٬").replace(".", "٫"))
    return text


def format_rials(
    rials: int, unit: str = "billion_rial", lang: str = "fa", decimals: int | None = None
) -> str:
    """'40,000 billion rials' / «۴۰٬۰۰۰ میلیارد ریال». Decimals default to 0 for rials, else 1."""
    if decimals is None:
        decimals = 0 if unit in ("rial", "toman") else 1
    value = rials_in(rials, unit)
    fa_name, en_name = UNITS[unit][1], UNITS[unit][2]
    return f"{group_digits(value, decimals, lang)} {fa_name if lang == 'fa' else en_name}"


def format_usd(usd: Decimal | None, lang: str = "en") -> str:
    """'$105.2 million' / «۱۰۵٫۲ میلیون دلار»; amounts under a million to the dollar."""
    if usd is None:
        return "—"
    if abs(usd) >= 10**9:
        value, en_word, fa_word = usd / 10**9, "billion", "میلیارد"
    elif abs(usd) >= 10**6:
        value, en_word, fa_word = usd / 10**6, "million", "میلیون"
    else:
        value, en_word, fa_word = usd, "", ""
    decimals = 1 if en_word else 0
    if lang == "fa":
        words = f" {fa_word}" if fa_word else ""
        return f"{group_digits(value, decimals, 'fa')}{words} دلار"
    words = f" {en_word}" if en_word else ""
    return f"${group_digits(value, decimals, 'en')}{words}"


def format_rials_words(rials: int, lang: str = "en") -> str:
    """The way a news story words a large sum: '40 trillion rials', «۴۰ هزار میلیارد ریال»."""
    if abs(rials) >= TRILLION:
        unit = "trillion_rial"
    elif abs(rials) >= BILLION:
        unit = "billion_rial"
    elif abs(rials) >= 10**6:
        unit = "million_rial"
    else:
        unit = "rial"
    value = rials_in(rials, unit)
    decimals = 0 if value == value.to_integral_value() else 1
    return format_rials(rials, unit, lang, decimals)


_TRAILING_ZERO_DECIMAL = re.compile(r"(?<=[0-9۰-۹])[.٫][0۰](?![0-9۰-۹])")


def drop_zero_decimal(text: str) -> str:
    """'42.0 trillion rials' → '42 trillion rials'; «۶۰٫۰ میلیون دلار» → «۶۰ میلیون دلار»."""
    return _TRAILING_ZERO_DECIMAL.sub("", text)


def format_rials_short(rials: int, lang: str = "en") -> str:
    """A sum as a headline words it, to one decimal of its unit, without '.0': '42 trillion rials'."""
    if abs(rials) >= TRILLION:
        unit = "trillion_rial"
    elif abs(rials) >= BILLION:
        unit = "billion_rial"
    elif abs(rials) >= 10**6:
        unit = "million_rial"
    else:
        unit = "rial"
    return drop_zero_decimal(format_rials(rials, unit, lang, 0 if unit == "rial" else 1))


def format_usd_short(usd: Decimal | None, lang: str = "en") -> str:
    """format_usd without a '.0': '$21 million', '$105.2 million', «۲۱ میلیون دلار»."""
    return drop_zero_decimal(format_usd(usd, lang))


class RateSource(models.TextChoices):
    """Where an exchange rate was quoted (the rates themselves are the money app's records)."""

    FREE_MARKET = "free_market", _("free market")
    OFFICIAL = "official", _("official (central bank)")
    NIMA = "nima", _("NIMA exchange")


def default_rate_source() -> str:
    """The exchange-rate source dollar figures use when none is chosen: SHAHRAK["DEFAULT_RATE_SOURCE"],
    read here only (the engine, API, CLI, bulletin and web all ask this function)."""
    from django.conf import settings

    return getattr(settings, "SHAHRAK", {}).get("DEFAULT_RATE_SOURCE") or RateSource.FREE_MARKET
