"""Regional balance: is the money going where the people and the idle capacity are?

Answers "most of the investments have taken place in big cities ... small cities and regions that
have investment capacity have been given less attention". Over the counties in scope (those with
no spending included), with Sᵢ = disbursements in the period and Pᵢ = census population:
per-capita spending yᵢ = Sᵢ/Pᵢ, shares of deprived counties and of each size class, the
population-weighted Gini coefficient, the Theil T index split exactly into between-province and
within-province parts, and a ranking of under-served counties that have capacity.

The per-county sums come from the database; the indices are exact arithmetic (fractions) over
those few hundred rows, with logarithms in floating point.
"""

import math
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from functools import cmp_to_key

from django.db.models import Sum

from shahrak.estates.models import Estate, EstateStatus, free_land_by
from shahrak.projects.models import Disbursement
from shahrak.regions.models import DEPRIVED_STATUSES, SizeClass

from .base import county_label_en, where
from .definitions import Metric, PlannedSpending, idle_counts, spending_groups
from .labels import DEPRIVED, choice_labels

# w₁ little spending per person, w₂ free land per 10,000 people, w₃ idle units per 10,000 people,
# w₄ population (DESIGN.md, "Exact definitions", regional_balance).
DEFAULT_WEIGHTS = (2, 1, 1, Fraction(1, 2))
PER_PEOPLE = 10_000
HECTARE = Decimal("0.01")


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator ÷ denominator (> 0) rounded half up, in integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def _per_capita_order(a: tuple, b: tuple) -> int:
    """Compare (population, spending, ...) by spending per person, exactly: Sa/Pa vs Sb/Pb."""
    left, right = a[1] * b[0], b[1] * a[0]
    return (left > right) - (left < right)


def by_per_capita(groups: list[tuple]) -> list[tuple]:
    """(population, spending, ...) tuples sorted by spending per person, ascending, exactly."""
    return sorted(groups, key=cmp_to_key(_per_capita_order))


def gini(groups: list[tuple[int, int]]) -> Fraction | None:
    """Population-weighted Gini of per-capita spending: ΣᵢΣⱼ pᵢpⱼ|yᵢ − yⱼ| ÷ 2μ, exactly.

    `groups` are (population Pᵢ > 0, spending Sᵢ) pairs; None when nothing was spent. Sorted by
    yᵢ = Sᵢ/Pᵢ, with Cⱼ = Σ_{i<j} Pᵢ and Tⱼ = Σ_{i<j} Sᵢ, the double sum over ordered pairs is
    2 Σⱼ (Sⱼ Cⱼ − Pⱼ Tⱼ) / P², and 2μ = 2S/P, so Gini = Σⱼ (Sⱼ Cⱼ − Pⱼ Tⱼ) / (P S): integers only.
    """
    population = sum(p for p, _ in groups)
    spending = sum(s for _, s in groups)
    if not spending or not population:
        return None
    total, people_below, spending_below = 0, 0, 0
    for p_count, s in by_per_capita(groups):
        total += s * people_below - p_count * spending_below
        people_below += p_count
        spending_below += s
    return Fraction(total, population * spending)


def theil_term(spending: int, population: int, total_spending: int, total_population: int) -> float:
    """s ln(s/p) for s = spending/total_spending and p = population/total_population; 0 when s = 0."""
    if spending == 0:
        return 0.0
    return spending / total_spending * math.log(spending * total_population / (population * total_spending))


def theil(groups: list[tuple[int, int, str]]) -> tuple[float, float, float] | None:
    """Theil T = Σ sᵢ ln(sᵢ/pᵢ) over (population, spending, region) triples, with its split.

    Returns (total, between regions, within regions); between = Σ_g s_g ln(s_g/p_g) over the
    regions g, and within = total − between (which equals Σ_g s_g T_g). None when nothing was spent.
    """
    population = sum(p for p, _, _ in groups)
    spending = sum(s for _, s, _ in groups)
    if not spending or not population:
        return None
    total = math.fsum(theil_term(s, p, spending, population) for p, s, _ in groups)
    by_region = defaultdict(lambda: [0, 0])
    for p, s, region in groups:
        by_region[region][0] += p
        by_region[region][1] += s
    between = math.fsum(theil_term(s, p, spending, population) for p, s in by_region.values())
    return total, between, total - between


