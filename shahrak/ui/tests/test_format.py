"""Dates, numbers and money as the pages write them, in Persian and in English."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from shahrak.ui import format as fmt


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fa", "۱۴۰۱/۰۱/۰۱"), ("en", "1401/01/01")],
)
def test_jalali_date_in_the_readers_digits(lang, expected):
    with translation.override(lang):
        assert fmt.jdate(dt.date(2022, 3, 21)) == expected


@pytest.mark.parametrize(
    ("lang", "value", "decimals", "expected"),
    [
        ("fa", 1234567, 0, "۱٬۲۳۴٬۵۶۷"),
        ("en", 1234567, 0, "1,234,567"),
        ("fa", Decimal("43.05"), 1, "۴۳٫۱"),
        ("en", None, 0, ""),
    ],
)
def test_numbers_grouped_in_the_readers_digits(lang, value, decimals, expected):
    with translation.override(lang):
        assert fmt.number(value, decimals) == expected


@pytest.mark.parametrize(
    ("lang", "unit", "expected"),
    [
        ("fa", "billion_rial", "۴۳٬۰۰۰٫۰ میلیارد ریال"),
        ("en", "billion_rial", "43,000.0 billion rials"),
        ("en", "toman", "4,300,000,000,000 tomans"),
        ("en", "trillion_rial", "43.00 trillion rials"),
    ],
)
def test_money_in_the_chosen_unit(lang, unit, expected):
    with translation.override(lang):
        assert fmt.money(43 * 10**12, unit) == expected


def test_money_in_dollars_uses_the_rate_in_force_on_the_day(db):
    from shahrak.money.models import ExchangeRate

    ExchangeRate.objects.create(
        date=dt.date(2022, 1, 1), currency="USD", source="free_market", rials_per_unit=400_000
    )
    ExchangeRate.objects.create(
        date=dt.date(2022, 6, 1), currency="USD", source="free_market", rials_per_unit=500_000
    )
    with translation.override("en"):
        # 40 billion rials ÷ 400,000 = $100,000 before June; ÷ 500,000 = $80,000 after.
        assert fmt.money(40 * 10**9, "usd", dt.date(2022, 5, 31)) == "$100,000"
        assert fmt.money(40 * 10**9, "usd", dt.date(2022, 6, 1)) == "$80,000"
        assert fmt.money(40 * 10**9, "usd", dt.date(2021, 12, 31)) == "—"


def test_percent():
    with translation.override("fa"):
        assert fmt.percent(Decimal("0.75"), 0) == "۷۵٪"
    with translation.override("en"):
        assert fmt.percent(0.186, 1) == "18.6%"
        assert fmt.percent(None) == "—"
