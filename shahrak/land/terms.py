"""The terms of land allocation as plain functions: the right-of-use fee, the cash share, the
instalment schedule, the construction deadline and the evaluation score. Officers see these
before signing; the signing action writes exactly what they return.

The rules the organization may change are settings (`SHAHRAK["LAND_…"]`), with the defaults of
DESIGN.md, "Land and workshops".
"""

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shahrak.core import jalali

DEFAULTS = {
    "LAND_RESERVATION_DAYS": 60,
    "LAND_CASH_SHARE": Decimal("0.30"),
    "LAND_CASH_SHARE_DEPRIVED": Decimal("0.15"),
    "LAND_INSTALMENTS": 12,
    "LAND_INSTALMENT_MONTHS": 3,
    "LAND_CONSTRUCTION_MONTHS": 24,
    # The price classes the public catalogue shows instead of a plot's price: a plot whose price
    # per m² is below the first bound is "economical", below the second "medium", else "high".
    "LAND_PRICE_CLASS_BOUNDS": (5_000_000, 15_000_000),
}

PRICE_CLASSES = (("economical", _("economical")), ("medium", _("medium")), ("high", _("high")))


def price_class(price_per_m2_rials: int) -> tuple[str, str]:
    """The price class of a price per m² (LAND_PRICE_CLASS_BOUNDS): (key, label)."""
    low, high = land_setting("LAND_PRICE_CLASS_BOUNDS")
    index = 0 if price_per_m2_rials < low else 1 if price_per_m2_rials < high else 2
    return PRICE_CLASSES[index]


def land_setting(name: str):
    return getattr(settings, "SHAHRAK", {}).get(name, DEFAULTS[name])


# The evaluation criteria of an application and their weights (they add up to 100). Each criterion
# is scored 0–100; the application's score is the weighted mean.
CRITERIA = (
    ("jobs", _("jobs to be created"), 30),
    ("investment", _("investment and financial standing"), 25),
    ("technology", _("technology and knowledge-based activity"), 20),
    ("experience", _("experience in the industry"), 15),
    ("environment", _("environmental fit with the estate"), 10),
)
CRITERIA_WEIGHTS = {key: weight for key, _label, weight in CRITERIA}


def evaluation_score(scores: dict) -> Decimal:
    """The weighted score 0–100 of the criteria scores (each 0–100; a missing one counts 0)."""
    total = Decimal(0)
    for key, weight in CRITERIA_WEIGHTS.items():
        value = Decimal(str(scores.get(key, 0) or 0))
        if not 0 <= value <= 100:
            raise ValueError(f"criterion {key} is scored 0–100, not {value}")
        total += value * weight
    return (total / sum(CRITERIA_WEIGHTS.values())).quantize(Decimal("0.01"), ROUND_HALF_UP)


@functools.lru_cache(maxsize=8192)
def add_jalali_months(day: dt.date, count: int) -> dt.date:
    """The same Solar Hijri day `count` months later (the month's last day when it is shorter)."""
    year, month, d = _jalali_parts(day)
    year, month = jalali.add_months(year, month, count)
    return _gregorian(year, month, min(d, jalali.month_length(year, month)))


# Calendar conversions are pure and slow (jdatetime asks the locale each time): a schedule of 12
# instalments, or the demo's thousands, convert the same few days again and again.
_jalali_parts = functools.lru_cache(maxsize=8192)(jalali.jalali_parts)
_gregorian = functools.lru_cache(maxsize=8192)(jalali.to_gregorian)


def half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))


def contract_fee(plots, discount_percent=0) -> int:
    """Right-of-use fee = Σ area × price per m² × (1 − discount), in whole rials (half up)."""
    gross = sum((Decimal(p.area_m2) * p.price_per_m2_rials for p in plots), Decimal(0))
    return half_up(gross * (1 - Decimal(str(discount_percent or 0)) / 100))


def cash_share_rate(county) -> Decimal:
    """30% of the fee, 15% in less-developed counties (status whole or partial)."""
    return Decimal(str(land_setting("LAND_CASH_SHARE_DEPRIVED" if county.is_deprived else "LAND_CASH_SHARE")))


@dataclass(frozen=True)
class Due:
    number: int  # 0 is the cash share, due on signing
    due_date: dt.date
    amount_rials: int


def instalment_schedule(
    signed: dt.date, fee: int, cash_share: int, count=None, months_apart=None
) -> list[Due]:
    """The cash share due on signing, then the rest in `count` equal instalments every
    `months_apart` Solar Hijri months from signing; the rials that do not divide go to the last."""
    count = land_setting("LAND_INSTALMENTS") if count is None else count
    months_apart = land_setting("LAND_INSTALMENT_MONTHS") if months_apart is None else months_apart
    rest = fee - cash_share
    dues = [Due(0, signed, cash_share)]
    if count <= 0 or rest <= 0:
        return dues
    part, remainder = divmod(rest, count)
    for number in range(1, count + 1):
        amount = part + (remainder if number == count else 0)
        dues.append(Due(number, add_jalali_months(signed, number * months_apart), amount))
    return dues


def construction_deadline(signed: dt.date, months=None) -> dt.date:
    return add_jalali_months(signed, land_setting("LAND_CONSTRUCTION_MONTHS") if months is None else months)


def reservation_end(approved: dt.date) -> dt.date:
    """The first day an approved application no longer holds its plots (it lapses then)."""
    return approved + dt.timedelta(days=land_setting("LAND_RESERVATION_DAYS"))


@dataclass(frozen=True)
class Terms:
    """What an officer sees before signing, and what signing writes."""

    signed_date: dt.date
    area_m2: Decimal
    fee_rials: int
    discount_percent: Decimal
    cash_share_rate: Decimal
    cash_share_rials: int
    construction_deadline: dt.date
    schedule: list[Due] = field(default_factory=list)

    @property
    def area_ha(self) -> Decimal:
        return self.area_m2 / 10_000


def contract_terms(county, plots, signed: dt.date, discount_percent=0) -> Terms:
    plots = list(plots)
    fee = contract_fee(plots, discount_percent)
    rate = cash_share_rate(county)
    cash = half_up(fee * rate)
    return Terms(
        signed_date=signed,
        area_m2=sum((Decimal(p.area_m2) for p in plots), Decimal(0)),
        fee_rials=fee,
        discount_percent=Decimal(str(discount_percent or 0)),
        cash_share_rate=rate,
        cash_share_rials=cash,
        construction_deadline=construction_deadline(signed),
        schedule=instalment_schedule(signed, fee, cash),
    )
