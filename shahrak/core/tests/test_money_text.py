from decimal import Decimal

import pytest

from shahrak.core import money
from shahrak.core.text import normalize, normalize_text, parse_integer, to_persian_digits
from shahrak.core.validators import is_valid_national_id, national_id_check_digit


def test_forty_trillion_rials_at_380_250_per_dollar_is_105_2_million():
    usd = money.rials_to_usd(40 * money.TRILLION, Decimal("380250"))
    assert usd == Decimal("105193951.35")
    assert money.format_usd(usd, "en") == "$105.2 million"
    assert money.format_usd(usd, "fa") == "۱۰۵٫۲ میلیون دلار"


def test_no_rate_gives_no_dollars():
    assert money.rials_to_usd(10, None) is None
    assert money.format_usd(None) == "—"


def test_units_and_words():
    assert money.rials_to_tomans(12_340) == Decimal("1234")
    assert money.format_rials_words(40 * money.TRILLION, "en") == "40 trillion rials"
    assert money.format_rials_words(40 * money.TRILLION, "fa") == "۴۰ هزار میلیارد ریال"
    assert money.format_rials_words(7_500_000_000, "en") == "7.5 billion rials"
    assert money.format_rials(1_234_567_000_000, "billion_rial", "en") == "1,234.6 billion rials"
    assert money.group_digits(1234567, lang="fa") == "۱٬۲۳۴٬۵۶۷"


def test_forty_trillion_needs_64_bits():
    assert 40 * money.TRILLION < money.MAX_RIALS
    assert 40 * money.TRILLION > 2**31


def test_normalize_reads_arabic_letters_and_all_digits():
    assert normalize("علي كريمي ۱۲۳ ١٢٣") == "علی کریمی 123 123"
    assert normalize("مـــهر") == "مهر"
    assert to_persian_digits("1401") == "۱۴۰۱"


def test_free_text_keeps_its_digits_spaces_and_zwnj():
    assert (
        normalize_text(" علي  كريمي فاز ۲ ١٢ ۱٫۵ آزمون\u200cگر ") == "علی  کریمی فاز ۲ ١٢ ۱٫۵ آزمون\u200cگر"
    )
    assert normalize_text("مـــهر\u200f") == "مهر"


@pytest.mark.parametrize(
    ("text", "number"), [("۱٬۲۳۴٬۵۶۷", 1234567), ("1,234", 1234), ("-12", -12), ("٤٠", 40)]
)
def test_parse_integer(text, number):
    assert parse_integer(text) == number


@pytest.mark.parametrize("text", ["12.5", "abc", "", "1e5", "۱۲a"])
def test_parse_integer_rejects(text):
    with pytest.raises(ValueError):
        parse_integer(text)


def test_national_id_check_digit():
    # Worked by hand: first ten digits 1010163060; the tenth is 0, so the offset is 0 + 2 = 2;
    # (3,2,3,2,3,8,5,2,8,2) weighted by 29,27,23,19,17,29,27,23,19,17:
    # 87 + 54 + 69 + 38 + 51 + 232 + 135 + 46 + 152 + 34 = 898, and 898 mod 11 = 7.
    assert national_id_check_digit("1010163060") == 7
    assert is_valid_national_id("10101630607")
    assert not is_valid_national_id("10101630602")
    assert not is_valid_national_id("1010163060")
    assert is_valid_national_id("۱۰۱۰۱۶۳۰۶۰۷")


def test_one_rounding_half_up_everywhere():
    """Issue 10, item 3: 43,050,000,000 rials is 43.1 billion on the web, in the bulletin and the CLI."""
    from django.utils import translation

    from shahrak.core.money import format_rials, format_rials_short, round_half_up
    from shahrak.metrics.text import format_value
    from shahrak.ui import format as fmt

    rials = 43_050_000_000
    assert round_half_up(43.05, 1) == Decimal("43.1") and round_half_up(Decimal("0.125"), 2) == Decimal(
        "0.13"
    )
    assert format_rials(rials, "billion_rial", "en") == "43.1 billion rials"  # CLI table, exports
    assert format_rials_short(rials, "en") == "43.1 billion rials"  # bulletin
    assert format_rials_short(rials, "fa") == "۴۳٫۱ میلیارد ریال"
    with translation.override("en"):
        assert fmt.money(rials, "billion_rial") == "43.1 billion rials"  # web
    assert format_value("gini", 0.11115, "en") == "0.1112"  # Python's own format gives 0.1111
    assert format_value("deprived_spending_share", 0.0125, "en") == "1.3%"  # not 1.2%


INVISIBLE_NAMES = ["\u200c", "\u200c\u200c\u200c", " \u200c \u200d", "\u200b", "\ufeff\u2060", "\u200f\u200c"]


@pytest.mark.parametrize("typed", INVISIBLE_NAMES)
def test_text_that_shows_nothing_is_blank(typed):
    """DESIGN.md «Text is kept as typed»: ZWNJ stays inside words, but a name of only ZWNJs looks blank."""
    from shahrak.core.text import is_blank_text

    assert is_blank_text(typed)
    assert normalize_text(typed) == ""
    assert normalize(typed) == ""


def test_visible_text_keeps_its_zwnj():
    from shahrak.core.text import is_blank_text

    for typed in ["آزمون\u200cگر", "\u200cب", "فاز ۲", "x", "٠"]:
        assert not is_blank_text(typed)
    assert normalize_text("آزمون\u200cگر") == "آزمون\u200cگر"


@pytest.mark.django_db
@pytest.mark.parametrize("typed", INVISIBLE_NAMES)
def test_a_web_form_refuses_a_name_that_shows_nothing(typed):
    from django.utils import translation

    from shahrak.estates.forms import EstateForm

    with translation.override("en"):
        form = EstateForm(data={"code": "TH-900", "name_fa": typed, "kind": "park"})
        assert not form.is_valid()
        assert form.errors["name_fa"] == ["This field is required."]
