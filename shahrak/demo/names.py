"""Word lists for demo names that read as Persian: estates, production units, project titles.

Persian is written with Persian ی and ک; «+» in the lists below stands for the zero-width non-joiner
(نیم‌فاصله), which is invisible in source code. English names are transliterations.
"""

import random

from shahrak.core.text import to_persian_digits

ZWNJ = "\u200c"


def _fa(text: str) -> str:
    return text.replace("+", ZWNJ)


def _pairs(text: str) -> list[tuple[str, str]]:
    """'persian|English' lines to (Persian, English) pairs."""
    pairs = []
    for line in text.strip().splitlines():
        fa, en = line.split("|")
        pairs.append((_fa(fa.strip()), en.strip()))
    return pairs


# Names for a county's second and later industrial parks: poets, scientists, mountains, rivers.
PARK_NAMES = _pairs("""
کاوه|Kaveh
خیام|Khayyam
رازی|Razi
فارابی|Farabi
ابن سینا|Ibn Sina
خوارزمی|Kharazmi
بیرونی|Biruni
فردوسی|Ferdowsi
سعدی|Saadi
حافظ|Hafez
شفق|Shafagh
سپهر|Sepehr
بهارستان|Baharestan
مهرگان|Mehregan
پردیس|Pardis
آفتاب|Aftab
نگین|Negin
امیرکبیر|Amir Kabir
شمس|Shams
ستاره|Setareh
شکوه|Shokouh
ارم|Eram
نیلوفر|Niloufar
کوثر|Kowsar
زاگرس|Zagros
البرز|Alborz
سهند|Sahand
سبلان|Sabalan
دنا|Dena
تفتان|Taftan
بینالود|Binalud
هامون|Hamoun
کارون|Karun
ارس|Aras
سیمرغ|Simorgh
امید|Omid
آینده|Ayandeh
دانش|Danesh
فجر|Fajr
صدرا|Sadra
""")

# Village-like names for industrial zones (nawahi-ye san'ati), usually named after a nearby village.
ZONE_NAMES = _pairs("""
حسین+آباد|Hoseynabad
علی+آباد|Aliabad
قاسم+آباد|Ghasemabad
محمدآباد|Mohammadabad
دولت+آباد|Dowlatabad
نصرآباد|Nasrabad
خیرآباد|Kheyrabad
جعفرآباد|Jafarabad
رحیم+آباد|Rahimabad
کریم+آباد|Karimabad
اکبرآباد|Akbarabad
زین+آباد|Zeynabad
حسن+آباد|Hasanabad
فتح+آباد|Fathabad
امیرآباد|Amirabad
نیک+آباد|Nikabad
محمودآباد|Mahmudabad
صالح+آباد|Salehabad
مهدی+آباد|Mahdiabad
دشت+آباد|Dashtabad
ده+نو|Deh-e Now
قلعه+نو|Ghaleh Now
کهنک|Kahnak
سرچشمه|Sarcheshmeh
چشمه+علی|Cheshmeh Ali
باغستان|Baghestan
کوشک|Kushk
رباط|Robat
مزرعه+نو|Mazraeh Now
سرآسیاب|Sar Asiab
گلشن|Golshan
چهارباغ|Chaharbagh
شوراب|Shurab
شیرین+سو|Shirin Su
قره+چای|Qarachay
کلاته|Kalateh
سیاه+چشمه|Siah Cheshmeh
سفیدآب|Sefidab
گل+تپه|Goltappeh
قوشچی|Qushchi
زرین+دشت|Zarrin Dasht
کوه+پایه|Kuhpayeh
تازه+کند|Tazeh Kand
قشلاق|Qeshlaq
ده+بالا|Deh Bala
چمن|Chaman
سرخ+ده|Sorkhdeh
میان+رود|Mianrud
""")

