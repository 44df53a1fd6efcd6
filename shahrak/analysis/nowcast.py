"""The year-end nowcast (DESIGN.md, "Analysts' tools"): for each target of a year, the projected
year total from the months so far, with an 80% range, and whether the target is on track.

Method. The months so far are the Solar Hijri months of the year that have ended on the as-of day
(k of them; a month still running is left to the simulation). Their monthly numbers, and those of
the past years of the data, come from the metrics engine (`engine.monthly_table`, the numbers the
trend chart shows): the target's figure, in the target's scope, with no filters.

For each past year j whose first k months counted something, the same remaining months (k+1..12)
scaled to this year's pace give S · ρⱼ, where S is this year's total of its first k months and
ρⱼ = (year j's months k+1..12) ÷ (year j's months 1..k). 1,000 paths are drawn with a fixed seed:
each takes one past year at random and adds a normal jitter of h = sd(ρ) · √(2/n) (n past years),
so that its spread is the spread of a new year, not only of the n years seen (a smoothed
bootstrap; with many years h → 0 and the paths are the past years themselves). A path's total is
S + S · max(ρⱼ + h·z, 0). The projection is the paths' median, the range their 10th and 90th
percentiles. When this year has counted nothing yet (S = 0) its pace cannot be read: the past
years' remaining months are taken as they were (pace 1). Fewer than two usable past years give no
projection. When all twelve months have ended, the projection is the year's total, exactly.

Status: "on track" when the range's low end reaches the target (nine paths in ten meet it),
"off track" when its high end is below the target (nine in ten miss it), "at risk" otherwise.

Back-test: each past year that has two usable years before it is projected as of the end of each
of its months 1..11 from the years before it only, and the share of those projections whose range
holds the year's actual total is the coverage (80% if the range is honest).

The months' numbers count units revived as distinct units within each month, so a unit revived in
two months of a year counts twice in their sum. When the as-of day ends a month, the target's own
figure to that day (distinct over the whole stretch, as target_progress gives it) stands for the
months so far, and the paths are moved by the difference; the back-test, which compares months with
months, keeps the sums.
"""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.core import jalali
from shahrak.core.jalali import Period
from shahrak.core.money import round_half_up
from shahrak.metrics import engine
from shahrak.metrics.definitions import TARGET_MEASURES
from shahrak.regions.scope import NATION, Scope
from shahrak.targets.models import Target, TargetMetric

PATHS = 1000
SEED = 1401
LOW, HIGH = 0.10, 0.90
# How far back the past years are read; years before the first with any record are not "of the data".
HISTORY_YEARS = 10
MIN_PAST_YEARS = 2


class Status:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


STATUS_LABELS = {
    Status.ON_TRACK: _("on track"),
    Status.AT_RISK: _("at risk"),
    Status.OFF_TRACK: _("off track"),
}


# Target metric → (monthly series of the engine, its measure).
SERIES = {
    TargetMetric.WORKSHOPS_OPENED: ("workshops_opened", None),
    TargetMetric.UNITS_REVIVED: ("units_revived", None),
    TargetMetric.JOBS_RESTORED: ("units_revived", "jobs"),
    TargetMetric.UNITS_ESTABLISHED: ("units_established", None),
    TargetMetric.ESTATES_LICENSED: ("estates_licensed", None),
    TargetMetric.INFRASTRUCTURE_SPENDING: ("infrastructure_spending", None),
}


@dataclass
class Projection:
    """A year's projected total: median and 80% range of the paths, from `months` months observed."""

    months: int
    observed: int
    median: int
    low: int
    high: int
    past_years: int
    paced: bool  # False when this year had counted nothing, so the past years were taken as they were
    totals: np.ndarray = field(repr=False)

    def chance(self, target: int) -> float:
        """The share of paths that reach the target."""
        return float(np.mean(self.totals >= target))

    def status(self, target: int) -> str:
        if self.low >= target:
            return Status.ON_TRACK
        if self.high < target:
            return Status.OFF_TRACK
        return Status.AT_RISK

    def covers(self, actual: int) -> bool:
        return self.low <= actual <= self.high

    def settled(self, achieved: int) -> "Projection":
        """The same paths from the target's own figure so far instead of the sum of its months (they
        differ for units revived in two months of the year, counted once by the figure)."""
        shift = achieved - self.observed
        return Projection(
            self.months, achieved, self.median + shift, self.low + shift, self.high + shift,
            self.past_years, self.paced, self.totals + shift,
        )  # fmt: skip


def _whole(number: float) -> int:
    return int(round_half_up(number))


