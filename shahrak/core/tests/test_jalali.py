import datetime as dt

import pytest
from django.utils import translation

from shahrak.core import jalali


def test_first_of_farvardin_1401_is_21_march_2022():
    assert jalali.to_gregorian(1401, 1, 1) == dt.date(2022, 3, 21)


def test_year_1400_ended_on_20_march_2022():
    assert jalali.year_bounds(1400) == jalali.Period(dt.date(2021, 3, 21), dt.date(2022, 3, 20))


def test_1403_is_leap_and_1402_is_not():
    assert jalali.is_leap(1403) is True
    assert jalali.is_leap(1402) is False
    assert jalali.to_gregorian(1403, 12, 30) == dt.date(2025, 3, 20)
    with translation.override("en"), pytest.raises(jalali.InvalidDate, match="Esfand 1402 has 29 days"):
        jalali.to_gregorian(1402, 12, 30)
    with translation.override("fa"), pytest.raises(jalali.InvalidDate, match="اسفند 1402، 29 روز دارد"):
        jalali.to_gregorian(1402, 12, 30)


@pytest.mark.parametrize("text", ["1401-01-01", "1401/1/1", "۱۴۰۱/۰۱/۰۱", "١٤٠١-٠١-٠١", " 1401.01.01 "])
def test_parse_accepts_any_digits_and_separators(text):
    assert jalali.parse_jalali(text) == dt.date(2022, 3, 21)


@pytest.mark.parametrize("text", ["1401-12-30", "1401-13-01", "1401-07-31", "1401-00-10", "hello", "1401-01"])
def test_parse_rejects_impossible_dates(text):
    with pytest.raises(jalali.InvalidDate):
        jalali.parse_jalali(text)


def test_auto_calendar_reads_gregorian_years_as_gregorian():
    assert jalali.parse_date("2022-03-21", "auto") == dt.date(2022, 3, 21)
    assert jalali.parse_date("1401/01/01", "auto") == dt.date(2022, 3, 21)


def test_first_nine_months_of_1401():
    period = jalali.months_of_year(1401, 1, 9)
    assert period.start == dt.date(2022, 3, 21)
    assert period.end == dt.date(2022, 12, 21)  # 30 Azar 1401


def test_past_three_months_from_mid_month():
    # 15 Tir 1401 = 6 July 2022; the past three months are Ordibehesht, Khordad and Tir so far.
    period = jalali.past_months(3, today=dt.date(2022, 7, 6))
    assert period == jalali.Period(dt.date(2022, 4, 21), dt.date(2022, 7, 6))


def test_format_in_both_digit_systems():
    day = dt.date(2022, 3, 21)
    assert jalali.format_jalali(day) == "1401/01/01"
    assert jalali.format_jalali(day, persian_digits=True) == "۱۴۰۱/۰۱/۰۱"
    assert jalali.format_jalali_long(day, "fa") == "۱ فروردین ۱۴۰۱"
    assert jalali.format_jalali_long(day, "en") == "1 Farvardin 1401"


def test_period_rejects_reversed_bounds():
    with pytest.raises(jalali.InvalidDate):
        jalali.Period(dt.date(2022, 3, 22), dt.date(2022, 3, 21))


def test_month_lengths():
    assert [jalali.month_length(1401, m) for m in range(1, 13)] == [31] * 6 + [30] * 5 + [29]


@pytest.mark.parametrize("text", ["0000-01-01", "0000/13/40", "9999-01-01"])
def test_out_of_range_years_are_invalid_dates_not_crashes(text):
    with pytest.raises(jalali.InvalidDate):
        jalali.parse_jalali(text)


def test_the_form_field_reports_a_year_zero_as_a_validation_error():
    from django.core.exceptions import ValidationError

    from shahrak.core.forms import JalaliDateField

    with pytest.raises(ValidationError):
        JalaliDateField().clean("0000-01-01")
