"""One reading of a figure's period (issue 10, item 1): the CLI, the API and the web share its year limit."""

import pytest
from django.utils import translation

from shahrak.core.jalali import InvalidDate, ReversedPeriod, parse_period, year_bounds


def test_parse_period_reads_a_year_or_two_days():
    assert parse_period(year=1401) == year_bounds(1401)
    assert parse_period(start="1401/01/01", end="۱۴۰۱/۱۲/۲۹") == year_bounds(1401)
    assert parse_period(start="2022-03-21", end="2023-03-20", calendar="gregorian") == year_bounds(1401)


@pytest.mark.parametrize("year", [1299, 1501])
def test_one_year_limit(year):
    with translation.override("en"), pytest.raises(InvalidDate, match="out of range"):
        parse_period(year=year)
    with translation.override("fa"), pytest.raises(InvalidDate, match="خارج از بازه"):
        parse_period(start=f"{year}/01/01", end=f"{year}/01/02")


def test_refusals():
    with pytest.raises(ReversedPeriod):
        parse_period(start="1401/02/01", end="1401/01/01")
    with pytest.raises(InvalidDate):
        parse_period(year=1401, start="1401/01/01")
    with pytest.raises(InvalidDate):
        parse_period(start="1401/01/01")
