"""Constant rials: a rial figure at the prices of a chosen month (DESIGN.md, "Constant rials").

Price-index values are records (PriceIndex: source, base, year, month, value, province optional).
`chained` links the bases of one source into one series on its newest base: an older base's months
are rescaled by the ratio of the two bases at the latest month both have. `constant_spending`
takes infrastructure spending month by month from the one metrics engine (engine.monthly_series,
checked against engine.compute for the same period) and moves each month's rials to the prices of
the chosen month: rials × I(prices month) ÷ I(month paid).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from shahrak.core import jalali
from shahrak.metrics.base import Filters
from shahrak.metrics.engine import compute, monthly_series
from shahrak.regions.scope import NATION, Scope
from shahrak.ui import format as fmt

from .models import IndexSource, PriceIndex

Month = tuple[int, int]


class CannotChain(ValueError):
    """Two bases of a series share no month, so one cannot be expressed on the other."""


@dataclass
class Series:
    source: str
    base: str  # the base every value is expressed on (the newest)
    levels: dict[Month, Decimal]
    bases: list[str] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)  # how each older base was linked
    demo: bool = False
    basis: str = ""

    def level(self, month: Month) -> Decimal | None:
        return self.levels.get(month)

    @property
    def first(self) -> Month | None:
        return min(self.levels) if self.levels else None

    @property
    def last(self) -> Month | None:
        return max(self.levels) if self.levels else None


def chain(by_base: dict[str, dict[Month, Decimal]]) -> tuple[str, dict[Month, Decimal], list[dict]]:
    """Link the bases of one series (base → {month: value}) onto the base whose months reach latest.

    Each older base, newest first, is multiplied by chained[m] ÷ older[m] at m, the latest month the
    older base shares with what is chained so far; its months not yet chained are added.
    """
    if not by_base:
        raise CannotChain("the series has no values")
    order = sorted(by_base, key=lambda base: (max(by_base[base]), min(by_base[base])), reverse=True)
    newest = order[0]
    chained = dict(by_base[newest])
    links = []
    for base in order[1:]:
        older = by_base[base]
        shared = sorted(set(older) & set(chained))
        if not shared:
            raise CannotChain(f"base {base!r} shares no month with base {newest!r}")
        link_month = shared[-1]
        factor = chained[link_month] / older[link_month]
        links.append({"base": base, "onto": newest, "month": link_month, "factor": factor})
        for month, value in older.items():
            chained.setdefault(month, value * factor)
    return newest, chained, links


def chained(source: str = IndexSource.SCI_CPI, province_id: int | None = None) -> Series:
    """The series of a source (national, or a province's), every base chained onto the newest."""
    rows = PriceIndex.objects.filter(source=source, province_id=province_id).values_list(
        "base", "year", "month", "value", "basis"
    )
    by_base: dict[str, dict[Month, Decimal]] = defaultdict(dict)
    bases_basis = {}
    for base, year, month, value, basis in rows:
        by_base[base][(year, month)] = value
        bases_basis.setdefault(base, basis)
    if not by_base:
        return Series(source, "", {}, demo=source == IndexSource.DEMO)
    base, levels, links = chain(by_base)
    return Series(
        source, base, levels, sorted(by_base), links, demo=source == IndexSource.DEMO, basis=bases_basis[base]
    )


def parse_month(text: str) -> Month:
    """'1401-01' or '1401/1' (any digits) → (1401, 1); ValueError if not a month."""
    from shahrak.core.text import normalize

    cleaned = normalize(str(text)).replace("/", "-")
    try:
        year, month = (int(part) for part in cleaned.split("-"))
    except ValueError:
        raise ValueError(f"{text!r} is not a month: write it as YYYY-MM, e.g. 1401-01") from None
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: the month is 1 to 12")
    jalali.check_year(year)
    return year, month


def at_prices_of(rials: int, paid: Month, prices: Month, series: Series) -> int | None:
    """Rials paid in one month, at the prices of another; None when either month has no index."""
    then, target = series.level(paid), series.level(prices)
    if then is None or target is None:
        return None
    return int((Decimal(rials) * target / then).to_integral_value(ROUND_HALF_UP))


@dataclass
class ConstantFigure:
    prices: Month
    series: Series
    rows: list[dict]  # one per month: year, month, rials, index, constant_rials
    current_rials: int
    constant_rials: int | None
    engine_rials: int
    warnings: list[str]


def constant_spending(
    years: list[int], prices: Month, *, scope: Scope = NATION, filters: Filters | None = None,
    source: str = IndexSource.SCI_CPI,
) -> ConstantFigure:  # fmt: skip
    """Infrastructure spending of whole Iranian years, month by month, at the prices of `prices`.

    The rials come from the metrics engine's monthly series; their sum is checked against the
    engine's own figure for the same years (a difference is a warning, never hidden).
    """
    filters = filters or Filters()
    series = chained(source, scope.pk if scope.level == "province" else None)
    if scope.level == "province" and not series.levels:
        series = chained(source)  # no provincial series: the national one, said in a warning
    warnings = []
    if series.level(prices) is None:
        warnings.append(
            _("The series %(series)s has no value for %(month)s.")
            % {"series": IndexSource(source).label, "month": fmt.digits(f"{prices[0]}-{prices[1]:02d}")}
        )
    rows, current, constant, missing = [], 0, 0, []
    for year in years:
        for y, m, rials in monthly_series("infrastructure_spending", year, scope, filters):
            value = at_prices_of(rials, (y, m), prices, series)
            if value is None and rials:
                missing.append(f"{y}-{m:02d}")
            rows.append(
                {
                    "year": y,
                    "month": m,
                    "rials": rials,
                    "index": series.level((y, m)),
                    "constant_rials": value,
                }
            )
            current += rials
            constant += value or 0
    period = jalali.Period(jalali.year_bounds(min(years)).start, jalali.year_bounds(max(years)).end)
    engine_rials = compute("infrastructure_spending", period, scope, filters).value["rials"]
    if engine_rials != current:
        warnings.append(
            _("The months add up to %(months)s rials, the figure to %(figure)s.")
            % {"months": fmt.number(current), "figure": fmt.number(engine_rials)}
        )
    if missing:
        warnings.append(
            _("No index for %(months)s: those months are left out of the constant figure.")
            % {
                "months": fmt.digits(", ".join(missing))
                if not fmt.is_fa()
                else fmt.digits("، ".join(missing))
            }
        )
    return ConstantFigure(
        prices, series, rows, current, None if missing else constant, engine_rials, warnings
    )


def yearly(figure: ConstantFigure) -> list[dict]:
    """The months of a constant figure summed per year (current and constant rials)."""
    years: dict[int, dict] = {}
    for row in figure.rows:
        slot = years.setdefault(
            row["year"], {"year": row["year"], "rials": 0, "constant_rials": 0, "complete": True}
        )
        slot["rials"] += row["rials"]
        if row["constant_rials"] is None:
            slot["complete"] = slot["complete"] and not row["rials"]
        else:
            slot["constant_rials"] += row["constant_rials"]
    return [
        {**slot, "constant_rials": slot["constant_rials"] if slot["complete"] else None}
        for slot in years.values()
    ]