def normalise(values: list[Fraction]) -> list[Fraction]:
    """n(x) = (x − min)/(max − min); 0 for all when they are all equal."""
    low, high = min(values), max(values)
    if high == low:
        return [Fraction(0)] * len(values)
    return [(value - low) / (high - low) for value in values]


def _normalise_floats(values: list[float]) -> list[float]:
    low, high = min(values), max(values)
    if high == low:
        return [0.0] * len(values)
    return [(value - low) / (high - low) for value in values]


def rank_exactly(count: int, approximate: list[float], exact, code: list[str]) -> list[int]:
    """Indices ordered by score, highest first, ties by code; scores compared exactly.

    Sorting uses the float scores; runs of neighbours whose floats are too close to tell apart
    (a float error is ~1e-15, the tolerance 1e-9) are re-sorted by `exact(i)` (a Fraction), so the
    order is the exact one without computing every score as a fraction.
    """
    order = sorted(range(count), key=lambda i: (-approximate[i], code[i]))
    start = 0
    while start < count:
        end = start + 1
        while end < count and abs(approximate[order[end]] - approximate[order[end - 1]]) <= 1e-9 * max(
            1.0, abs(approximate[order[end - 1]])
        ):
            end += 1
        if end - start > 1:
            order[start:end] = sorted(order[start:end], key=lambda i: (-exact(i), code[i]))
        start = end
    return order


def absorptive_capacity(planned: int, spent: int) -> int:
    """What a county can still absorb: its planned payments less what it has spent, never below zero
    (DESIGN.md, "What-if allocation": a county's absorptive capacity is its planned payments)."""
    return max(0, planned - spent)


def planned_by_county(period, scope, filters) -> dict[int, int]:
    """Planned payments per county id: the planned_spending figure's own records (months starting
    within the period), summed by the county each payment stores."""
    rows = (
        PlannedSpending()
        .records(period, scope, filters)
        .values_list("county_id")
        .annotate(rials=Sum("amount_rials"))
    )
    return dict(rows.order_by())


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _per_capita(spending: int, population: int | None) -> int | None:
    return round_half_up(spending, population) if population else None


