"""The parts every figure shares: filters, results, where a record is, rates in force.

A figure is computed by a `Metric` for a period, a scope and filters. It returns a `MetricResult`
with its headline value, its breakdowns and a way to list the records it counted. Aggregation is
done by the database; Python only arranges the grouped rows (a few hundred at most).
"""

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Max, Q, QuerySet

from shahrak.core.jalali import Period, format_jalali
from shahrak.core.places import county_path, estate_path, stored_place
from shahrak.core.places import join as _join
from shahrak.money.models import ExchangeRate, default_rate_source
from shahrak.regions.models import DEPRIVED_STATUSES, County, Province
from shahrak.regions.scope import NATION, Scope

CURRENCY = "USD"


@dataclass(frozen=True)
class Filters:
    """Filters every figure takes besides its period and scope (DESIGN.md, "Where a record is").

    `estate_kind` keeps only records in an estate of that kind: production units outside estates
    are dropped too. `deprived_only` keeps only records in deprived counties (status whole or
    partial). `rate_source` is the exchange-rate source used for dollar figures; empty or None
    means the one default, `money.models.default_rate_source()`.
    """

    estate_kind: str | None = None
    deprived_only: bool = False
    rate_source: str | None = None

    def __post_init__(self):
        if not self.rate_source:
            object.__setattr__(self, "rate_source", default_rate_source())

    def as_dict(self) -> dict:
        return {
            "estate_kind": self.estate_kind,
            "deprived_only": self.deprived_only,
            "rate_source": self.rate_source,
        }


NO_FILTERS = Filters()


def _place_condition(model, scope: Scope) -> Q:
    # A model's stored copy of where it is (its `stored_place`, shahrak/core/places.py) spares the
    # joins up to the estate and county: unit events store their unit's county, projects their
    # estate's county and province, payments their project's estate, county and province.
    cached = stored_place(model)
    if scope.level == "province" and "province" in cached:
        return Q(**{f"{cached['province']}_id": scope.pk})
    if scope.level == "province" and "county" in cached:
        # The province's counties as a list, not a join to the counties: a join makes the planner
        # walk the index range once per county (it expects one county), a list reads it once.
        counties = list(County.objects.filter(province_id=scope.pk).values_list("pk", flat=True))
        return Q(**{f"{cached['county']}_id__in": counties})
    if scope.level in ("county", "estate") and scope.level in cached:
        return Q(**{f"{cached[scope.level]}_id": scope.pk})
    return scope.q(model)


def where(model, scope: Scope = NATION, filters: Filters = NO_FILTERS) -> Q:
    """The condition that keeps the records of `model` that are in the scope and pass the filters."""
    cached = stored_place(model)
    condition = _place_condition(model, scope)
    if filters.estate_kind:
        path = cached.get("estate") or estate_path(model)
        if path is None:
            raise ValueError(f"{model._meta.verbose_name} records are not in estates")
        condition &= Q(**{_join(path, "kind"): filters.estate_kind})
    if filters.deprived_only:
        county = cached.get("county") or county_path(model)
        condition &= Q(**{_join(county, "deprivation__in"): DEPRIVED_STATUSES})
    return condition


@dataclass
class MetricResult:
    """One figure: the headline `value`, its `breakdowns` (name → rows) and the records it counted."""

    name: str
    value: Any
    breakdowns: dict[str, list[dict]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    records_query: Callable[[], QuerySet] | None = field(default=None, repr=False)
    # The figure's names, set by the engine from its definition.
    label_fa: str = ""
    label_en: str = ""
    # Counties in scope whose less-developed status is only provisional, when the figure depends on
    # that status (DESIGN.md, "Provisional facts are labelled"); callers say so in words.
    provisional_counties: list[str] = field(default_factory=list)
    # Whether the province-months the figure covers are approved (approval.py), set by the engine.
    approval: dict | None = None

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_counties)

    def records(self) -> QuerySet:
        """The query set of the records this figure counted (for listing them)."""
        return self.records_query()

    def as_dict(self) -> dict:
        """A JSON-safe dict: rials as integers, dollars and hectares as decimal strings."""
        return {
            "name": self.name,
            "label_fa": self.label_fa,
            "label_en": self.label_en,
            "value": json_safe(self.value),
            "breakdowns": json_safe(self.breakdowns),
            "warnings": list(self.warnings),
            "provisional_deprivation": provisional_note(self.provisional_counties)
            if self.provisional
            else None,
            "approval": json_safe(self.approval),
        }


def provisional_note(codes: list[str]) -> dict:
    """The words an API, CLI or export gives beside a figure that rests on provisional statuses."""
    return {
        "counties": list(codes),
        "note": (
            f"provisional: the less-developed status of {len(codes)} of the counties in scope rests on a "
            "provisional rule, not an official decree"
        ),
    }


