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

from django.db.models import Sum

from shahrak.estates.models import Estate, EstateStatus
from shahrak.projects.models import Disbursement
from shahrak.regions.models import DEPRIVED_STATUSES, SizeClass

from .base import county_label_en, where
from .definitions import Metric, idle_counts
from .labels import DEPRIVED, choice_labels

DEFAULT_WEIGHTS = (1, 1, 1, 1)
HECTARE = Decimal("0.01")


def round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def gini(groups: list[tuple[int, int]]) -> Fraction | None:
    """Population-weighted Gini of per-capita spending: ΣᵢΣⱼ pᵢpⱼ|yᵢ − yⱼ| ÷ 2μ.

    `groups` are (population Pᵢ > 0, spending Sᵢ) pairs. None when nothing was spent.
    Sorted by yᵢ, the double sum is 2 Σⱼ pⱼ (yⱼ Σ_{i<j} pᵢ − Σ_{i<j} pᵢyᵢ), so it is linear in n.
    """
    population = sum(p for p, _ in groups)
    spending = sum(s for _, s in groups)
    if not spending or not population:
        return None
    mean = Fraction(spending, population)
    half_sum, below_p, below_py = Fraction(0), Fraction(0), Fraction(0)
    for p_count, s in sorted(groups, key=lambda group: Fraction(group[1], group[0])):
        share, per_capita = Fraction(p_count, population), Fraction(s, p_count)
        half_sum += share * (per_capita * below_p - below_py)
        below_p += share
        below_py += share * per_capita
    return half_sum / mean


def theil_term(spending_share: Fraction, population_share: Fraction) -> float:
    """s ln(s/p), with the term 0 when s = 0."""
    if spending_share == 0:
        return 0.0
    return float(spending_share) * math.log(spending_share / population_share)


def theil(groups: list[tuple[int, int, str]]) -> tuple[float, float, float] | None:
    """Theil T = Σ sᵢ ln(sᵢ/pᵢ) over (population, spending, region) triples, with its split.

    Returns (total, between regions, within regions); between = Σ_g s_g ln(s_g/p_g) over the
    regions g, and within = total − between (which equals Σ_g s_g T_g). None when nothing was spent.
    """
    population = sum(p for p, _, _ in groups)
    spending = sum(s for _, s, _ in groups)
    if not spending or not population:
        return None
    total = math.fsum(theil_term(Fraction(s, spending), Fraction(p, population)) for p, s, _ in groups)
    by_region = defaultdict(lambda: [0, 0])
    for p, s, region in groups:
        by_region[region][0] += p
        by_region[region][1] += s
    between = math.fsum(
        theil_term(Fraction(s, spending), Fraction(p, population)) for p, s in by_region.values()
    )
    return total, between, total - between


def normalise(values: list[Fraction]) -> list[Fraction]:
    """n(x) = (x − min)/(max − min); 0 for all when they are all equal."""
    low, high = min(values), max(values)
    if high == low:
        return [Fraction(0)] * len(values)
    return [(value - low) / (high - low) for value in values]


def _share(part: int, whole: int) -> float | None:
    return float(Fraction(part, whole)) if whole else None


def _per_capita(spending: int, population: int | None) -> int | None:
    return round_half_up(Fraction(spending, population)) if population else None


