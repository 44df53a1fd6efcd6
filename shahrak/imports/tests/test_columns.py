"""Reading cells the way Iranian spreadsheets hold them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from shahrak.imports.columns import (
    CellError,
    DateColumn,
    DecimalColumn,
    IntegerColumn,
    NationalIdColumn,
    RialsColumn,
    TextColumn,
    header_key,
    neutralize,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_dates_in_both_calendars_and_all_digit_systems():
    column = DateColumn("d", "تاریخ", "Date")
    assert column.parse("1401/01/01") == dt.date(2022, 3, 21)
    assert column.parse("۱۴۰۱/۰۱/۰۱") == dt.date(2022, 3, 21)
    assert column.parse("١٤٠١-٠١-٠١") == dt.date(2022, 3, 21)
    assert column.parse("1401-1-1") == dt.date(2022, 3, 21)
    assert column.parse("2022-03-21") == dt.date(2022, 3, 21)
    assert column.parse("2022-03-21T00:00:00") == dt.date(2022, 3, 21)
    assert column.parse(dt.datetime(2022, 3, 21, 0, 0)) == dt.date(2022, 3, 21)  # noqa: DTZ001 -- an Excel date cell is naive
    assert column.parse("1403/12/30") == dt.date(2025, 3, 20)  # 1403 is a leap year
    assert column.parse("") is None
    assert column.format(dt.date(2022, 3, 21)) == "1401/01/01"
    assert column.format(dt.date(2022, 3, 21), calendar="gregorian") == "2022-03-21"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1401-12-30", "«1401-12-30» does not exist: Esfand 1401 has 29 days."),
        ("1401/07/31", "«1401/07/31» does not exist: Mehr 1401 has 30 days."),
        ("1401/13/01", "«1401/13/01»: there is no month 13."),
        ("2023-02-29", "«2023-02-29» is not a valid Gregorian date."),
        ("31/12/1401", "«31/12/1401» is not a date; write it as 1401/01/01 (Solar Hijri) or 2022-03-21."),
        ("0000-01-01", "The year 0 of «0000-01-01» is out of range."),
        ("yesterday", "«yesterday» is not a date; write it as 1401/01/01 (Solar Hijri) or 2022-03-21."),
    ],
)
def test_impossible_dates_are_named(text, message):
    with pytest.raises(CellError) as caught:
        DateColumn("d", "تاریخ", "Date").parse(text)
    assert str(caught.value) == message


def test_a_number_in_a_date_column_is_refused():
    with pytest.raises(CellError, match="is a number, not a date"):
        DateColumn("d", "", "").parse(44641.0)


def test_impossible_date_in_persian():
    with translation.override("fa"), pytest.raises(CellError) as caught:
        DateColumn("d", "تاریخ", "Date").parse("1401-12-30")
    assert "اسفند" in str(caught.value)


def test_rials_with_separators_and_persian_digits():
    column = RialsColumn("r", "", "")
    assert column.parse("40,000,000,000,000") == 40 * 10**12
    assert column.parse("۴۰٬۰۰۰٬۰۰۰") == 40_000_000
    assert column.parse("٤٠ ٠٠٠") == 40_000
    assert column.parse(2500000000.0) == 2_500_000_000  # a number cell
    assert column.parse("9223372036854775807") == 2**63 - 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-5", "An amount of rials cannot be negative (-5)."),
        (
            "9223372036854775808",
            "9223372036854775808 rials is too large to store (at most 9,223,372,036,854,775,807).",
        ),
        ("99999999999999999999999999", "This number is too large."),
        ("12.5", "«12.5» is not a whole number."),
        (12.5, "12.5 is not a whole number."),
        (1e17, "This number is too long to be stored exactly as a number; type it as text."),
        ("۱۲ریال", "«۱۲ریال» is not a whole number."),
    ],
)
def test_bad_rials(raw, message):
    with pytest.raises(CellError) as caught:
        RialsColumn("r", "", "").parse(raw)
    assert str(caught.value) == message


def test_national_id_check_digit():
    # 1010000001: digits + (1 + 2) weighted 29, 27, 23, 19, 17, ... sum to 759 = 69 × 11, so the check digit is 0.
    column = NationalIdColumn("n", "", "")
    assert column.parse("10100000010") == "10100000010"
    assert column.parse("۱۰۱۰۰۰۰۰۰۱۰") == "10100000010"
    assert column.parse(10100000010.0) == "10100000010"
    with pytest.raises(CellError, match=r"^The check digit of national ID 10100000017 is wrong\.$"):
        column.parse("10100000017")
    with pytest.raises(CellError, match="exactly 11 digits"):
        column.parse("1010000001")


def test_text_is_normalised_and_formulas_are_refused():
    column = TextColumn("t", "", "", max_length=20)
    assert column.parse("  علي كريمي ") == "علی کریمی"
    assert column.parse("'=1+2") == "=1+2"  # an exported, neutralised cell comes back as it was
    for payload in ('=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"):
        with pytest.raises(CellError, match="looks like a spreadsheet formula"):
            column.parse(payload)
    with pytest.raises(CellError, match="at most 20 are allowed"):
        column.parse("x" * 21)
    assert neutralize("=1+2") == "'=1+2"
    assert neutralize("-") == "'-"
    assert neutralize("عادی") == "عادی"


def test_integers_and_decimals():
    assert IntegerColumn("i", "", "", min_value=1).parse("۱۲") == 12
    with pytest.raises(CellError, match="below the smallest allowed value, 1"):
        IntegerColumn("i", "", "", min_value=1).parse("0")
    column = DecimalColumn("a", "", "", max_digits=10, decimal_places=2)
    assert column.parse("۲۵۰٫۵") == Decimal("250.50")
    assert column.parse("1,250.25") == Decimal("1250.25")
    assert column.parse(250.1) == Decimal("250.10")
    with pytest.raises(CellError, match="At most 2 decimal places"):
        column.parse("1.234")
    with pytest.raises(CellError, match="is too large"):
        column.parse("123456789")
    with pytest.raises(CellError, match="is not a number"):
        column.parse("NaN")


def test_headers_match_in_any_language_and_spacing():
    assert header_key("شناسه ملی") == header_key("شناسه\u200cملی ") == header_key("شناسه_ملي")
    assert header_key("National ID") == header_key("national_id") == header_key(" NATIONAL-ID *")


def test_every_resource_names_a_filterset_that_exists_and_fits_its_model():

    from shahrak.imports.resources import RESOURCES

    for slug, resource in RESOURCES.items():
        assert resource.filterset_path, f"{slug} names no filterset"
        assert resource.filterset._meta.model is resource.model, slug


def test_a_wrong_filterset_path_is_an_error_not_an_unfiltered_list():
    import pytest

    from shahrak.imports.resources import RESOURCES

    resource = RESOURCES["estates"]
    original = resource.filterset_path
    try:
        resource.filterset_path = "shahrak.estates.filtersets.NoSuchFilterSet"
        with pytest.raises(ImportError):
            resource.filterset  # noqa: B018
    finally:
        resource.filterset_path = original