def project(
    past: list[list[int]], so_far: list[int], seed: int = SEED, paths: int = PATHS
) -> Projection | None:
    """The year's projection from its first len(so_far) months and the twelve months of past years.

    None when fewer than MIN_PAST_YEARS past years can be scaled to this year's pace.
    """
    k = len(so_far)
    observed = sum(so_far)
    if k >= 12:
        totals = np.full(paths, float(observed))
        return Projection(12, observed, observed, observed, observed, len(past), True, totals)
    history = np.asarray(past, dtype=float).reshape(-1, 12)
    before, after = history[:, :k].sum(axis=1), history[:, k:].sum(axis=1)
    paced = observed > 0
    if paced:
        usable = before > 0
        remaining = observed * (after[usable] / before[usable])
    else:
        remaining = after
    n = len(remaining)
    if n < MIN_PAST_YEARS:
        return None
    rng = np.random.default_rng(seed)
    jitter = remaining.std(ddof=1) * np.sqrt(2 / n)
    drawn = remaining[rng.integers(0, n, paths)] + jitter * rng.standard_normal(paths)
    totals = observed + np.maximum(drawn, 0)
    low, median, high = np.quantile(totals, [LOW, 0.5, HIGH])
    return Projection(k, observed, _whole(median), _whole(low), _whole(high), n, paced, totals)


def data_years(table: dict[int, list[int]], before: int) -> list[int]:
    """The past years of the data: those before `before`, from the first with any record on."""
    years = sorted(year for year in table if year < before)
    while years and not any(table[years[0]]):
        years.pop(0)
    return years


@dataclass
class Backtest:
    trials: list[dict]

    @property
    def covered(self) -> int:
        return sum(1 for trial in self.trials if trial["covered"])

    @property
    def coverage(self) -> float | None:
        return self.covered / len(self.trials) if self.trials else None

    def as_dict(self, with_trials: bool = True) -> dict:
        data = {
            "trials": len(self.trials),
            "covered": self.covered,
            "coverage": None if self.coverage is None else round(self.coverage, 4),
            "years": sorted({trial["year"] for trial in self.trials}),
        }
        if with_trials:
            data["projections"] = self.trials
        return data


def backtest(table: dict[int, list[int]], before: int) -> Backtest:
    """Each past year projected as of the end of each month 1..11 from the years before it."""
    years = data_years(table, before)
    trials = []
    for index, year in enumerate(years):
        past = [table[y] for y in years[:index]]
        actual = sum(table[year])
        for k in range(1, 12):
            projection = project(past, table[year][:k])
            if projection is None:
                continue
            trials.append(
                {
                    "year": year,
                    "months": k,
                    "low": projection.low,
                    "projected": projection.median,
                    "high": projection.high,
                    "actual": actual,
                    "covered": projection.covers(actual),
                }
            )
    return Backtest(trials)


def months_ended(year: int, as_of: dt.date) -> int:
    """How many months of the year have ended on the as-of day (0 to 12)."""
    return sum(1 for month in range(1, 13) if jalali.month_bounds(year, month).end <= as_of)


def ends_month(year: int, months: int, as_of: dt.date) -> bool:
    """Whether the day is the last of the year's months so far, so that a figure to it covers them exactly."""
    if months == 0:
        return False
    return as_of == jalali.month_bounds(year, months).end or (
        months == 12 and as_of >= jalali.year_bounds(year).end
    )


def achieved_to(target: Target, scope: Scope, as_of: dt.date) -> int | None:
    """The target's figure from its start to the day (or its end if earlier), as target_progress reads it."""
    if as_of < target.start_date:
        return None
    figure, read = TARGET_MEASURES[target.metric]
    cut = Period(target.start_date, min(target.end_date, as_of))
    return read(engine.compute(figure, cut, scope).value)


def province_scope(province) -> Scope:
    return Scope("province", province.iso_code, province.pk, province.name_fa, province.name_en)


@dataclass
class TargetNowcast:
    """One target's nowcast: its projection (None without enough past years), status and back-test."""

    target_pk: int | None
    metric: str
    year: int
    scope: Scope
    value: int
    as_of: dt.date
    projection: Projection | None
    backtest: Backtest | None = None

    @property
    def status(self) -> str | None:
        return self.projection.status(self.value) if self.projection else None

    def as_dict(self, with_trials: bool = True) -> dict:
        p = self.projection
        return {
            "target": self.target_pk,
            "metric": self.metric,
            "year": self.year,
            "scope": self.scope.as_dict(),
            "target_value": self.value,
            "as_of": self.as_of.isoformat(),
            "as_of_jalali": jalali.format_jalali(self.as_of, sep="-"),
            "months_observed": months_ended(self.year, self.as_of),
            "observed": p.observed if p else None,
            "projected": p.median if p else None,
            "low": p.low if p else None,
            "high": p.high if p else None,
            "range": [LOW, HIGH],
            "chance_of_meeting": round(p.chance(self.value), 4) if p else None,
            "past_years": p.past_years if p else None,
            "paced": p.paced if p else None,
            "status": self.status,
            "backtest": self.backtest.as_dict(with_trials) if self.backtest else None,
        }


