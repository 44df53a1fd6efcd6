"""The figures of DESIGN.md ("Exact definitions"), each defined once, here.

Each class states its definition in its docstring and implements it with grouped database
queries; the breakdown rows are arranged from the grouped rows. `records()` returns the records
the figure counts, with the same conditions, so every figure can list what it counted.
Regional balance, the one figure with arithmetic beyond sums, lives in `balance.py`.
"""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, Case, Count, Q, Sum, Value, When

from shahrak.core.jalali import Period, format_jalali
from shahrak.core.money import rials_to_usd
from shahrak.estates.models import Estate, EstateKind, WorkshopUnit
from shahrak.projects.models import (
    Category,
    DevelopmentProject,
    Disbursement,
    FundingSource,
    PlannedDisbursement,
)
from shahrak.regions.models import DEPRIVED_STATUSES
from shahrak.regions.scope import NATION, Scope
from shahrak.targets.models import Target, TargetMetric
from shahrak.units.models import (
    EventKind,
    IdleCause,
    ProductionUnit,
    SizeClass,
    TechIntensity,
    UnitEvent,
    size_class_expression,
)

from .base import NO_FILTERS, Context, Filters, MetricResult, no_rate_warning, rows_by_province, where
from .labels import KNOWLEDGE_BASED, PERSIAN, choice_labels, choice_row

CENT = Decimal("0.01")


class Metric:
    """A named figure. Subclasses set the names and implement `records` and `compute`."""

    name: str = ""
    label_fa: str = ""
    label_en: str = ""
    record_model = None
    # Whether the figure rests on counties' less-developed status (also true of any figure
    # computed with the "deprived only" filter).
    depends_on_deprivation = False

    @property
    def definition(self) -> str:
        return " ".join((self.__doc__ or "").split())

    def records(self, period: Period, scope: Scope, filters: Filters):
        raise NotImplementedError

    def compute(
        self, period: Period, scope: Scope, filters: Filters, context: Context, **options
    ) -> MetricResult:
        raise NotImplementedError

    def result(self, value, breakdowns, period, scope, filters, warnings=None) -> MetricResult:
        return MetricResult(
            self.name, value, breakdowns, warnings or [], lambda: self.records(period, scope, filters)
        )


def _usd(rials: int, rate: Decimal | None) -> Decimal | None:
    return rials_to_usd(rials, rate)


def _by_choice(choices, totals: dict, fields: tuple[str, ...], extra=None) -> list[dict]:
    """One row per value of the choices (zeros included), in the order the choices are declared."""
    rows = []
    for value in choices.values:
        found = totals.get(value, {})
        row = choice_row(choices, value, **{name: found.get(name, 0) for name in fields})
        if extra:
            row.update(extra(row))
        rows.append(row)
    return rows


def _sum_into(target: dict, key, **values) -> None:
    slot = target.setdefault(key, defaultdict(int))
    for name, value in values.items():
        slot[name] += value or 0


class WorkshopsOpened(Metric):
    """Workshop units whose opened (handed-over) date is in the period; by province and by estate kind."""

    name = "workshops_opened"
    label_fa = "کارگاه‌های افتتاح‌شده"
    label_en = "Workshops opened"
    record_model = WorkshopUnit

    def records(self, period, scope, filters):
        return WorkshopUnit.objects.filter(
            where(WorkshopUnit, scope, filters), opened_date__range=(period.start, period.end)
        )

    def compute(self, period, scope, filters, context, **options):
        grouped = (
            self.records(period, scope, filters)
            .values("estate__county_id", "estate__kind")
            .annotate(count=Count("*"))
            .order_by()
        )
        by_province, by_kind, total = {}, {}, 0
        for row in grouped:
            province = context.province_of_county(row["estate__county_id"])
            _sum_into(by_province, province["id"], count=row["count"])
            _sum_into(by_kind, row["estate__kind"], count=row["count"])
            total += row["count"]
        breakdowns = {
            "province": rows_by_province(context, by_province, ("count",)),
            "estate_kind": _by_choice(EstateKind, by_kind, ("count",)),
        }
        return self.result(total, breakdowns, period, scope, filters)