# Specialized parks: (Persian specialty, English, the ISIC division most of their units work in).
SPECIALTIES = [
    ("دارویی", "Pharmaceutical", "21"),
    ("فولاد", "Steel", "24"),
    ("سنگ", "Stone", "23"),
    ("فرش", "Carpet", "13"),
    ("چرم", "Leather", "15"),
    ("مبلمان", "Furniture", "31"),
    ("پلاستیک", "Plastics", "22"),
    ("صنایع غذایی", "Food Industries", "10"),
    ("قطعات خودرو", "Auto Parts", "29"),
    ("کاشی و سرامیک", "Tile and Ceramics", "23"),
]

# What a unit makes, by ISIC Rev.4 division, as it would appear in a company name.
SECTOR_WORDS = {
    "10": [
        "صنایع غذایی",
        "فراورده+های لبنی",
        "صنایع کنسرو",
        "آرد و نان",
        "روغن نباتی",
        "صنایع گوشتی",
        "شیرینی و شکلات",
        "صنایع تبدیلی کشاورزی",
    ],
    "11": ["نوشابه+سازی", "آب معدنی", "آبمیوه"],
    "12": ["فراورده+های توتون"],
    "13": ["نساجی", "ریسندگی", "بافندگی", "فرش ماشینی"],
    "14": ["پوشاک", "تولیدی لباس کار"],
    "15": ["چرم", "کفش"],
    "16": ["صنایع چوب", "درب و پنجره چوبی"],
    "17": ["کاغذ و مقوا", "کارتن+سازی"],
    "18": ["چاپ و بسته+بندی"],
    "19": ["فراورده+های نفتی", "قیر"],
    "20": ["صنایع شیمیایی", "رنگ و رزین", "کود شیمیایی", "مواد شوینده", "چسب صنعتی"],
    "21": ["داروسازی", "فراورده+های دارویی", "مکمل+های غذایی"],
    "22": ["صنایع پلاستیک", "لوله و اتصالات پلی+اتیلن", "صنایع لاستیک", "ظروف یکبار مصرف"],
    "23": ["کاشی و سرامیک", "سیمان", "شیشه", "مصالح ساختمانی", "سنگبری", "آجر ماشینی", "بلوک سیمانی"],
    "24": ["فولاد", "ذوب آهن", "نورد", "ریخته+گری", "آلومینیوم"],
    "25": ["سازه+های فلزی", "صنایع فلزی", "پیچ و مهره", "مخازن تحت فشار", "قالب+سازی"],
    "26": ["الکترونیک", "تجهیزات مخابراتی", "صنایع رایانه", "ابزار دقیق"],
    "27": ["تجهیزات برقی", "سیم و کابل", "ترانسفورماتور", "روشنایی", "موتورهای الکتریکی"],
    "28": ["ماشین+سازی", "ماشین+آلات کشاورزی", "پمپ و کمپرسور", "ماشین+آلات صنایع غذایی"],
    "29": ["قطعات خودرو", "خودروسازی", "تریلر+سازی"],
    "30": ["صنایع حمل+ونقل", "قطعات ریلی", "قایق+سازی"],
    "31": ["مبلمان", "صنایع مبل", "مبلمان اداری"],
    "32": ["صنایع دستی", "لوازم ورزشی", "تجهیزات پزشکی", "اسباب+بازی", "لوازم التحریر"],
    "33": ["تعمیرات صنعتی", "نصب ماشین+آلات"],
    "35": ["تولید برق"],
    "36": ["تصفیه آب"],
    "38": ["بازیافت", "مدیریت پسماند"],
    "45": ["خدمات فنی خودرو"],
    "52": ["انبارداری", "سردخانه"],
    "62": ["نرم+افزار", "فناوری اطلاعات"],
    "72": ["پژوهش و فناوری"],
}
SECTOR_WORDS = {division: [_fa(word) for word in words] for division, words in SECTOR_WORDS.items()}

_BRAND_WORDS = """
آرمان پارس البرز سپاهان آریا کیمیا نگین مهر سپند آذر زاگرس دماوند کوثر سینا رازی فردوس توس پیشگام
اندیشه ستاره آفتاب سیمرغ هامون کارون زرین سپهر پویا آوا تابان درخشان بهین نیک شایان آرین فراز افق
مروارید یاقوت فیروزه گلرنگ ماهان آتیه ارغوان کاوه بهار صدف آسیا کیان امین سهند سبلان دنا نوید
رهاورد پیام مهرگان شهاب اطلس آبتین رایان
"""
BRANDS = [_fa(word) for word in _BRAND_WORDS.split()]