class RegionalBalance(Metric):
    """Spending per capita by province and county over the counties in scope (those with no spending
    included; counties without a census population are left out); the shares of deprived counties
    and of each county size class; the population-weighted Gini coefficient and the Theil T index
    with its between-province / within-province split (all empty when nothing was spent); and the
    counties that have capacity (free serviced land in their operational estates, or idle units at
    the end of the period) ranked by score = w₁(1 − n(y)) + w₂n(land) + w₃n(idle) + w₄n(population),
    n(x) = (x − min)/(max − min) over those counties, highest first, ties by county code."""

    name = "regional_balance"
    depends_on_deprivation = True  # its shares of deprived counties
    label_fa = "توازن منطقه‌ای سرمایه‌گذاری"
    label_en = "Regional balance"
    record_model = Disbursement

    def records(self, period, scope, filters):
        return Disbursement.objects.filter(
            where(Disbursement, scope, filters), date__range=(period.start, period.end)
        )

    def counties_in_scope(self, scope, filters, context) -> list[dict]:
        counties = context.counties.values()
        if scope.level == "province":
            counties = [c for c in counties if c["province_id"] == scope.pk]
        elif scope.level == "county":
            counties = [c for c in counties if c["id"] == scope.pk]
        elif scope.level == "estate":
            county_id = Estate.objects.filter(pk=scope.pk).values_list("county_id", flat=True).get()
            counties = [c for c in counties if c["id"] == county_id]
        if filters.deprived_only:
            counties = [c for c in counties if c["deprivation"] in DEPRIVED_STATUSES]
        return sorted(counties, key=lambda c: c["sci_code"])

    def compute(
        self,
        period,
        scope,
        filters,
        context,
        weights=DEFAULT_WEIGHTS,
        all_sizes=False,
        capacity=False,
        **options,
    ):
        """The figure; with `capacity`, each county row also gives its planned payments of the period
        and its absorptive capacity (`absorptive_capacity`), at the cost of one more grouped query."""
        weights = _check_weights(weights)
        counties, warnings = self.county_inputs(period, scope, filters, context, capacity)
        value, breakdowns = self.summarise(counties, context, weights, all_sizes)
        return self.result(value, breakdowns, period, scope, filters, warnings)

    def county_inputs(self, period, scope, filters, context, capacity=False) -> tuple[list[dict], list[str]]:
        """The counties in scope with a census population, each with its spending Sᵢ of the period,
        free serviced land and idle units at D (and, with `capacity`, its planned payments), and the
        warnings. `summarise` turns these rows into the figure; a what-if adjusts their spending first."""
        spending = defaultdict(int)
        for county_id, _, _, rials in spending_groups(context, period, scope, filters):
            spending[county_id] += rials
        operational = Estate.objects.filter(
            where(Estate, scope, filters), status=EstateStatus.OPERATIONAL, operational_date__lte=period.end
        )
        land = {
            county_id: hectares.quantize(HECTARE)
            for county_id, hectares in free_land_by(operational, period.end, "county_id").items()
        }
        idle = defaultdict(int)
        for row in idle_counts(context, period.end, scope, filters):
            idle[row["county_id"]] += row["count"]
        planned = planned_by_county(period, scope, filters) if capacity else None

        warnings = list(context.cache_warnings())
        counties = []
        for county in self.counties_in_scope(scope, filters, context):
            spent = spending.get(county["id"], 0)
            if not county["population"]:
                if spent:
                    warnings.append(
                        f"county {county['sci_code']} has spending but no census population: left out of the balance"
                    )
                continue
            row = {
                **county,
                "spending": spent,
                "land": land.get(county["id"], Decimal("0.00")),
                "idle": idle[county["id"]],
            }
            if planned is not None:
                row["planned"] = planned.get(county["id"], 0)
            counties.append(row)
        return counties, warnings

    def summarise(
        self, counties, context, weights=DEFAULT_WEIGHTS, all_sizes=False
    ) -> tuple[dict, dict[str, list[dict]]]:
        """The figure's value and breakdowns from its county rows (`county_inputs`): per capita,
        shares, Gini, Theil with its split, the ranking. The one home of these formulas."""
        weights = _check_weights(weights)
        total_s = sum(c["spending"] for c in counties)
        total_p = sum(c["population"] for c in counties)
        indices = theil([(c["population"], c["spending"], c["province_id"]) for c in counties])
        gini_value = gini([(c["population"], c["spending"]) for c in counties])
        deprived = [c for c in counties if c["deprivation"] in DEPRIVED_STATUSES]
        deprived_s = sum(c["spending"] for c in deprived)
        deprived_p = sum(c["population"] for c in deprived)

        value = {
            "spending_rials": total_s,
            "population": total_p,
            "per_capita_rials": _per_capita(total_s, total_p),
            "gini": float(gini_value) if gini_value is not None else None,
            "theil": indices[0] if indices else None,
            "theil_between": indices[1] if indices else None,
            "theil_within": indices[2] if indices else None,
            "deprived_spending_share": _share(deprived_s, total_s),
            "deprived_population_share": _share(deprived_p, total_p),
            "counties": len(counties),
            "weights": [float(w) for w in weights],
            "all_sizes": bool(all_sizes),
        }
        ranking, well_funded = self._ranking(counties, weights, context, total_s, total_p, all_sizes)
        breakdowns = {
            "counties": [self._county_row(c, context) for c in counties],
            "provinces": self._province_rows(counties, total_s, total_p, context),
            "deprivation": self._group_rows(counties, total_s, total_p, _deprived_key, DEPRIVED_KEYS),
            "size_class": self._group_rows(counties, total_s, total_p, lambda c: c["size_class"], SIZE_KEYS),
            "lorenz": self._lorenz(counties, total_s, total_p) if total_s else [],
            "ranking": ranking,
            "well_funded": well_funded,
        }
        return value, breakdowns

    @staticmethod
    def _county_row(c, context) -> dict:
        province = context.provinces[c["province_id"]]
        return {
            "key": c["sci_code"],
            "label_fa": c["name_fa"],
            "label_en": county_label_en(c),
            "code": c["sci_code"],
            "name_fa": c["name_fa"],
            "name_en": county_label_en(c),
            "province": province["iso_code"],
            "province_fa": province["name_fa"],
            "province_en": province["name_en"],
            "population": c["population"],
            "spending_rials": c["spending"],
            "per_capita_rials": _per_capita(c["spending"], c["population"]),
            "deprived": c["deprivation"] in DEPRIVED_STATUSES,
            "deprivation": c["deprivation"],
            "size_class": c["size_class"],
            "free_land_ha": c["land"],
            "idle_units": c["idle"],
            **(
                {
                    "planned_rials": c["planned"],
                    "capacity_rials": absorptive_capacity(c["planned"], c["spending"]),
                }
                if "planned" in c
                else {}
            ),
        }

    @staticmethod
    def _province_rows(counties, total_s, total_p, context) -> list[dict]:
        sums = defaultdict(lambda: [0, 0])
        for c in counties:
            sums[c["province_id"]][0] += c["population"]
            sums[c["province_id"]][1] += c["spending"]
        rows = []
        for province_id, (population, spent) in sorted(
            sums.items(), key=lambda item: context.provinces[item[0]]["sci_code"]
        ):
            province = context.provinces[province_id]
            rows.append(
                {
                    "key": province["iso_code"],
                    "label_fa": province["name_fa"],
                    "label_en": province["name_en"],
                    "population": population,
                    "spending_rials": spent,
                    "per_capita_rials": _per_capita(spent, population),
                    "spending_share": _share(spent, total_s),
                    "population_share": _share(population, total_p),
                }
            )
        return rows

    @staticmethod
    def _group_rows(counties, total_s, total_p, key_of, keys) -> list[dict]:
        rows = []
        for key, label_fa, label_en in keys():
            members = [c for c in counties if key_of(c) == key]
            population = sum(c["population"] for c in members)
            spent = sum(c["spending"] for c in members)
            rows.append(
                {
                    "key": key,
                    "label_fa": label_fa,
                    "label_en": label_en,
                    "counties": len(members),
                    "population": population,
                    "spending_rials": spent,
                    "per_capita_rials": _per_capita(spent, population),
                    "spending_share": _share(spent, total_s),
                    "population_share": _share(population, total_p),
                }
            )
        return rows

    @staticmethod
    def _lorenz(counties, total_s, total_p) -> list[dict]:
        """Cumulative population and spending shares, counties sorted by per capita (ties by code)."""
        ordered = by_per_capita([(c["population"], c["spending"], c["sci_code"], c) for c in counties])
        points, cum_p, cum_s = [], 0, 0
        for population, spent, _, c in ordered:
            cum_p += population
            cum_s += spent
            points.append(
                {
                    "key": c["sci_code"],
                    "label_fa": c["name_fa"],
                    "label_en": county_label_en(c),
                    "population_share": cum_p / total_p,
                    "spending_share": cum_s / total_s,
                }
            )
        return points

    @staticmethod
    def candidates(counties, total_s, total_p, all_sizes=False) -> tuple[list, list]:
        """(ranked, well funded): the counties with capacity (free serviced land or idle units at D),
        small ones only unless `all_sizes`; those spending more per person than μ = S/P of the counties
        in scope are set apart as "has capacity, already well funded" (compared exactly)."""
        with_capacity = [
            c
            for c in counties
            if (all_sizes or c["size_class"] == SizeClass.SMALL) and (c["land"] > 0 or c["idle"] > 0)
        ]
        # Sᵢ/Pᵢ > S/P  ⇔  Sᵢ·P > S·Pᵢ (populations are positive); nothing is above μ when S = 0.
        well_funded = [c for c in with_capacity if c["spending"] * total_p > total_s * c["population"]]
        ranked = [c for c in with_capacity if c["spending"] * total_p <= total_s * c["population"]]
        return ranked, well_funded

    @classmethod
    def _ranking(
        cls, counties, weights, context, total_s, total_p, all_sizes
    ) -> tuple[list[dict], list[dict]]:
        ranked, well_funded = cls.candidates(counties, total_s, total_p, all_sizes)
        apart = [cls._capacity_row(c, context) for c in sorted(well_funded, key=lambda c: c["sci_code"])]
        if not ranked:
            return [], apart
        # The measures, exactly: y = S/P, land and idle units per 10,000 people, population.
        exact_columns = [
            [Fraction(c["spending"], c["population"]) for c in ranked],
            [Fraction(c["land"]) * PER_PEOPLE / c["population"] for c in ranked],
            [Fraction(c["idle"] * PER_PEOPLE, c["population"]) for c in ranked],
            [Fraction(c["population"]) for c in ranked],
        ]
        w = [float(weight) for weight in weights]
        n = [_normalise_floats([float(x) for x in column]) for column in exact_columns]
        parts = [
            (w[0] * (1 - n[0][i]), w[1] * n[1][i], w[2] * n[2][i], w[3] * n[3][i]) for i in range(len(ranked))
        ]
        exact_n = []

        def exact(i):
            if not exact_n:  # only when two scores are too close for floats
                exact_n.extend(normalise(column) for column in exact_columns)
            y, land, idle, population = (column[i] for column in exact_n)
            return weights[0] * (1 - y) + weights[1] * land + weights[2] * idle + weights[3] * population

        order = rank_exactly(len(ranked), [sum(p) for p in parts], exact, [c["sci_code"] for c in ranked])
        rows = []
        for rank, i in enumerate(order, start=1):
            rows.append(
                {
                    **cls._capacity_row(ranked[i], context),
                    "rank": rank,
                    "score": sum(parts[i]),
                    "land_per_10k": float(exact_columns[1][i]),
                    "idle_per_10k": float(exact_columns[2][i]),
                    "n_per_capita": n[0][i],
                    "n_free_land": n[1][i],
                    "n_idle_units": n[2][i],
                    "n_population": n[3][i],
                    "part_under_served": parts[i][0],
                    "part_free_land": parts[i][1],
                    "part_idle_units": parts[i][2],
                    "part_population": parts[i][3],
                }
            )
        return rows, apart

    @staticmethod
    def _capacity_row(c, context) -> dict:
        province = context.provinces[c["province_id"]]
        return {
            "key": c["sci_code"],
            "label_fa": c["name_fa"],
            "label_en": county_label_en(c),
            "province": province["iso_code"],
            "province_fa": province["name_fa"],
            "province_en": province["name_en"],
            "per_capita_rials": _per_capita(c["spending"], c["population"]),
            "free_land_ha": c["land"],
            "idle_units": c["idle"],
            "population": c["population"],
            "deprived": c["deprivation"] in DEPRIVED_STATUSES,
            "deprivation": c["deprivation"],
            "size_class": c["size_class"],
        }


def _check_weights(weights) -> tuple[Fraction, ...]:
    values = tuple(weights)
    if len(values) != 4:
        raise ValueError(
            "regional balance takes four weights (per capita, free land, idle units, population)"
        )
    try:
        fractions = tuple(Fraction(str(w)) for w in values)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"weights must be numbers, not {values!r}") from None
    if any(w < 0 for w in fractions):
        raise ValueError("weights cannot be negative")
    return fractions


def _deprived_key(county) -> str:
    return DEPRIVED[county["deprivation"] in DEPRIVED_STATUSES][0]


def DEPRIVED_KEYS():  # noqa: N802 - a constant computed on demand
    return [DEPRIVED[True], DEPRIVED[False]]


def SIZE_KEYS():  # noqa: N802
    return [(value, *choice_labels(SizeClass, value)) for value in SizeClass.values]
