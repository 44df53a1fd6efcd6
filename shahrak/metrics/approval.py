"""Whether a figure rests on approved months: the one place its approval status is worked out
(DESIGN.md, "Monthly returns, approval and period lock"). The engine attaches it to every figure
(`MetricResult.approval`); the web, the API, the CLI and the bulletin only show it.

A figure covers the province-months of its scope (the nation: every province; a province: itself;
a county or an estate: its province) in every Solar Hijri month its period touches. Its status is

- `approved`: every covered province-month's return is approved and none has changed since it
  was first published;
- `provisional`: some covered province-month is not approved (n of m approved);
- `revised`: some covered province-month was approved and its figure now differs from the one
  first published (it was reopened and changed, whether approved again since or not). Revised
  wins over provisional: the counts of approved and total province-months are given either way.

A province-month's figures are stored when its return is approved (shahrak/returns/published.py)
as the headlines of COMPARED below, computed for the province and the month without filters. The
current figure of a revisable province-month is its latest approval's when it is approved again
(the month is locked since), else it is computed now. For a revised figure, the published value
beside the current one is: for the figures that add up over months (ADDITIVE), the current value
plus each revised province-month's published-minus-current difference; for a figure at the
period's end (AT_END), the same over the revised province-months of the period's last month when
the period ends on that month's last day. It is given for the nation and a province without
estate-kind or deprived filters (the stored figures are whole provinces, unfiltered); elsewhere
the revised province-months are listed with their own published and current values only.
A figure not named in COMPARED (a new one) is approved or provisional by its months alone.
Distinct revived units may count a unit revived in two months of a period twice in the difference.
"""

from collections.abc import Callable

from shahrak.core import jalali
from shahrak.estates.models import Estate
from shahrak.regions.models import County
from shahrak.regions.scope import Scope
from shahrak.returns.published import coverage, months_of

from .base import Context, Filters, MetricResult

APPROVED, PROVISIONAL, REVISED = "approved", "provisional", "revised"

# Figure → the fields of its value that are stored and compared (None: the value is one number).
ADDITIVE = {
    "workshops_opened": None,
    "estates_licensed": None,
    "units_established": None,
    "units_revived": ("units", "events", "jobs"),
    "infrastructure_spending": ("rials",),
    "planned_spending": ("rials",),
}
AT_END = {
    "estates_in_deprived_areas": None,
    "projects_underway": ("count", "credit_rials"),
    "idle_units": None,
}
COMPARED = {**ADDITIVE, **AT_END}


def headline(name: str, value):
    """The compared part of a figure's value: one number, or a dict of the named numbers."""
    fields = COMPARED[name]
    if fields is None:
        return value
    return {key: value[key] for key in fields}


def _add(name: str, value, delta):
    if COMPARED[name] is None:
        return value + delta
    return {key: value[key] + delta[key] for key in value}


def _minus(name: str, published, current):
    if COMPARED[name] is None:
        return published - current
    return {key: published[key] - current[key] for key in published}


def province_scope(province: dict) -> Scope:
    return Scope("province", province["iso_code"], province["id"], province["name_fa"], province["name_en"])


def month_figures(metrics: dict, compute_figure: Callable, province, year: int, month: int) -> dict:
    """The figures of a province-month now, as stored on approval: {name: headline}.

    Registered with the returns app (shahrak/metrics/apps.py), which calls it from its approve action.
    """
    period = jalali.month_bounds(year, month)
    scope = Scope("province", province.iso_code, province.pk, province.name_fa, province.name_en)
    context = Context(compute_figure)
    filters = Filters()
    return {
        name: headline(name, metrics[name].compute(period, scope, filters, context).value)
        for name in COMPARED
        if name in metrics
    }


def _provinces(scope: Scope, context: Context):
    """The provinces whose months the scope covers, as `coverage` takes them, and how many."""
    if scope.level == "nation":
        return None, len(context.provinces)
    if scope.level == "province":
        return [scope.pk], 1
    if scope.level == "county":
        return County.objects.filter(pk=scope.pk).values("province_id"), 1
    return Estate.objects.filter(pk=scope.pk).values("county__province_id"), 1


def _coverage(period: jalali.Period, scope: Scope, context: Context):
    return context.once(
        ("approval", period.start, period.end, scope),
        lambda: coverage(months_of(period), *_provinces(scope, context)),
    )


def _current(metric, revisable, context: Context, filters: Filters):
    """The figure of a revisable province-month as it stands now."""
    if revisable.approved_now and metric.name in revisable.latest:
        return revisable.latest[metric.name]
    province = context.provinces[revisable.province_id]
    period = jalali.month_bounds(revisable.year, revisable.month)
    key = ("approval-now", metric.name, revisable.province_id, revisable.year, revisable.month)
    return context.once(
        key,
        lambda: headline(
            metric.name,
            metric.compute(
                period, province_scope(province), Filters(rate_source=filters.rate_source), context
            ).value,
        ),
    )


def approval_of(
    metric, result: MetricResult, period: jalali.Period, scope: Scope, filters: Filters, context: Context
) -> dict:
    """The figure's approval: {"status", "approved", "total", "revised_months", "published_value",
    "current_value"} (the last two only for a revised figure where they can be given, else None)."""
    covered = _coverage(period, scope, context)
    revised = []
    if metric.name in COMPARED:
        for item in covered.revisable:
            if metric.name not in item.first:
                continue  # published before this figure was stored
            published, current = item.first[metric.name], _current(metric, item, context, filters)
            if published != current:
                revised.append((item, published, current))
    if revised:
        status = REVISED
    elif covered.all_approved:
        status = APPROVED
    else:
        status = PROVISIONAL
    published_value = current_value = None
    whole = scope.level in ("nation", "province") and not filters.estate_kind and not filters.deprived_only
    if revised and whole:
        current_value = headline(metric.name, result.value)
        counted = revised
        if metric.name in AT_END:
            last = jalali.jalali_parts(period.end)[:2]
            ends_month = jalali.month_bounds(*last).end == period.end
            counted = [r for r in revised if (r[0].year, r[0].month) == last] if ends_month else []
        if counted or metric.name in ADDITIVE:
            published_value = current_value
            for _item, published, current in counted:
                published_value = _add(metric.name, published_value, _minus(metric.name, published, current))
    return {
        "status": status,
        "approved": covered.approved,
        "total": covered.total,
        "revised_months": [
            {
                "province": context.provinces[item.province_id]["iso_code"],
                "month": item.label,
                "published": published,
                "current": current,
            }
            for item, published, current in revised
        ],
        "published_value": published_value,
        "current_value": current_value,
    }