class _EstateCount(Metric):
    record_model = Estate

    def compute(self, period, scope, filters, context, **options):
        grouped = (
            self.records(period, scope, filters)
            .values("county_id", "kind")
            .annotate(count=Count("*"))
            .order_by()
        )
        by_province, by_kind, total = {}, {}, 0
        for row in grouped:
            _sum_into(by_province, context.province_of_county(row["county_id"])["id"], count=row["count"])
            _sum_into(by_kind, row["kind"], count=row["count"])
            total += row["count"]
        breakdowns = {
            "estate_kind": _by_choice(EstateKind, by_kind, ("count",)),
            "province": rows_by_province(context, by_province, ("count",)),
        }
        return self.result(total, breakdowns, period, scope, filters)


class EstatesInDeprivedAreas(_EstateCount):
    """Estates in deprived counties (less-developed status whole or partial) with a licence date on or
    before the end of the period; by kind and by province."""

    name = "estates_in_deprived_areas"
    depends_on_deprivation = True
    label_fa = "شهرک‌ها و نواحی صنعتی در مناطق کمتر توسعه‌یافته"
    label_en = "Estates in deprived areas"

    def records(self, period, scope, filters):
        return Estate.objects.filter(
            where(Estate, scope, filters),
            county__deprivation__in=DEPRIVED_STATUSES,
            licence_date__lte=period.end,
        )


class EstatesLicensed(_EstateCount):
    """Estates whose licence date is in the period; by kind and by province."""

    name = "estates_licensed"
    label_fa = "شهرک‌ها و نواحی صنعتی مجوزگرفته"
    label_en = "Estates licensed"

    def records(self, period, scope, filters):
        return Estate.objects.filter(
            where(Estate, scope, filters), licence_date__range=(period.start, period.end)
        )


class InfrastructureSpending(Metric):
    """The sum of disbursements dated in the period, in rials, and in US dollars both at the rate in
    force at the end of the period and at the rate in force on each payment's own date; by the
    project's category and by the payment's funding source."""

    name = "infrastructure_spending"
    label_fa = "هزینه‌کرد طرح‌های زیربنایی"
    label_en = "Infrastructure spending"
    record_model = Disbursement

    def records(self, period, scope, filters):
        return Disbursement.objects.filter(
            where(Disbursement, scope, filters), date__range=(period.start, period.end)
        )

    def compute(self, period, scope, filters, context, **options):
        payments = self.records(period, scope, filters)
        # One row per day with payments: the rate in force is resolved once per day, not per payment.
        by_day = list(payments.values_list("date").annotate(rials=Sum("amount_rials")).order_by())
        rates = context.rates(filters.rate_source, period)
        warnings = []
        rate_at_end = rates.in_force(period.end)
        if rate_at_end is None:
            warnings.append(no_rate_warning(filters.rate_source, period.end))
        total = sum(rials for _, rials in by_day)
        at_dates, missing = Decimal(0), []
        for day, rials in by_day:
            rate = rates.in_force(day)
            if rate is None:
                missing.append(day)
            else:
                at_dates += Decimal(rials) / rate
        if missing:
            missing.sort()
            warnings.append(no_rate_warning(filters.rate_source, missing[0]) + _more(len(missing) - 1))
        warnings += place_warnings(context, scope, filters)
        category_rials, source_rials = defaultdict(int), defaultdict(int)
        for _, category, source, rials in spending_groups(context, period, scope, filters):
            category_rials[category] += rials
            source_rials[source] += rials
        by_category = {key: {"rials": rials} for key, rials in category_rials.items()}
        by_source = {key: {"rials": rials} for key, rials in source_rials.items()}

        def usd(row):
            return {"usd_at_period_end": _usd(row["rials"], rate_at_end)}

        value = {
            "rials": total,
            "usd_at_period_end": _usd(total, rate_at_end),
            "usd_at_payment_dates": None if missing else at_dates.quantize(CENT, rounding=ROUND_HALF_UP),
            "rate_at_period_end": rate_at_end,
        }
        breakdowns = {
            "category": _by_choice(Category, by_category, ("rials",), usd),
            "funding_source": _by_choice(FundingSource, by_source, ("rials",), usd),
        }
        return self.result(value, breakdowns, period, scope, filters, warnings)


def spending_groups(context: Context, period: Period, scope: Scope, filters: Filters) -> list[tuple]:
    """Disbursements of the period summed by (county, project category, funding source).

    One pass over the payments serves both the spending breakdowns and the regional balance
    (shared through the context). A payment stores its county and category (projects/places.py),
    so the pass is one range of a covering index for the scope: no join to projects or estates.
    """

    def compute():
        payments = Disbursement.objects.filter(
            where(Disbursement, scope, filters), date__range=(period.start, period.end)
        )
        grouped = payments.values_list("county_id", "category", "funding_source")
        return list(grouped.annotate(rials=Sum("amount_rials")).order_by())

    return context.once(("spending", period.start, period.end, scope, filters), compute)


