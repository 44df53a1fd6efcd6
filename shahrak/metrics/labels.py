"""Persian and English labels of the values the figures are broken down by.

Every breakdown row carries both labels, so that a figure reads the same in the web, the API, the
CLI and the bulletin whichever language the caller uses. English is the label of the model's own
choices; Persian is written here once (the figures must not depend on a compiled catalogue).
"""

from functools import cache

from django.utils import translation

from shahrak.estates.models import EstateKind
from shahrak.projects.models import Category, FundingSource
from shahrak.regions.models import SizeClass as CountySize
from shahrak.targets.models import TargetMetric
from shahrak.units.models import IdleCause, TechIntensity
from shahrak.units.models import SizeClass as UnitSize

PERSIAN = {
    EstateKind: {
        "park": "شهرک صنعتی",
        "zone": "ناحیه صنعتی",
        "specialized": "شهرک تخصصی",
        "technology": "پارک فناوری",
    },
    Category: {
        "water": "آب",
        "electricity": "برق",
        "gas": "گاز",
        "telecom": "مخابرات",
        "roads": "راه و معابر",
        "wastewater": "فاضلاب",
        "buildings": "ساختمان",
    },
    FundingSource: {
        "internal": "منابع داخلی سازمان",
        "national_budget": "اعتبارات ملی",
        "provincial": "اعتبارات استانی",
        "private": "بخش خصوصی",
    },
    UnitSize: {
        "micro": "خرد (۱ تا ۹ نفر)",
        "small": "کوچک (۱۰ تا ۴۹ نفر)",
        "medium": "متوسط (۵۰ تا ۹۹ نفر)",
        "large": "بزرگ (۱۰۰ نفر و بیشتر)",
    },
    TechIntensity: {
        "high": "فناوری بالا",
        "medium_high": "فناوری متوسط رو به بالا",
        "medium": "فناوری متوسط",
        "medium_low": "فناوری متوسط رو به پایین",
        "low": "فناوری پایین",
        "non_manufacturing": "غیرصنعتی",
    },
    IdleCause: {
        "finance": "مشکلات مالی",
        "raw_materials": "مواد اولیه",
        "market": "بازار",
        "machinery": "ماشین‌آلات",
        "licensing": "مجوزها",
        "utilities": "آب، برق و گاز",
        "legal": "مسائل حقوقی",
        "partners": "اختلاف شرکا",
        "other": "سایر",
    },
    CountySize: {
        "metropolis": "کلان‌شهر",
        "big": "شهرستان بزرگ",
        "small": "شهرستان کوچک",
    },
    TargetMetric: {
        "workshops_opened": "کارگاه‌های افتتاح‌شده",
        "units_revived": "واحدهای راکد احیاشده",
        "jobs_restored": "اشتغال بازگشته",
        "units_established": "واحدهای تأسیس‌شده",
        "estates_licensed": "شهرک‌ها و نواحی مجوزگرفته",
        "infrastructure_spending": "هزینه‌کرد زیربنایی (ریال)",
    },
}

KNOWLEDGE_BASED = {
    True: ("knowledge_based", "دانش‌بنیان", "knowledge-based"),
    False: ("not_knowledge_based", "غیر دانش‌بنیان", "not knowledge-based"),
}
DEPRIVED = {
    True: ("deprived", "مناطق کمتر توسعه‌یافته", "deprived counties"),
    False: ("other", "سایر شهرستان‌ها", "other counties"),
}


@cache
def choice_labels(choices, value) -> tuple[str, str]:
    """(Persian, English) labels of one value of a choices class; the value itself when unknown."""
    with translation.override("en"):
        try:
            english = str(choices(value).label)
        except ValueError:
            english = str(value)
    return PERSIAN.get(choices, {}).get(value, english), english


def choice_row(choices, value, **fields) -> dict:
    """A breakdown row for one value of a choices class."""
    label_fa, label_en = choice_labels(choices, value)
    return {"key": value, "label_fa": label_fa, "label_en": label_en, **fields}


def ordered_values(choices) -> list[str]:
    return list(choices.values)