class Nowcaster:
    """Nowcasts sharing the engine's monthly tables: one query per (series, measure, scope)."""

    def __init__(self, year: int):
        self.year = year
        self.tables: dict = {}

    def table(self, metric: str, scope: Scope) -> dict[int, list[int]]:
        name, measure = SERIES[metric]
        key = (name, measure, scope)
        if key not in self.tables:
            self.tables[key] = engine.monthly_table(
                name, self.year - HISTORY_YEARS, self.year, scope, measure=measure
            )
        return self.tables[key]

    def nowcast(
        self,
        metric: str,
        scope: Scope,
        value: int,
        as_of: dt.date,
        *,
        achieved: int | None = None,
        target_pk=None,
        with_backtest=False,
    ) -> TargetNowcast:
        """The target's nowcast; `achieved`, the target's figure from its start to the as-of day (as
        target_progress gives it), replaces the sum of the months so far when the day ends a month."""
        table = self.table(metric, scope)
        k = months_ended(self.year, as_of)
        past = [table[y] for y in data_years(table, self.year)]
        projection = project(past, table[self.year][:k])
        if projection is not None and achieved is not None and ends_month(self.year, k, as_of):
            projection = projection.settled(achieved)
        tested = backtest(table, self.year) if with_backtest else None
        return TargetNowcast(target_pk, metric, self.year, scope, value, as_of, projection, tested)


def year_targets(year: int):
    """The targets set for the whole Iranian year, national first, then by province code."""
    bounds = jalali.year_bounds(year)
    return (
        Target.objects.filter(start_date=bounds.start, end_date=bounds.end)
        .select_related("province")
        .order_by(F("province__sci_code").asc(nulls_first=True), "metric", "pk")
    )


def nowcast_year(
    year: int, as_of: dt.date | None = None, *, with_backtest: bool = True
) -> list[TargetNowcast]:
    """Every target of the year (national and each province's) projected as of the day (default today)."""
    as_of = as_of or timezone.localdate()
    nowcaster = Nowcaster(year)
    results = []
    for target in year_targets(year):
        scope = province_scope(target.province) if target.province_id else NATION
        results.append(
            nowcaster.nowcast(
                target.metric,
                scope,
                target.value,
                as_of,
                achieved=achieved_to(target, scope, as_of),
                target_pk=target.pk,
                with_backtest=with_backtest,
            )
        )
    return results


def nowcast_rows(rows: list[dict], scope: Scope, as_of: dt.date) -> dict[str, TargetNowcast]:
    """The nowcasts of target_progress rows (the dashboard's targets) by the row's key, as of the day
    or the target's end if earlier; only targets set for a whole Iranian year. One query per figure."""
    nowcasters: dict[int, Nowcaster] = {}
    found = {}
    for row in rows:
        year = row.get("year")
        if not year or Period(row["start"], row["end"]) != jalali.year_bounds(year):
            continue
        nowcaster = nowcasters.setdefault(year, Nowcaster(year))
        day = min(as_of, row["end"])
        # The row's achievement counts to its own day (the period's end): usable when that is the day
        achieved = row["achieved"] if row.get("measured_to") == day else None
        found[row["key"]] = nowcaster.nowcast(row["metric"], scope, row["target"], day, achieved=achieved)
    return found


def pooled(results: list[TargetNowcast]) -> Backtest:
    """All the targets' back-test projections together."""
    return Backtest([trial for r in results if r.backtest for trial in r.backtest.trials])


def payload(year: int, as_of: dt.date, results: list[TargetNowcast], with_trials: bool = True) -> dict:
    """The JSON of `shahrak nowcast`: the method, every target's nowcast and the pooled back-test."""
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "as_of_jalali": jalali.format_jalali(as_of, sep="-"),
        "months_observed": months_ended(year, as_of),
        "method": {
            "paths": PATHS,
            "seed": SEED,
            "range": [LOW, HIGH],
            "history_years": HISTORY_YEARS,
            "min_past_years": MIN_PAST_YEARS,
        },
        "targets": [r.as_dict(with_trials) for r in results],
        "backtest": pooled(results).as_dict(with_trials=False),
    }