def place_warnings(context: Context, scope: Scope, filters: Filters) -> list[str]:
    """A warning when some projects or payments lack their stored place (see projects/places.py),
    checked once per context and only where the figures read it: a scope other than the nation,
    or a filter on the estate's kind or the county's deprivation."""
    if scope.level == "nation" and not filters.estate_kind and not filters.deprived_only:
        return []
    from shahrak.projects.places import PLACES_MISSING_WARNING, places_missing

    return context.once("places", lambda: [PLACES_MISSING_WARNING] if places_missing() else [])


def _more(count: int) -> str:
    return f" and on {count} more day(s)" if count else ""


class ProjectsUnderway(Metric):
    """Projects started on or before the end of the period and neither completed (actual end) nor
    suspended or cancelled (stop date) by then; their number and summed credit, by category."""

    name = "projects_underway"
    label_fa = "پروژه‌های عمرانی در دست اجرا"
    label_en = "Projects underway"
    record_model = DevelopmentProject

    def records(self, period, scope, filters):
        return DevelopmentProject.objects.filter(where(DevelopmentProject, scope, filters)).underway_on(
            period.end
        )

    def compute(self, period, scope, filters, context, **options):
        grouped = (
            self.records(period, scope, filters)
            .values("category")
            .annotate(count=Count("*"), credit_rials=Sum("credit_rials"))
            .order_by()
        )
        by_category = {row["category"]: row for row in grouped}
        rates = context.rates(filters.rate_source, period)
        rate_at_end = rates.in_force(period.end)
        warnings = [] if rate_at_end is not None else [no_rate_warning(filters.rate_source, period.end)]
        warnings += place_warnings(context, scope, filters)
        count = sum(row["count"] for row in by_category.values())
        credit = sum(row["credit_rials"] or 0 for row in by_category.values())
        value = {
            "count": count,
            "credit_rials": credit,
            "credit_usd_at_period_end": _usd(credit, rate_at_end),
        }
        breakdowns = {
            "category": _by_choice(
                Category,
                by_category,
                ("count", "credit_rials"),
                lambda row: {"credit_usd_at_period_end": _usd(row["credit_rials"], rate_at_end)},
            )
        }
        for row in breakdowns["category"]:
            row["credit_rials"] = row["credit_rials"] or 0
        return self.result(value, breakdowns, period, scope, filters, warnings)


class PlannedSpending(Metric):
    """Planned disbursements whose Solar Hijri month starts within the period (so that adjacent
    periods add up), in rials and in dollars at the rate in force at the end of the period; by category."""

    name = "planned_spending"
    label_fa = "هزینه‌کرد برنامه‌ریزی‌شده"
    label_en = "Planned spending"
    record_model = PlannedDisbursement

    def records(self, period, scope, filters):
        return PlannedDisbursement.objects.filter(
            where(PlannedDisbursement, scope, filters)
        ).months_starting_between(period.start, period.end)

    def compute(self, period, scope, filters, context, **options):
        # The payment's stored category (projects/places.py): one covering-index range, no join.
        grouped = self.records(period, scope, filters).values("category").annotate(rials=Sum("amount_rials"))
        by_category = {row["category"]: {"rials": row["rials"]} for row in grouped.order_by()}
        rate_at_end = context.rates(filters.rate_source, period).in_force(period.end)
        warnings = [] if rate_at_end is not None else [no_rate_warning(filters.rate_source, period.end)]
        warnings += place_warnings(context, scope, filters)
        total = sum(row["rials"] for row in by_category.values())
        value = {"rials": total, "usd_at_period_end": _usd(total, rate_at_end)}
        breakdowns = {
            "category": _by_choice(
                Category,
                by_category,
                ("rials",),
                lambda row: {"usd_at_period_end": _usd(row["rials"], rate_at_end)},
            )
        }
        return self.result(value, breakdowns, period, scope, filters, warnings)


