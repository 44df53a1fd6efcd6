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

from . import cache as figure_cache
from .approval import approval_of
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
from .models import MonthlyTally, series_key

__all__ = [
    "METRICS",
    "NATION",
    "Filters",
    "Metric",
    "MetricResult",
    "compute",
    "compute_all",
    "monthly_series",
    "monthly_table",
    "regional_balance_what_if",
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
            metric,
            metric.compute(period, scope, filters, context, **options),
            period,
            scope,
            filters,
            context,
        ),
    )


def _labelled(
    metric: Metric, result: MetricResult, period: Period, scope: Scope, filters: Filters, context: Context
):
    """A result carries its figure's names; the one rule of provisional labels: a figure that
    rests on less-developed status names the counties in scope whose status is only provisional;
    and its approval status (approval.py: approved, provisional or revised months)."""
    result.label_fa, result.label_en = metric.label_fa, metric.label_en
    if metric.depends_on_deprivation or filters.deprived_only:
        result.provisional_counties = context.provisional_counties(scope)
    result.approval = approval_of(metric, result, period, scope, filters, context)
    return result


def compute(
    name: str, period: Period, scope: Scope = NATION, filters: Filters | None = None, **options
) -> MetricResult:
    """One figure for the period (inclusive dates), scope and filters.

    Options: `weights=(w1, w2, w3, w4)` and `all_sizes=True` for regional_balance. Asked again with
    no write since, it comes from the figure cache (cache.py).
    """
    filters = filters or Filters()  # the default rate source read now, not at import
    get_metric(name)  # an unknown name fails before the cache is asked

    def fresh():
        return compute_in_context(name, period, scope, filters, Context(compute_in_context), **options)

    key = ("one", name, period, scope, filters, tuple(sorted(options.items())))
    return figure_cache.cached(key, lambda: {name: fresh()})[name]


def compute_all(
    period: Period, scope: Scope = NATION, filters: Filters | None = None
) -> dict[str, MetricResult]:
    """Every figure, in registry order, sharing intermediate results (idle units at D, rates)."""
    filters = filters or Filters()  # the default rate source read now, not at import

    def fresh():
        context = Context(compute_in_context)
        return {name: compute_in_context(name, period, scope, filters, context) for name in METRICS}

    return figure_cache.cached(("all", period, scope, filters), fresh)


def regional_balance_what_if(
    period: Period, scope: Scope, allocate, filters: Filters | None = None, **options
) -> tuple[MetricResult, MetricResult, dict[str, int]]:
    """The regional balance today and after adding rials to counties (DESIGN.md, "What-if allocation").

    `allocate(county_rows)` is given today's county rows (with their planned payments and
    absorptive capacity) and returns {county SCI code: rials added}. Both figures are computed by
    the same `RegionalBalance.summarise` (Gini, Theil and its split, the ranking) from the same
    county rows, the second with each county's spending raised by what it was given. Returns
    (today, after, added). Never cached: the after-figure is a scenario, not the register.
    """
    filters = filters or Filters()
    metric: RegionalBalance = METRICS["regional_balance"]
    context = Context(compute_in_context)
    counties, warnings = metric.county_inputs(period, scope, filters, context, capacity=True)

    def figure(rows):
        value, breakdowns = metric.summarise(rows, context, **options)
        return _labelled(
            metric,
            metric.result(value, breakdowns, period, scope, filters, list(warnings)),
            period,
            scope,
            filters,
            context,
        )

    today = figure(counties)
    added = {code: int(rials) for code, rials in allocate(today.breakdowns["counties"]).items() if rials}
    after = figure([{**c, "spending": c["spending"] + added.get(c["sci_code"], 0)} for c in counties])
    return today, after, added


# Figure → (date field of its records, how to aggregate a month's headline number).
SERIES = {
    "workshops_opened": ("opened_date", lambda: Count("*")),
    "units_revived": ("date", lambda: Count("unit_id", distinct=True)),
    "units_established": ("date", lambda: Count("*")),
    "estates_licensed": ("licence_date", lambda: Count("*")),
    "infrastructure_spending": ("date", lambda: Sum("amount_rials")),
    # The instalments owed that fall due in a month (rials): the land collection's dues.
    "land_collection": ("due_date", lambda: Sum("amount_rials")),
}


