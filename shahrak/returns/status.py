"""Late and missing returns per province (DESIGN.md: "Late and missing returns are listed").

A month's return is *missing* when its due day has passed and it has not been submitted (no
return, or one still open or returned to the province); it is *late* when it was first submitted
after its due day. Months are counted from settings.SHAHRAK["RETURNS_FROM"] ("1401-01"; returns
before it were not kept) over at most the last `months` months.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from shahrak.core import jalali
from shahrak.core.collation import by_name
from shahrak.regions.models import Province

from .models import MonthlyReturn, ReturnState, due_date


@dataclass
class ProvinceReturns:
    province: Province
    missing: list[tuple[int, int]] = field(default_factory=list)  # (year, month), oldest first
    late: list[tuple[int, int]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.missing) + len(self.late)


def is_missing(found: MonthlyReturn | None) -> bool:
    """Whether a due month's return is missing: none stored, never submitted, or open or returned to
    the province (and not reopened after approval). The one rule, for this list and data quality."""
    return (
        found is None
        or found.first_submitted_at is None
        or (found.state in (ReturnState.OPEN, ReturnState.RETURNED) and found.reopened_until is None)
    )


def first_month() -> tuple[int, int] | None:
    text = settings.SHAHRAK.get("RETURNS_FROM", "")
    if not text:
        return None
    year, month = (int(part) for part in str(text).split("-"))
    return year, month


def due_months(today: dt.date | None = None, months: int = 12) -> list[tuple[int, int]]:
    """The months, oldest first, of the last `months` whose return is already due."""
    today = today or timezone.localdate()
    year, month, _day = jalali.jalali_parts(today)
    start = first_month()
    found = []
    for back in range(months, 0, -1):
        y, m = jalali.add_months(year, month, -back)
        if start is not None and (y, m) < start:
            continue
        if due_date(y, m) < today:
            found.append((y, m))
    return found


def late_and_missing(today: dt.date | None = None, months: int = 12) -> list[ProvinceReturns]:
    """Each province with a late or missing return in the period, most first, then by name."""
    today = today or timezone.localdate()
    periods = due_months(today, months)
    if not periods:
        return []
    returns = {
        (r.province_id, r.year, r.month): r
        for r in MonthlyReturn.objects.filter(
            year__in={y for y, _m in periods}, month__in={m for _y, m in periods}
        )
    }
    rows = []
    for province in by_name(Province.objects.all()):
        row = ProvinceReturns(province)
        for year, month in periods:
            found = returns.get((province.pk, year, month))
            if is_missing(found):
                row.missing.append((year, month))
            elif found.was_late():
                row.late.append((year, month))
        if row.count:
            rows.append(row)
    rows.sort(key=lambda r: (-len(r.missing), -len(r.late)))
    return rows
