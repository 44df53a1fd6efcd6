"""The Solar Hijri calendar: parsing, formatting, year and month bounds.

Dates are stored as Gregorian `datetime.date` and shown, typed and parsed as Solar Hijri.
The Iranian year runs from 1 Farvardin (about 21 March) to the last day of Esfand (29, or 30 in a
leap year). jdatetime does the arithmetic; this module is the one place the project calls it.
"""

import datetime as dt
import re
from dataclasses import dataclass

import jdatetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .text import normalize, to_persian_digits

MONTHS_FA = [
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
]  # fmt: skip
MONTHS_EN = [
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
]  # fmt: skip

_DATE_RE = re.compile(r"^\s*(\d{3,4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")


class InvalidDate(ValueError):
    """A date that does not exist or cannot be read; the message, in the reader's language, says why."""


def _month_name(month: int) -> str:
    return (MONTHS_FA if (get_language() or "fa").startswith("fa") else MONTHS_EN)[month - 1]


def _split(text: str) -> tuple[int, int, int]:
    match = _DATE_RE.match(normalize(str(text)))
    if not match:
        raise InvalidDate(
            _("«%(value)s» is not a date; write it as 1401/01/01 (Solar Hijri) or 2022-03-21.")
            % {"value": str(text)[:40]}
        )
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def month_length(year: int, month: int) -> int:
    """Days in a Solar Hijri month: 31 for the first six, 30 for the next five, 29/30 for Esfand."""
    if not 1 <= month <= 12:
        raise InvalidDate(
            _("«%(value)s»: there is no month %(month)d.") % {"value": f"{year}-{month}", "month": month}
        )
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_leap(year) else 29


def is_leap(year: int) -> bool:
    """Whether a Solar Hijri year has 30 Esfand (jdatetime's 33-year rule, matching the official calendar)."""
    return jdatetime.date(year, 1, 1).isleap()


def to_gregorian(year: int, month: int, day: int, *, text: str | None = None) -> dt.date:
    """The Gregorian date of a Solar Hijri day; InvalidDate if the day does not exist.

    `text` is what the user typed, quoted back in the message.
    """
    value = text if text is not None else f"{year:04d}-{month:02d}-{day:02d}"
    if not 1 <= year <= 3000:
        raise InvalidDate(
            _("The year %(year)d of «%(value)s» is out of range.") % {"year": year, "value": value}
        )
    if not 1 <= month <= 12:
        raise InvalidDate(_("«%(value)s»: there is no month %(month)d.") % {"value": value, "month": month})
    length = month_length(year, month)
    if not 1 <= day <= length:
        raise InvalidDate(
            _("«%(value)s» does not exist: %(month)s %(year)d has %(days)d days.")
            % {"value": value, "month": _month_name(month), "year": year, "days": length}
        )
    return jdatetime.date(year, month, day).togregorian()


def parse_jalali(text: str) -> dt.date:
    """A Solar Hijri date typed as YYYY-MM-DD or YYYY/MM/DD in any digit system."""
    return to_gregorian(*_split(text), text=str(text).strip())


def parse_gregorian(text: str) -> dt.date:
    year, month, day = _split(text)
    try:
        return dt.date(year, month, day)  # ValueError for year 0 as for 31 April
    except ValueError:
        raise InvalidDate(
            _("«%(value)s» is not a valid Gregorian date.") % {"value": str(text).strip()}
        ) from None


# Years a date typed in either calendar can have; anything else is a typo, not a date.
AUTO_YEARS = range(1200, 2201)


def parse_date(text: str, calendar: str = "jalali") -> dt.date:
    """A date in the given calendar ('jalali' or 'gregorian').

    With calendar='auto', a year below 1700 is read as Solar Hijri and any other as Gregorian,
    which is unambiguous for the years this system holds.
    """
    if calendar == "auto":
        year = _split(text)[0]
        if year not in AUTO_YEARS:
            raise InvalidDate(
                _("The year %(year)d of «%(value)s» is out of range.")
                % {"year": year, "value": str(text).strip()}
            )
        calendar = "jalali" if year < 1700 else "gregorian"
    if calendar == "jalali":
        return parse_jalali(text)
    if calendar == "gregorian":
        return parse_gregorian(text)
    raise ValueError(f"unknown calendar {calendar!r}")


def jalali_parts(day: dt.date) -> tuple[int, int, int]:
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month, j.day