_SUFFIX_WORDS = """
نوین گستر سازان صنعت پایدار برتر ایرانیان شرق غرب جنوب شمال کویر آسیا پژوهان پرداز تجهیز فن
آوران تدبیر کار
"""
SUFFIXES = [_fa(word) for word in _SUFFIX_WORDS.split()]

LEGAL_FORMS = ["(سهامی خاص)", "(مسئولیت محدود)", "(سهامی عام)", "(تعاونی)"]


def unit_name(rng: random.Random, division: str) -> str:
    """A company name such as «شرکت صنایع پلاستیک آرمان گستر (سهامی خاص)»."""
    sector = rng.choice(SECTOR_WORDS.get(division) or SECTOR_WORDS["32"])
    brand = rng.choice(BRANDS)
    form = rng.random()
    if form < 0.30:
        name = f"شرکت {sector} {brand} {rng.choice(SUFFIXES)}"
    elif form < 0.50:
        name = f"شرکت تولیدی {sector} {brand}"
    elif form < 0.65:
        name = f"شرکت {sector} {brand}"
    elif form < 0.77:
        name = f"کارخانه {sector} {brand}"
    elif form < 0.87:
        name = f"گروه صنعتی {brand} {rng.choice(SUFFIXES)}"
    else:
        name = f"شرکت تعاونی {sector} {brand}"
    legal = rng.random()
    if name.startswith("شرکت") and not name.startswith("شرکت تعاونی") and legal < 0.45:
        name += " " + rng.choice(LEGAL_FORMS[:3] if legal < 0.40 else LEGAL_FORMS[2:3])
    return name


def park_name(county_fa: str, county_en: str, ordinal: int, rng: random.Random) -> tuple[str, str]:
    """The county's first park takes the county's name; later ones a proper name as well."""
    if ordinal == 0:
        return f"شهرک صنعتی {county_fa}", f"{county_en} Industrial Park".strip()
    fa, en = rng.choice(PARK_NAMES)
    return f"شهرک صنعتی {fa} {county_fa}", f"{en} Industrial Park, {county_en}".strip(", ")


def zone_name(county_en: str, rng: random.Random) -> tuple[str, str]:
    fa, en = rng.choice(ZONE_NAMES)
    suffix = f" ({county_en})" if county_en else ""
    return f"ناحیه صنعتی {fa}", f"{en} Industrial Zone{suffix}"


def specialized_name(county_fa: str, county_en: str, specialty: tuple[str, str, str]) -> tuple[str, str]:
    fa, en, _division = specialty
    return f"شهرک تخصصی {fa} {county_fa}", f"{county_en} {en} Specialized Park".strip()


def technology_name(county_fa: str, county_en: str) -> tuple[str, str]:
    return f"شهرک فناوری {county_fa}", f"{county_en} Technology Park".strip()


