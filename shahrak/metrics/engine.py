"""The metrics engine: every figure of Shahrak, by name, for a period, a scope and filters.

The web pages, the API, the CLI and the bulletin all call `compute` / `compute_all`, so a number
is the same everywhere. Each figure is defined once (definitions.py, balance.py) and registered
here in the order the article tells them.

    compute("workshops_opened", months_of_year(1401, 1, 9), parse_scope("IR-23"))
    compute("regional_balance", year_bounds(1401), weights=(2, 1, 1, 1))
"""

from django.db.models import Case, Count, IntegerField, Sum, Value, When

from shahrak.core.jalali import Period, month_start, year_bounds
from shahrak.regions.scope import NATION, Scope

from .balance import RegionalBalance
from .base import Context, Filters, MetricResult
from .definitions import (
    EstatesInDeprivedAreas,
    EstatesLicensed,
    IdleUnits,
    InfrastructureSpending,
    Metric,
    PlannedSpending,
    ProjectsUnderway,
    TargetProgress,
    UnitsEstablished,
    UnitsRevived,
    WorkshopsOpened,
)
from .land import LAND_METRICS

__all__ = [
    "METRICS",
    "NATION",
    "Filters",
    "Metric",
    "MetricResult",
    "compute",
    "compute_all",
    "monthly_series",
]

METRICS: dict[str, Metric] = {
    metric.name: metric
    for metric in (
        WorkshopsOpened(),
        EstatesInDeprivedAreas(),
        EstatesLicensed(),
        InfrastructureSpending(),
        ProjectsUnderway(),
        PlannedSpending(),
        UnitsRevived(),
        UnitsEstablished(),
        IdleUnits(),
        TargetProgress(),
        RegionalBalance(),
    )
}
# Land and workshops (metrics/land.py), after the article's eleven.
METRICS.update({metric.name: metric for metric in LAND_METRICS})


class UnknownMetric(KeyError):
    pass


def get_metric(name: str) -> Metric:
    try:
        return METRICS[name]
    except KeyError:
        raise UnknownMetric(f"no figure is called {name!r}; the figures are {', '.join(METRICS)}") from None


def compute_in_context(
    name: str, period: Period, scope: Scope, filters: Filters, context: Context, **options
):
    """One figure, memoised in the context (so target progress reuses the figures already computed)."""
    metric = get_metric(name)
    key = ("metric", name, period.start, period.end, scope, filters, tuple(sorted(options.items())))
    return context.once(
        key,
        lambda: _labelled(
            metric, metric.compute(period, scope, filters, context, **options), scope, filters, context
        ),
    )


def _labelled(metric: Metric, result: MetricResult, scope: Scope, filters: Filters, context: Context):
    """A result carries its figure's names; and the one rule of provisional labels: a figure that
    rests on less-developed status names the counties in scope whose status is only provisional."""
    result.label_fa, result.label_en = metric.label_fa, metric.label_en
    if metric.depends_on_deprivation or filters.deprived_only:
        result.provisional_counties = context.provisional_counties(scope)
    return result


def compute(
    name: str, period: Period, scope: Scope = NATION, filters: Filters | None = None, **options
) -> MetricResult:
    """One figure for the period (inclusive dates), scope and filters.

    Options: `weights=(w1, w2, w3, w4)` and `all_sizes=True` for regional_balance.
    """
    filters = filters or Filters()  # the default rate source read now, not at import
    return compute_in_context(name, period, scope, filters, Context(compute_in_context), **options)


def compute_all(
    period: Period, scope: Scope = NATION, filters: Filters | None = None
) -> dict[str, MetricResult]:
    """Every figure, in registry order, sharing intermediate results (idle units at D, rates)."""
    filters = filters or Filters()  # the default rate source read now, not at import
    context = Context(compute_in_context)
    return {name: compute_in_context(name, period, scope, filters, context) for name in METRICS}


# Figure → (date field of its records, how to aggregate a month's headline number).
SERIES = {
    "workshops_opened": ("opened_date", lambda: Count("*")),
    "units_revived": ("date", lambda: Count("unit_id", distinct=True)),
    "units_established": ("date", lambda: Count("*")),
    "estates_licensed": ("licence_date", lambda: Count("*")),
    "infrastructure_spending": ("date", lambda: Sum("amount_rials")),
}


def monthly_series(
    name: str, year: int, scope: Scope = NATION, filters: Filters | None = None
) -> list[tuple[int, int, int]]:
    """The headline number of each Solar Hijri month of a year: [(year, month, number)] × 12.

    Available for workshops_opened, units_revived (distinct units), units_established,
    estates_licensed and infrastructure_spending (rials). One grouped query: each record's month
    is found by comparing its date with the twelve month starts.
    """
    filters = filters or Filters()  # the default rate source read now, not at import
    if name not in SERIES:
        raise UnknownMetric(f"no monthly series for {name!r}; available: {', '.join(SERIES)}")
    field, aggregate = SERIES[name]
    period = year_bounds(year)
    # Records of month m have month_start(m) <= date < month_start(m + 1); the year's dates only.
    month_of = Case(
        *(
            When(**{f"{field}__lt": month_start(year, month + 1)}, then=Value(month))
            for month in range(1, 12)
        ),
        default=Value(12),
        output_field=IntegerField(),
    )
    records = get_metric(name).records(period, scope, filters)
    grouped = dict(
        records.annotate(series_month=month_of)
        .values_list("series_month")
        .annotate(number=aggregate())
        .order_by()
    )
    return [(year, month, grouped.get(month) or 0) for month in range(1, 13)]
