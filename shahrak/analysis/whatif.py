"""What-if allocation (DESIGN.md, "Analysts' tools"): add Δ rials to chosen counties, or let Shahrak
spread Δ to lower the Gini within each county's absorptive capacity, and compare the regional
balance today and after.

The allocation is plain arithmetic here; the figures today and after are the metrics engine's
(`engine.regional_balance_what_if`), computed by the one `RegionalBalance.summarise` from the same
county rows, so the Gini, the Theil index and its split and the ranking have one home.

Spreading is water-filling: the level of spending per person L rises from the lowest county up;
each county with capacity cᵢ > 0 is given aᵢ(L) = min(cᵢ, max(0, L·Pᵢ − Sᵢ)), so the money goes to
the lowest per-capita counties first and no county gets more than its capacity. It stops when Δ
is used or the capacity is exhausted, or earlier if more money would raise the Gini: that can
happen when a county without capacity lies below the level (its gap to the others grows). On each
stretch of the path between two levels where a county starts, reaches its capacity or is passed,
the order of the counties is fixed, so the Gini is a ratio of two linear functions of the amount
and monotone there: its lowest value on the path is at one of those points or at the end, and
those are the amounts tried (the Gini of each by `metrics.balance.gini`).

A worked example (the hand case of tests/test_whatif.py): counties A, B, C with populations 100,
100, 200 and spending 0, 1,000, 6,000 rials (per person 0, 10, 30); only A can absorb more, 1,000.
Before: μ = 7,000/400 = 17.5, p = (¼, ¼, ½); ΣᵢΣⱼ pᵢpⱼ|yᵢ − yⱼ| = 2(¼·¼·10 + ¼·½·30 + ¼·½·20)
= 13.75, Gini = 13.75 ÷ 35 = 11/28 ≈ 0.393. Spread Δ = 1,500: A is given its 1,000 (A's per person
rises to 10, B's level), 500 are left unspent (capacity exhausted). After: y = (10, 10, 30),
μ = 20, ΣΣ = 2(¼·½·20 + ¼·½·20) = 10, Gini = 10 ÷ 40 = 0.25.
"""

import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from shahrak.metrics.balance import gini

SPREAD, CHOSEN = "spread", "chosen"
# Why a spread stopped.
DONE, CAPACITY, GINI = "done", "capacity", "gini"


@dataclass(frozen=True)
class County:
    """What the allocation needs of a county: its code, population Pᵢ > 0, spending Sᵢ, capacity cᵢ ≥ 0."""

    code: str
    population: int
    spending: int
    capacity: int


@dataclass
class Allocation:
    added: dict[str, int] = field(default_factory=dict)
    delta: int = 0
    stopped: str = DONE

    @property
    def spent(self) -> int:
        return sum(self.added.values())

    @property
    def unspent(self) -> int:
        return self.delta - self.spent


def counties_of(rows: list[dict]) -> list[County]:
    """The engine's county rows (with capacity) as the allocation reads them."""
    return [
        County(row["code"], row["population"], row["spending_rials"], row.get("capacity_rials", 0))
        for row in rows
    ]


def add_to(delta: int, codes) -> Allocation:
    """Δ added to each chosen county."""
    if delta < 0:
        raise ValueError("Δ cannot be negative")
    return Allocation(dict.fromkeys(dict.fromkeys(codes), delta) if delta else {}, delta * len(set(codes)))


class _Path:
    """The water-filling path: the amount given T(L) at each level where it bends or the order of the
    counties changes (every county's per capita, and where a county with capacity reaches it).
    T is linear between two levels: its slope is the population of the counties being filled."""

    def __init__(self, counties: list[County]):
        self.counties = [c for c in counties if c.capacity > 0]
        slope_change: dict[Fraction, int] = {}
        for c in counties:
            slope_change.setdefault(Fraction(c.spending, c.population), 0)
        for c in self.counties:
            start, full = Fraction(c.spending, c.population), Fraction(c.spending + c.capacity, c.population)
            slope_change[start] = slope_change.get(start, 0) + c.population
            slope_change[full] = slope_change.get(full, 0) - c.population
        self.levels = sorted(slope_change)
        self.amounts, self.slopes = [], []
        amount, slope, previous = Fraction(0), 0, self.levels[0]
        for level in self.levels:
            amount += slope * (level - previous)
            slope += slope_change[level]
            self.amounts.append(amount)
            self.slopes.append(slope)
            previous = level

    def level_for(self, amount: int) -> Fraction:
        """The level L at which exactly `amount` (≤ the total capacity) has been given."""
        index = bisect.bisect_right(self.amounts, amount) - 1
        slope = self.slopes[index]
        if slope == 0 or self.amounts[index] == amount:
            return self.levels[index]
        return self.levels[index] + (amount - self.amounts[index]) / slope

    def fill(self, amount: int) -> dict[str, int]:
        """Whole rials summing to `amount`: each county's share at the level, rounded down, and the
        rials left by rounding one each to the largest remainders (ties by code); never above a
        capacity (a county at its capacity has no remainder)."""
        if amount <= 0:
            return {}
        level = self.level_for(amount)
        num, den = level.numerator, level.denominator
        whole, remainder = {}, {}
        for c in self.counties:
            share = min(c.capacity * den, max(0, num * c.population - c.spending * den))  # × den
            whole[c.code], remainder[c.code] = divmod(share, den)
        left = amount - sum(whole.values())
        for code in sorted(remainder, key=lambda code: (-remainder[code], code))[:left]:
            whole[code] += 1
        return {code: rials for code, rials in whole.items() if rials}