def json_safe(value):
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Context:
    """What the figures of one request share: region names and memoised intermediate results.

    `compute_all` passes one context to every metric, so that the idle units at D (needed by
    `idle_units` and `regional_balance`) and the rate in force are computed once.
    """

    def __init__(self, compute_figure: Callable[..., MetricResult]):
        # The engine's compute_in_context, handed in so that a figure made of other figures (target
        # progress) asks the context for them instead of importing the engine that imports it.
        self._compute_figure = compute_figure
        self.memo: dict = {}
        self._counties = None
        self._provinces = None

    def figure(self, name: str, period: Period, scope: Scope, filters: Filters, **options) -> MetricResult:
        """Another figure, computed once per context."""
        return self._compute_figure(name, period, scope, filters, self, **options)

    def once(self, key, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    @property
    def provinces(self) -> dict[int, dict]:
        if self._provinces is None:
            self._provinces = {
                row["id"]: row
                for row in Province.objects.values(
                    "id", "iso_code", "sci_code", "name_fa", "name_en", "population"
                )
            }
        return self._provinces

    @property
    def counties(self) -> dict[int, dict]:
        if self._counties is None:
            self._counties = {
                row["id"]: row
                for row in County.objects.values(
                    "id",
                    "sci_code",
                    "name_fa",
                    "name_en",
                    "province_id",
                    "population",
                    "deprivation",
                    "deprivation_basis",
                    "size_class",
                )
            }
        return self._counties

    def provisional_counties(self, scope: Scope) -> list[str]:
        """SCI codes of the counties in the scope whose less-developed status is provisional."""
        from shahrak.regions.models import DeprivationBasis

        if scope.level == "estate":
            from shahrak.estates.models import Estate

            county_ids = {Estate.objects.filter(pk=scope.pk).values_list("county_id", flat=True).get()}
        else:
            county_ids = None
        codes = [
            c["sci_code"]
            for c in self.counties.values()
            if c["deprivation_basis"] == DeprivationBasis.PROVISIONAL
            and (
                scope.level == "nation"
                or (scope.level == "province" and c["province_id"] == scope.pk)
                or (scope.level == "county" and c["id"] == scope.pk)
                or (county_ids is not None and c["id"] in county_ids)
            )
        ]
        return sorted(codes)

    def province_of_county(self, county_id: int) -> dict:
        return self.provinces[self.counties[county_id]["province_id"]]

    def cache_warnings(self) -> list[str]:
        """A warning when unit events lack their cached values (see caches.py), checked once."""
        from shahrak.units.caches import MISSING_WARNING, metric_caches_missing

        return self.once("caches", lambda: [MISSING_WARNING] if metric_caches_missing() else [])

    def rates(self, source: str, period: Period) -> "RateTable":
        """The rates of the source that can be in force on a day of the period (loaded once)."""
        return self.once(
            ("rates", source, period.start, period.end),
            lambda: RateTable.load(source, period.end, period.start),
        )


def province_row(province: dict, **fields) -> dict:
    return {
        "key": province["iso_code"],
        "label_fa": province["name_fa"],
        "label_en": province["name_en"],
        **fields,
    }


def county_label_en(county: dict) -> str:
    return county["name_en"] or county["name_fa"]


def rows_by_province(context: Context, totals: dict[int, dict], fields: tuple[str, ...]) -> list[dict]:
    """Province rows (in SCI code order) from values summed per province id; provinces with none left out."""
    rows = []
    for province_id, province in sorted(context.provinces.items(), key=lambda item: item[1]["sci_code"]):
        if province_id in totals:
            rows.append(province_row(province, **{name: totals[province_id][name] for name in fields}))
    return rows


class RateTable:
    """The rates of one source up to a day, to resolve the rate in force once per distinct day.

    The rate in force on a day is the latest rate of the source dated on or before it.
    """

    def __init__(self, days: list[dt.date], rates: list[Decimal]):
        self.days = days
        self.rates = rates

    @classmethod
    def load(cls, source: str, until: dt.date, since: dt.date | None = None) -> "RateTable":
        rates = ExchangeRate.objects.filter(currency=CURRENCY, source=source, date__lte=until)
        if since is not None:
            # Rates before the latest one in force on `since` are never needed.
            first = rates.filter(date__lte=since).aggregate(first=Max("date"))["first"]
            if first is not None:
                rates = rates.filter(date__gte=first)
        rows = list(rates.order_by("date").values_list("date", "rials_per_unit"))
        return cls([day for day, _ in rows], [rate for _, rate in rows])

    def in_force(self, day: dt.date) -> Decimal | None:
        index = bisect.bisect_right(self.days, day)
        return self.rates[index - 1] if index else None


def no_rate_warning(source: str, day: dt.date) -> str:
    return f"no {source} USD rate is in force on {day.isoformat()} ({format_jalali(day, sep='-')}): dollar figure left empty"


def period_key(period: Period) -> tuple:
    return (period.start, period.end)