# Another number a monthly series can count besides the figure's headline: the jobs that revivals
# restored (a target's measure, "jobs restored", that is not a figure's headline), the land payments
# received in a month (beside the dues, the land collection's arrears to date: metrics/land.py).
SERIES_MEASURES = {
    ("units_revived", "jobs"): lambda: Sum("jobs"),
    ("land_collection", "received"): lambda: Sum("amount_rials"),
}
# A measure counted over other records than the figure's own: the figure's method that gives them
# for a period, scope and filters, and their date field.
SERIES_RECORDS = {("land_collection", "received"): ("received_records", "date")}


def series_records(name: str, measure: str | None, period: Period, scope: Scope, filters: Filters):
    """(records, date field, aggregate) of a monthly series: what its months count, in the period."""
    field, aggregate = SERIES[name]
    if measure is not None:
        aggregate = SERIES_MEASURES[(name, measure)]
    metric = get_metric(name)
    method, field = SERIES_RECORDS.get((name, measure), ("records", field))
    return getattr(metric, method)(period, scope, filters), field, aggregate()


def monthly_series(
    name: str, year: int, scope: Scope = NATION, filters: Filters | None = None
) -> list[tuple[int, int, int]]:
    """The headline number of each Solar Hijri month of a year: [(year, month, number)] × 12.

    Available for workshops_opened, units_revived (distinct units), units_established,
    estates_licensed, infrastructure_spending (rials) and land_collection (the instalments owed that
    fall due, rials). One grouped query (`monthly_table`).
    """
    numbers = monthly_table(name, year, year, scope, filters)[year]
    return [(year, month, number) for month, number in enumerate(numbers, start=1)]


def monthly_table(
    name: str,
    first_year: int,
    last_year: int,
    scope: Scope = NATION,
    filters: Filters | None = None,
    measure: str | None = None,
) -> dict[int, list[int]]:
    """Each year's twelve monthly numbers, first_year..last_year: {year: [month 1, …, month 12]}.

    The figure's headline (as `monthly_series`), or `measure` of SERIES_MEASURES ("jobs" of
    units_revived). Years before the current one come from the stored monthly tallies when they are
    current and no filter is asked (tallies.py); the rest from one grouped query over the records,
    each record's month found by comparing its date with the month starts. Distinct units are
    distinct within each month.
    """
    filters = filters or Filters()  # the default rate source read now, not at import
    if name not in SERIES:
        raise UnknownMetric(f"no monthly series for {name!r}; available: {', '.join(SERIES)}")
    table: dict[int, list[int]] = {}
    if filters.estate_kind is None and not filters.deprived_only:
        # Finished years from the stored monthly tallies when they are current (metrics/tallies.py).
        held = MonthlyTally.objects.held(series_key(name, measure), first_year, last_year, scope)
        if held is not None:
            table, first_year = held
    if first_year <= last_year:
        table.update(_counted_months(name, first_year, last_year, scope, filters, measure))
    return table


def _counted_months(name, first_year, last_year, scope, filters, measure) -> dict[int, list[int]]:
    """monthly_table counted from the records: one grouped query over all the years."""
    period = Period(year_bounds(first_year).start, year_bounds(last_year).end)
    records, field, aggregate = series_records(name, measure, period, scope, filters)
    years = range(first_year, last_year + 1)

    def months_of(year: int):
        # Records of month m have month_start(m) <= date < month_start(m + 1); index = year × 12 + m.
        base = (year - first_year) * 12
        return Case(
            *(
                When(**{f"{field}__lt": month_start(year, m + 1)}, then=Value(base + m - 1))
                for m in range(1, 12)
            ),
            default=Value(base + 11),
            output_field=IntegerField(),
        )

    # The year first, then its month: a record is compared with at most a dozen days of each.
    month_of = Case(
        *(When(**{f"{field}__lt": month_start(year + 1, 1)}, then=months_of(year)) for year in years[:-1]),
        default=months_of(last_year),
        output_field=IntegerField(),
    )
    grouped = dict(
        records.annotate(series_month=month_of)
        .values_list("series_month")
        .annotate(number=aggregate)
        .order_by()
    )
    return {
        year: [grouped.get((year - first_year) * 12 + month - 1) or 0 for month in range(1, 13)]
        for year in years
    }