class RegionalBalance(Metric):
    """Spending per capita by province and county over the counties in scope (those with no spending
    included; counties without a census population are left out); the shares of deprived counties
    and of each county size class; the population-weighted Gini coefficient and the Theil T index
    with its between-province / within-province split (all empty when nothing was spent); and the
    counties that have capacity (free serviced land in their operational estates, or idle units at
    the end of the period) ranked by score = w₁(1 − n(y)) + w₂n(land) + w₃n(idle) + w₄n(population),
    n(x) = (x − min)/(max − min) over those counties, highest first, ties by county code."""

    name = "regional_balance"
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

    def compute(self, period, scope, filters, context, weights=DEFAULT_WEIGHTS, **options):
        weights = _check_weights(weights)
        spending = dict(
            self.records(period, scope, filters)
            .values_list("project__estate__county_id")
            .annotate(rials=Sum("amount_rials"))
            .order_by()
        )
        land = {
            row["county_id"]: (Decimal(row["industrial"] or 0) - Decimal(row["allocated"] or 0)).quantize(
                HECTARE
            )
            for row in Estate.objects.filter(
                where(Estate, scope, filters),
                status=EstateStatus.OPERATIONAL,
                operational_date__lte=period.end,
            )
            .values("county_id")
            .annotate(industrial=Sum("industrial_area_ha"), allocated=Sum("allocated_area_ha"))
            .order_by()
        }
        idle = defaultdict(int)
        for row in idle_counts(context, period.end, scope, filters):
            idle[row["unit__county_id"]] += row["count"]

        warnings = []
        counties = []
        for county in self.counties_in_scope(scope, filters, context):
            spent = spending.get(county["id"], 0)
            if not county["population"]:
                if spent:
                    warnings.append(
                        f"county {county['sci_code']} has spending but no census population: left out of the balance"
                    )
                continue
            counties.append(
                {
                    **county,
                    "spending": spent,
                    "land": land.get(county["id"], Decimal("0.00")),
                    "idle": idle[county["id"]],
                }
            )

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
        }
        breakdowns = {
            "counties": [self._county_row(c, context) for c in counties],
            "provinces": self._province_rows(counties, total_s, total_p, context),
            "deprivation": self._group_rows(counties, total_s, total_p, _deprived_key, DEPRIVED_KEYS),
            "size_class": self._group_rows(counties, total_s, total_p, lambda c: c["size_class"], SIZE_KEYS),
            "lorenz": self._lorenz(counties, total_s, total_p) if total_s else [],
            "ranking": self._ranking(counties, weights, context),
        }
        return self.result(value, breakdowns, period, scope, filters, warnings)

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
        ordered = sorted(counties, key=lambda c: (Fraction(c["spending"], c["population"]), c["sci_code"]))
        points, cum_p, cum_s = [], 0, 0
        for c in ordered:
            cum_p += c["population"]
            cum_s += c["spending"]
            points.append(
                {
                    "key": c["sci_code"],
                    "label_fa": c["name_fa"],
                    "label_en": county_label_en(c),
                    "population_share": float(Fraction(cum_p, total_p)),
                    "spending_share": float(Fraction(cum_s, total_s)),
                }
            )
        return points

    @staticmethod
    def _ranking(counties, weights, context) -> list[dict]:
        candidates = [c for c in counties if c["land"] > 0 or c["idle"] > 0]
        if not candidates:
            return []
        per_capita = normalise([Fraction(c["spending"], c["population"]) for c in candidates])
        land = normalise([Fraction(c["land"]) for c in candidates])
        idle = normalise([Fraction(c["idle"]) for c in candidates])
        population = normalise([Fraction(c["population"]) for c in candidates])
        w1, w2, w3, w4 = weights
        scored = []
        for i, c in enumerate(candidates):
            parts = (w1 * (1 - per_capita[i]), w2 * land[i], w3 * idle[i], w4 * population[i])
            scored.append((sum(parts), c, i, parts))
        scored.sort(key=lambda item: (-item[0], item[1]["sci_code"]))
        rows = []
        for rank, (score, c, i, parts) in enumerate(scored, start=1):
            province = context.provinces[c["province_id"]]
            rows.append(
                {
                    "key": c["sci_code"],
                    "label_fa": c["name_fa"],
                    "label_en": county_label_en(c),
                    "rank": rank,
                    "score": float(score),
                    "province": province["iso_code"],
                    "province_fa": province["name_fa"],
                    "province_en": province["name_en"],
                    "per_capita_rials": _per_capita(c["spending"], c["population"]),
                    "free_land_ha": c["land"],
                    "idle_units": c["idle"],
                    "population": c["population"],
                    "n_per_capita": float(per_capita[i]),
                    "n_free_land": float(land[i]),
                    "n_idle_units": float(idle[i]),
                    "n_population": float(population[i]),
                    "part_under_served": float(parts[0]),
                    "part_free_land": float(parts[1]),
                    "part_idle_units": float(parts[2]),
                    "part_population": float(parts[3]),
                    "deprived": c["deprivation"] in DEPRIVED_STATUSES,
                    "size_class": c["size_class"],
                }
            )
        return rows


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