class UnitsRevived(Metric):
    """Idle units returned to production: units = distinct units with a `revived` event in the period,
    events = the number of those events, jobs = the jobs all those events restored (a unit revived
    twice counts once in units, twice in events and jobs); by province."""

    name = "units_revived"
    label_fa = "واحدهای راکد احیاشده"
    label_en = "Idle units revived"
    record_model = UnitEvent

    def records(self, period, scope, filters):
        return UnitEvent.objects.filter(
            where(UnitEvent, scope, filters), kind=EventKind.REVIVED, date__range=(period.start, period.end)
        )

    def compute(self, period, scope, filters, context, **options):
        grouped = (
            self.records(period, scope, filters)
            .values("county_id")
            .annotate(units=Count("unit_id", distinct=True), events=Count("*"), jobs=Sum("jobs"))
            .order_by()
        )
        by_province = {}
        value = {"units": 0, "events": 0, "jobs": 0}
        # A unit is in one county, so distinct units per county add up to distinct units in all.
        for row in grouped:
            for name in value:
                value[name] += row[name] or 0
            if row["county_id"] is None:
                continue  # written in bulk and not yet rebuilt: see the warning
            province = context.province_of_county(row["county_id"])
            _sum_into(by_province, province["id"], units=row["units"], events=row["events"], jobs=row["jobs"])
        breakdowns = {"province": rows_by_province(context, by_province, ("units", "events", "jobs"))}
        return self.result(value, breakdowns, period, scope, filters, context.cache_warnings())


class UnitsEstablished(Metric):
    """Production units whose `established` event is in the period; by size class (from employees),
    by knowledge-based (certificate dated on or before the end of the period) and by the OECD
    technology intensity of the unit's ISIC class."""

    name = "units_established"
    label_fa = "واحدهای تولیدی تأسیس‌شده"
    label_en = "Units established"
    record_model = UnitEvent

    def records(self, period, scope, filters):
        return UnitEvent.objects.filter(
            where(UnitEvent, scope, filters),
            kind=EventKind.ESTABLISHED,
            date__range=(period.start, period.end),
        )

    def compute(self, period, scope, filters, context, **options):
        knowledge_based = Case(
            When(unit__knowledge_based_since__lte=period.end, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        grouped = (
            self.records(period, scope, filters)
            .annotate(size=size_class_expression("unit__"), kb=knowledge_based)
            .values("size", "kb", "unit__isic__tech_intensity")
            .annotate(count=Count("*"))
            .order_by()
        )
        by_size, by_kb, by_tech, total = {}, {}, {}, 0
        for row in grouped:
            _sum_into(by_size, row["size"], count=row["count"])
            _sum_into(by_kb, bool(row["kb"]), count=row["count"])
            _sum_into(by_tech, row["unit__isic__tech_intensity"], count=row["count"])
            total += row["count"]
        kb_rows = []
        for flag in (True, False):
            key, label_fa, label_en = KNOWLEDGE_BASED[flag]
            kb_rows.append(
                {
                    "key": key,
                    "label_fa": label_fa,
                    "label_en": label_en,
                    "count": by_kb.get(flag, {}).get("count", 0),
                }
            )
        breakdowns = {
            "size_class": _by_choice(SizeClass, by_size, ("count",)),
            "knowledge_based": kb_rows,
            "tech_intensity": _by_choice(TechIntensity, by_tech, ("count",)),
        }
        return self.result(total, breakdowns, period, scope, filters)


def _idled_up_to(day: dt.date, scope: Scope, filters: Filters):
    return UnitEvent.objects.filter(where(UnitEvent, scope, filters), kind=EventKind.IDLED, date__lte=day)


def idle_events(day: dt.date, scope: Scope = NATION, filters: Filters = NO_FILTERS):
    """The `idled` events that are their unit's last event on or before the day: one per idle unit.

    An idled event on or before the day is the last one when the unit's next event (cached as
    `ends_on`, see caches.py) is after the day or does not exist.
    """
    return _idled_up_to(day, scope, filters).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))


def idle_counts(context: Context, day: dt.date, scope: Scope, filters: Filters) -> list[dict]:
    """Idle units at the day grouped by county and cause (shared by idle_units and regional_balance).

    Two grouped queries, one per branch of "ends_on empty or after the day", each a range of the
    covering index event_kind_ends_cover (an OR of the two would read the table's rows instead).
    """

    def compute():
        idled = _idled_up_to(day, scope, filters)
        rows = []
        for branch in (idled.filter(ends_on__isnull=True), idled.filter(ends_on__gt=day)):
            rows += branch.values("county_id", "cause").annotate(count=Count("*")).order_by()
        return rows

    return context.once(("idle", day, scope, filters), compute)


