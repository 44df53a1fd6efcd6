"""Search and Persian sorting: the same in Python, on SQLite and on PostgreSQL."""

import pytest

from shahrak.core.collation import persian_order, search
from shahrak.core.text import search_key, sort_key
from shahrak.estates.models import Estate
from shahrak.regions.models import Province
from tests.factories import make_estate

# The 31 provinces in Persian dictionary order, worked by hand letter by letter
# (آ ا ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی).
PROVINCES_IN_PERSIAN_ORDER = [
    "آذربایجان شرقی", "آذربایجان غربی", "اردبیل", "اصفهان", "البرز", "ایلام", "بوشهر", "تهران",
    "چهارمحال و بختیاری", "خراسان جنوبی", "خراسان رضوی", "خراسان شمالی", "خوزستان", "زنجان", "سمنان",
    "سیستان و بلوچستان", "فارس", "قزوین", "قم", "کردستان", "کرمان", "کرمانشاه", "کهگیلویه و بویراحمد",
    "گلستان", "گیلان", "لرستان", "مازندران", "مرکزی", "هرمزگان", "همدان", "یزد",
]  # fmt: skip

# Letters whose code points are out of Persian order: پ چ ژ ک گ (U+067E… U+06AF) and و/ه.
NAMES = ["گچساران", "کرج", "هشتگرد", "ورامین", "ژاوه", "زاهدان", "چابهار", "جم", "پردیس", "بهبهان", "یاسوج"]
NAMES_IN_PERSIAN_ORDER = ["بهبهان", "پردیس", "جم", "چابهار", "زاهدان", "ژاوه", "کرج", "گچساران", "ورامین", "هشتگرد", "یاسوج"]  # fmt: skip


def test_python_keys():
    assert sorted(NAMES, key=sort_key) == NAMES_IN_PERSIAN_ORDER
    assert sorted(NAMES) != NAMES_IN_PERSIAN_ORDER  # code point order is not Persian order
    assert search_key("آزمون\u200cگر") == search_key("آزمونگر") == search_key("آزمون گر") == "آزمونگر"
    assert search_key("فاز ۲") == search_key("فاز 2") == search_key("فاز ٢") == search_key("فاز۲") == "فاز2"
    assert search_key("علي كرمانـي") == "علیکرمانی"
    # Word by word: «آب انبار» before «آباد»; Persian and Latin digits sort alike.
    assert sorted(["آباد", "آب انبار", "فاز ۲", "فاز 1"], key=sort_key) == [
        "آب انبار",
        "آباد",
        "فاز 1",
        "فاز ۲",
    ]


@pytest.mark.django_db
def test_provinces_sort_in_persian_order_in_the_database():
    names = list(Province.objects.order_by(persian_order("name_fa")).values_list("name_fa", flat=True))
    assert names == PROVINCES_IN_PERSIAN_ORDER
    descending = Province.objects.order_by(persian_order("name_fa").desc()).values_list("name_fa", flat=True)
    assert list(descending) == PROVINCES_IN_PERSIAN_ORDER[::-1]
    assert sorted(names, key=sort_key) == names


@pytest.mark.django_db
def test_names_sort_in_persian_order_in_the_database():
    for i, name in enumerate(NAMES):
        make_estate("2301", code=f"E-{i:02d}", name_fa=name)
    names = Estate.objects.order_by(persian_order("name_fa")).values_list("name_fa", flat=True)
    assert list(names) == NAMES_IN_PERSIAN_ORDER


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("آزمونگر", ["A-1", "A-2", "A-3"]),
        ("آزمون گر", ["A-1", "A-2", "A-3"]),
        ("آزمون\u200cگر", ["A-1", "A-2", "A-3"]),
        ("فاز 2", ["A-1"]),
        ("فاز ٢", ["A-1"]),
        ("فاز۲", ["A-1"]),
        ("صنعتي", ["A-3"]),  # an Arabic ي
        ("100%", []),  # LIKE's wildcards are text
        ("a-۱", ["A-1"]),  # a code typed in Persian digits
        ("B-1 ", ["B-1"]),
    ],
)
def test_search_ignores_digits_zwnj_and_spaces_in_the_database(query, codes):
    make_estate("2301", code="A-1", name_fa="آزمون\u200cگر فاز ۲")
    make_estate("2301", code="A-2", name_fa="آزمونگر")
    make_estate("2301", code="A-3", name_fa="شهرک صنعتی آزمون گر")
    make_estate("2301", code="B-1", name_fa="فاز ۳", name_en="100 percent")
    found = search(Estate.objects.order_by("code"), ("code", "name_fa", "name_en"), query)
    assert list(found.values_list("code", flat=True)) == codes