# Project titles by category: (Persian template, English template); {estate} is the estate's name.
PROJECT_TITLES = {
    "water": [
        ("تأمین آب {estate}", "Water supply, {estate}"),
        ("احداث مخزن آب {estate}", "Water reservoir, {estate}"),
        ("حفر و تجهیز چاه آب {estate}", "Drilling and equipping a water well, {estate}"),
        ("اجرای شبکه توزیع آب {estate}", "Water distribution network, {estate}"),
    ],
    "electricity": [
        ("احداث پست برق فشار قوی {estate}", "High-voltage substation, {estate}"),
        ("اجرای شبکه توزیع برق {estate}", "Power distribution network, {estate}"),
        ("تأمین برق {estate}", "Power supply, {estate}"),
        ("روشنایی معابر {estate}", "Street lighting, {estate}"),
    ],
    "gas": [
        ("گازرسانی به {estate}", "Gas supply to {estate}"),
        ("احداث ایستگاه تقلیل فشار گاز {estate}", "Gas pressure-reducing station, {estate}"),
        ("اجرای شبکه توزیع گاز {estate}", "Gas distribution network, {estate}"),
    ],
    "telecom": [
        ("اجرای شبکه فیبر نوری {estate}", "Fibre-optic network, {estate}"),
        ("تأمین ارتباطات مخابراتی {estate}", "Telecommunications, {estate}"),
    ],
    "roads": [
        ("آسفالت معابر {estate}", "Paving the roads of {estate}"),
        ("احداث جاده دسترسی {estate}", "Access road, {estate}"),
        ("جدول+گذاری و زیرسازی معابر {estate}", "Kerbs and road base, {estate}"),
    ],
    "wastewater": [
        ("احداث تصفیه+خانه فاضلاب {estate}", "Wastewater treatment plant, {estate}"),
        ("اجرای شبکه جمع+آوری فاضلاب {estate}", "Sewer network, {estate}"),
    ],
    "buildings": [
        ("احداث ایستگاه آتش+نشانی {estate}", "Fire station, {estate}"),
        ("احداث ساختمان اداری {estate}", "Administration building, {estate}"),
        ("احداث کارگاه+های پیش+ساخته {estate}", "Prefabricated workshops, {estate}"),
    ],
}
PROJECT_TITLES = {
    category: [(_fa(fa), en) for fa, en in templates] for category, templates in PROJECT_TITLES.items()
}


# The part of an estate a project serves: the whole estate, or one of its extensions.
ESTATE_PARTS = [("", ""), ("توسعه شمالی", "northern extension"), ("توسعه جنوبی", "southern extension"),
                ("توسعه شرقی", "eastern extension"), ("توسعه غربی", "western extension")]  # fmt: skip


def project_title(category: str, template: int, part: int, estate_fa: str, estate_en: str, phase: int):
    """«تأمین آب شهرک صنعتی کاوه (توسعه شمالی، فاز ۲)» and its English title; a phase from the second on."""
    fa, en = PROJECT_TITLES[category][template]
    title, title_en = fa.format(estate=estate_fa), en.format(estate=estate_en or estate_fa)
    part_fa, part_en = ESTATE_PARTS[part]
    notes_fa = [part_fa] if part_fa else []
    notes_en = [part_en] if part_en else []
    if phase > 1:
        notes_fa.append(f"فاز {to_persian_digits(phase)}")
        notes_en.append(f"phase {phase}")
    if notes_fa:
        title += f" ({'، '.join(notes_fa)})"
        title_en += f" ({', '.join(notes_en)})"
    return title, title_en


# Approximate coordinates of each province's capital (ISO code → latitude, longitude): estates are
# placed around them. Demo positions only: no county or estate has a surveyed location here.
PROVINCE_CENTRES = {
    "IR-00": (34.09, 49.69), "IR-01": (37.28, 49.58), "IR-02": (36.57, 53.06), "IR-03": (38.08, 46.29),
    "IR-04": (37.55, 45.07), "IR-05": (34.31, 47.07), "IR-06": (31.32, 48.67), "IR-07": (29.59, 52.58),
    "IR-08": (30.28, 57.08), "IR-09": (36.30, 59.60), "IR-10": (32.65, 51.67), "IR-11": (29.50, 60.86),
    "IR-12": (35.31, 47.00), "IR-13": (34.80, 48.51), "IR-14": (32.33, 50.86), "IR-15": (33.49, 48.36),
    "IR-16": (33.64, 46.42), "IR-17": (30.67, 51.59), "IR-18": (28.97, 50.84), "IR-19": (36.67, 48.48),
    "IR-20": (35.58, 53.39), "IR-21": (31.90, 54.37), "IR-22": (27.18, 56.27), "IR-23": (35.69, 51.39),
    "IR-24": (38.25, 48.30), "IR-25": (34.64, 50.88), "IR-26": (36.27, 50.00), "IR-27": (36.84, 54.44),
    "IR-28": (37.47, 57.33), "IR-29": (32.87, 59.22), "IR-30": (35.84, 50.94),
}  # fmt: skip
