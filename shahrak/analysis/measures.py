"""What each claim metric reads from the metrics engine: the figure, which of its numbers, in which units."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from shahrak.estates.scope import Scope, UnknownScope, parse_scope
from shahrak.metrics.base import MetricResult
from shahrak.regions.models import SizeClass
from shahrak.targets.models import TargetMetric

from .choices import RIALS_PER_UNIT, ClaimUnit

MONEY_RIAL_UNITS = tuple(RIALS_PER_UNIT)
RIAL_OR_USD = (*MONEY_RIAL_UNITS, ClaimUnit.USD)
COUNTS = (ClaimUnit.COUNT,)


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _share(
    rows: list[dict], keys: Iterable[str], part: str, whole: Callable[[list[dict]], int]
) -> Decimal | None:
    total = whole(rows)
    if not total:
        return None
    return Decimal(sum(row[part] or 0 for row in rows if row["key"] in keys)) / Decimal(total)


@dataclass(frozen=True)
class Measure:
    """One number of one engine figure: `read(result, usd)` gives it (rials, dollars, a count or a ratio)."""

    figure: str
    units: tuple[str, ...]
    read: Callable[[MetricResult, bool], object]
    # The target metric a claim "about the target" reads from target_progress; None if none.
    target_metric: str | None = None
    # Whether the figure adds up over time (a longer period cannot count fewer).
    flow: bool = True


def _money(rials_key: str, usd_key: str):
    return lambda result, usd: result.value[usd_key if usd else rials_key]


MEASURES: dict[str, Measure] = {
    "workshops_opened": Measure(
        "workshops_opened", COUNTS, lambda r, usd: r.value, TargetMetric.WORKSHOPS_OPENED
    ),
    "estates_in_deprived_areas": Measure(
        "estates_in_deprived_areas", COUNTS, lambda r, usd: r.value, flow=False
    ),
    "estates_licensed": Measure(
        "estates_licensed", COUNTS, lambda r, usd: r.value, TargetMetric.ESTATES_LICENSED
    ),
    "infrastructure_spending": Measure(
        "infrastructure_spending",
        RIAL_OR_USD,
        _money("rials", "usd_at_period_end"),
        TargetMetric.INFRASTRUCTURE_SPENDING,
    ),  # fmt: skip
    "projects_underway": Measure("projects_underway", COUNTS, lambda r, usd: r.value["count"], flow=False),
    "projects_underway_credit": Measure(
        "projects_underway", RIAL_OR_USD, _money("credit_rials", "credit_usd_at_period_end"), flow=False
    ),
    "planned_spending": Measure("planned_spending", RIAL_OR_USD, _money("rials", "usd_at_period_end")),
    "units_revived": Measure(
        "units_revived", COUNTS, lambda r, usd: r.value["units"], TargetMetric.UNITS_REVIVED
    ),
    "jobs_restored": Measure(
        "units_revived",
        (ClaimUnit.JOBS, ClaimUnit.COUNT),
        lambda r, usd: r.value["jobs"],
        TargetMetric.JOBS_RESTORED,
    ),  # fmt: skip
    "units_established": Measure(
        "units_established", COUNTS, lambda r, usd: r.value, TargetMetric.UNITS_ESTABLISHED
    ),
    "idle_units": Measure("idle_units", COUNTS, lambda r, usd: r.value, flow=False),
    "knowledge_based_share": Measure(
        "units_established",
        (ClaimUnit.PERCENT,),
        lambda r, usd: _share(
            r.breakdowns["knowledge_based"],
            ("knowledge_based",),
            "count",
            lambda rows: sum(row["count"] for row in rows),
        ),
        flow=False,
    ),  # fmt: skip
    "big_cities_spending_share": Measure(
        "regional_balance",
        (ClaimUnit.PERCENT,),
        lambda r, usd: _share(
            r.breakdowns["size_class"],
            (SizeClass.METROPOLIS, SizeClass.BIG),
            "spending_rials",
            lambda rows: sum(row["spending_rials"] for row in rows),
        ),
        flow=False,
    ),  # fmt: skip
}


def scope_of(code: str) -> Scope:
    """The engine's scope of a claim's scope code; ValueError naming the code if there is none."""
    try:
        return parse_scope(code)
    except UnknownScope as error:
        raise ValueError(str(error)) from None