class IdleUnits(Metric):
    """Production units whose status at the end of the period is idle: their last event on or before
    that day is `idled`; by the cause of idling and by province."""

    name = "idle_units"
    label_fa = "واحدهای راکد"
    label_en = "Idle units"
    record_model = ProductionUnit

    def records(self, period, scope, filters):
        return ProductionUnit.objects.filter(pk__in=idle_events(period.end, scope, filters).values("unit_id"))

    def compute(self, period, scope, filters, context, **options):
        cause_count, county_count = defaultdict(int), defaultdict(int)
        for row in idle_counts(context, period.end, scope, filters):
            cause_count[row["cause"]] += row["count"]
            county_count[row["county_id"]] += row["count"]
        by_cause = {key: {"count": count} for key, count in cause_count.items()}
        by_province = {}
        for county_id, count in county_count.items():
            if county_id is not None:
                _sum_into(by_province, context.province_of_county(county_id)["id"], count=count)
        total = sum(cause_count.values())
        breakdowns = {
            "cause": _by_choice(IdleCause, by_cause, ("count",)),
            "province": rows_by_province(context, by_province, ("count",)),
        }
        return self.result(total, breakdowns, period, scope, filters, context.cache_warnings())


# Target metric → (figure, how to read its headline).
TARGET_MEASURES = {
    TargetMetric.WORKSHOPS_OPENED: ("workshops_opened", lambda value: value),
    TargetMetric.UNITS_REVIVED: ("units_revived", lambda value: value["units"]),
    TargetMetric.JOBS_RESTORED: ("units_revived", lambda value: value["jobs"]),
    TargetMetric.UNITS_ESTABLISHED: ("units_established", lambda value: value),
    TargetMetric.ESTATES_LICENSED: ("estates_licensed", lambda value: value),
    TargetMetric.INFRASTRUCTURE_SPENDING: ("infrastructure_spending", lambda value: value["rials"]),
}
RATIO = Decimal("0.0001")


class TargetProgress(Metric):
    """Each target of the requested scope (national targets for the nation, a province's targets for
    that province) whose dates overlap the period: achieved = the target's figure in the target's
    scope from the target's start to the earlier of its end and the end of the period, and
    ratio = achieved ÷ target. Targets are set for all the records of their scope, so the estate-kind
    and deprived filters do not apply to them."""

    name = "target_progress"
    label_fa = "پیشرفت نسبت به هدف"
    label_en = "Progress against targets"
    record_model = Target

    def records(self, period, scope, filters):
        targets = Target.objects.overlapping(period.start, period.end)
        if scope.level == "nation":
            return targets.national()
        if scope.level == "province":
            return targets.filter(province_id=scope.pk)
        return targets.none()

    def compute(self, period, scope, filters, context, **options):
        warnings = []
        if scope.level in ("county", "estate"):
            warnings.append("targets are set for the nation and for provinces only")
        rows, met = [], 0
        for target in self.records(period, scope, filters).order_by("start_date", "metric", "end_date"):
            figure, read = TARGET_MEASURES[target.metric]
            cut = Period(target.start_date, min(target.end_date, period.end))
            result = context.figure(figure, cut, scope, Filters(rate_source=filters.rate_source))
            achieved = read(result.value)
            ratio = (
                (Decimal(achieved) / target.value).quantize(RATIO, ROUND_HALF_UP) if target.value else None
            )
            met += achieved >= target.value
            label_fa, label_en = choice_labels(TargetMetric, target.metric)
            rows.append(
                {
                    "key": str(target.pk),
                    "label_fa": label_fa,
                    "label_en": label_en,
                    "metric": target.metric,
                    "year": target.year,
                    "start": target.start_date,
                    "end": target.end_date,
                    "start_jalali": format_jalali(target.start_date, sep="-"),
                    "end_jalali": format_jalali(target.end_date, sep="-"),
                    "measured_to": cut.end,
                    "target": target.value,
                    "achieved": achieved,
                    "ratio": ratio,
                    "note": target.note,
                }
            )
        value = {"targets": len(rows), "met": met}
        return self.result(value, {"targets": rows}, period, scope, filters, warnings)


__all__ = [
    "PERSIAN",
    "EstatesInDeprivedAreas",
    "EstatesLicensed",
    "IdleUnits",
    "InfrastructureSpending",
    "Metric",
    "PlannedSpending",
    "ProjectsUnderway",
    "TargetProgress",
    "UnitsEstablished",
    "UnitsRevived",
    "WorkshopsOpened",
    "idle_counts",
    "idle_events",
]