def format_jalali(day: dt.date | None, *, persian_digits: bool = False, sep: str = "/") -> str:
    """'1401/01/01' (or with Persian digits); empty for None."""
    if day is None:
        return ""
    year, month, d = jalali_parts(day)
    text = f"{year:04d}{sep}{month:02d}{sep}{d:02d}"
    return to_persian_digits(text) if persian_digits else text


def format_jalali_long(day: dt.date, lang: str = "fa") -> str:
    """'1 Farvardin 1401' or «۱ فروردین ۱۴۰۱»."""
    year, month, d = jalali_parts(day)
    if lang == "fa":
        return to_persian_digits(f"{d} {MONTHS_FA[month - 1]} {year}")
    return f"{d} {MONTHS_EN[month - 1]} {year}"


@dataclass(frozen=True)
class Period:
    """An inclusive range of days [start, end]; `end` is the day D at which stocks are measured."""

    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.start > self.end:
            raise InvalidDate(f"the period starts ({self.start}) after it ends ({self.end})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "from_jalali": format_jalali(self.start, sep="-"),
            "to_jalali": format_jalali(self.end, sep="-"),
        }


def year_bounds(year: int) -> Period:
    """1 Farvardin to the last day of Esfand of a Solar Hijri year."""
    return Period(to_gregorian(year, 1, 1), to_gregorian(year, 12, month_length(year, 12)))


def month_bounds(year: int, month: int) -> Period:
    return Period(to_gregorian(year, month, 1), to_gregorian(year, month, month_length(year, month)))


def months_of_year(year: int, first: int = 1, last: int = 12) -> Period:
    """Months first..last of a year, e.g. the first nine months: months_of_year(1401, 1, 9)."""
    return Period(month_bounds(year, first).start, month_bounds(year, last).end)


def add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def past_months(count: int, today: dt.date | None = None) -> Period:
    """The past N whole Solar Hijri months ending with the current month (to today)."""
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()  # the day in Tehran, not on the server clock
    year, month, _ = jalali_parts(today)
    first_year, first_month = add_months(year, month, -(count - 1))
    return Period(to_gregorian(first_year, first_month, 1), today)


def jalali_year_of(day: dt.date) -> int:
    return jalali_parts(day)[0]


def month_start(year: int, month: int) -> dt.date:
    return to_gregorian(year, month, 1)


# The Iranian years a figure's period can be in: the CLI, the API and the web all accept these.
FIRST_YEAR, LAST_YEAR = 1300, 1500


class ReversedPeriod(InvalidDate):
    """Both days are dates, but the last comes before the first."""


def check_year(year: int) -> int:
    """The year itself, or InvalidDate when it is outside FIRST_YEAR..LAST_YEAR."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidDate(
            _("The year %(year)s is out of range: give a year from %(first)s to %(last)s.")
            % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


def default_period(today: dt.date | None = None) -> Period:
    """The period a figure shows when none is asked for: the Iranian year SHAHRAK["DEFAULT_YEAR"]
    when set (e.g. the last year of a dataset), else the current one; no database query."""
    return year_bounds(default_year(today))


def default_year(today: dt.date | None = None) -> int:
    from django.conf import settings
    from django.utils import timezone

    year = getattr(settings, "SHAHRAK", {}).get("DEFAULT_YEAR")
    if year:
        return check_year(int(year))
    return jalali_year_of(today or timezone.localdate())


def parse_period(
    *, year=None, start=None, end=None, calendar: str = "jalali", today: dt.date | None = None
) -> Period:
    """The one reading of a figure's period (CLI `metrics`, API /api/metrics/, the web's period form).

    A whole Iranian `year`, or `start` and `end` (dates, or text in `calendar`), both days included;
    neither gives the default period. InvalidDate, in the reader's language, says what is wrong.
    """
    if year not in (None, ""):
        if start or end:
            raise InvalidDate(_("Give a year or from and to, not both."))
        return year_bounds(check_year(int(year)))
    if start and end:
        first = start if isinstance(start, dt.date) else parse_date(start, calendar)
        last = end if isinstance(end, dt.date) else parse_date(end, calendar)
        check_year(jalali_year_of(first))
        check_year(jalali_year_of(last))
        if first > last:
            raise ReversedPeriod(_("The last day comes before the first."))
        return Period(first, last)
    if start or end:
        raise InvalidDate(_("Give both the first and the last day."))
    return default_period(today)