def _gini_after(ordered: list[County], added: dict[str, int]):
    # In today's per-capita order: water-filling keeps it nearly so, and the sort inside gini is quick.
    return gini([(c.population, c.spending + added.get(c.code, 0)) for c in ordered])


def spread(delta: int, counties: list[County]) -> Allocation:
    """Δ spread by water-filling to lower the Gini, within each county's capacity (see the module)."""
    if delta < 0:
        raise ValueError("Δ cannot be negative")
    counties = [c for c in counties if c.population > 0]
    capacity = sum(c.capacity for c in counties if c.capacity > 0)
    limit = min(delta, capacity)
    if limit == 0:
        return Allocation({}, delta, DONE if delta == 0 else CAPACITY)
    path = _Path(counties)
    ordered = sorted(counties, key=lambda c: Fraction(c.spending, c.population))
    amounts = {0, limit} | {int(reached) for reached in path.amounts if reached < limit}
    best = None
    for amount in sorted(amounts):
        added = path.fill(amount)
        value = _gini_after(ordered, added)
        key = (value is None, value if value is not None else 0, -amount)
        if best is None or key < best[0]:
            best = (key, amount, added)
    _, amount, added = best
    stopped = (DONE if limit == delta else CAPACITY) if amount == limit else GINI
    return Allocation(added, delta, stopped)


# --- A scenario: the question, its link, and its answer from the engine ---------------------------


def scenario_query(year: int, scope: str, delta_rials: int, unit: str, mode: str, counties) -> dict:
    """The regional-balance page's query string that reproduces a scenario (its shared link)."""
    from shahrak.core.money import UNITS

    amount = (Decimal(delta_rials) / UNITS[unit][0]).normalize()
    query = {"period": "year", "year": year, "scope": scope, "wi-delta": f"{amount:f}", "wi-unit": unit,
             "wi-mode": mode, "wi-county": list(counties) if mode == CHOSEN else []}  # fmt: skip
    return {key: value for key, value in query.items() if value not in ("", None, [])}


@dataclass
class WhatIf:
    today: object  # the engine's MetricResult of regional_balance, today
    after: object  # …and after the allocation
    allocation: Allocation
    mode: str

    def changes(self) -> list[dict]:
        """The counties given money, today and after: per capita, spending, what was added, capacity."""
        after = {row["code"]: row for row in self.after.breakdowns["counties"]}
        rows = []
        for row in self.today.breakdowns["counties"]:
            added = self.allocation.added.get(row["code"], 0)
            if added:
                rows.append({**row, "added_rials": added, "after": after[row["code"]]})
        return sorted(rows, key=lambda r: (Fraction(r["spending_rials"], r["population"]), r["code"]))

    def over_capacity(self) -> list[str]:
        """Chosen counties given more than they can absorb (only the 'chosen' mode can do that)."""
        return [row["code"] for row in self.changes() if row["added_rials"] > row.get("capacity_rials", 0)]


def run(year: int, scope, delta_rials: int, mode: str, counties=(), **options) -> WhatIf:
    """The regional balance of the Iranian year in the scope, today and after Δ is placed: spread
    by water-filling within capacity (`spread`) or added to each chosen county (`add_to`)."""
    from shahrak.core.jalali import year_bounds
    from shahrak.metrics import engine

    placed = {}

    def allocate(rows):
        placed["allocation"] = (
            spread(delta_rials, counties_of(rows)) if mode == SPREAD else add_to(delta_rials, counties)
        )
        return placed["allocation"].added

    today, after, _ = engine.regional_balance_what_if(year_bounds(year), scope, allocate, **options)
    return WhatIf(today, after, placed["allocation"], mode)


def county_choices(scope) -> list[tuple[str, str]]:
    """(SCI code, name and code) of the counties a scenario of the scope may name: the counties the
    regional balance compares there (those with a census population), by code."""
    from shahrak.core.text import code_text
    from shahrak.metrics.base import Context, Filters
    from shahrak.metrics.engine import METRICS, compute_in_context
    from shahrak.ui.format import is_fa

    rows = METRICS["regional_balance"].counties_in_scope(scope, Filters(), Context(compute_in_context))
    return [
        (
            c["sci_code"],
            f"{c['name_fa'] if is_fa() else (c['name_en'] or c['name_fa'])} {code_text(c['sci_code'])}",
        )
        for c in rows
        if c["population"]
    ]
