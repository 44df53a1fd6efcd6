"""Data quality per province per Solar Hijri month (DESIGN.md, "Data quality per province").

A score of 0–100 for each province and month, in four parts of 25 points each:

- completeness: active units with an event or a confirmation in the last six months; underway
  projects with a payment or a progress update in the last quarter; estates with coordinates;
  returns submitted;
- timeliness: returns submitted by their due day; the median days between a fact's date and its entry;
- consistency: revivals whose jobs are not outliers, payments whose amounts are not outliers for
  their category (modified z-score, |M| > 3.5 is an outlier); payments inside their project's
  dates; projects whose spending stays within their credit;
- agreement: published claims about the province that match the register (the claims ledger).

How it is scored (one home: `score_rule`, `score_part`, `total_score`):

- A rule has *items* (units, projects, estates, returns, payments, claims) and a *fraction* 0–1:
  the share of its items that pass, except the entry delay, whose fraction is 1 up to
  ENTRY_DAYS_FULL days at the median, 0 from ENTRY_DAYS_NONE on, and in a straight line between.
- A part's points are 25 × the mean of the fractions of its rules that have items. A rule with no
  items (no payment in the month, no entry time recorded) is left out of its part, not counted as
  passing; a part none of whose rules has items has no points and no maximum.
- The score is 100 × the points of the parts that have items ÷ their maximum (25 each): a province
  nobody published a claim about is scored on the three other parts, out of 100 all the same.
  Points are rounded half up to one decimal for the reader (core.money.round_half_up); the score
  is computed from the unrounded points.

Windows, for a month m whose last day is D: "the last six months" are the six Solar Hijri months
ending with m; "the last quarter" the three ending with m; the returns judged are those of the
twelve months ending with m that are kept (settings.SHAHRAK["RETURNS_FROM"]) and already due on the
day the score is computed (`today`). An *active* unit is one whose status at D is active (its last
event on or before D is `established` or `revived`); a *confirmation* is any saved change of the
unit's record (a row of its history) in the window; a *progress update* is any saved change of
the project's record in the window. Entry times are the creation rows of the history of unit events
and payments dated in m (seed data has none: that rule then has no items).

The outlier rule (modified z-score, Iglewicz and Hoaglin): M = 0.6745 (x − median) / MAD, where
MAD is the median of |x − median|, over the reference set: the jobs of every revival in the nation
in the twelve months ending with m; the amounts of every payment of the same category in the nation
in those months. When MAD is 0 (more than half the values equal), M = (x − median) / (1.253314 ×
mean absolute deviation); when that is 0 too, every value equals the median and none is an outlier.
Medians are computed in Python from the grouped values, so SQLite and PostgreSQL agree.

The figures are computed with grouped queries, a few per month for every province at once; the
records that lost points are read only for the province asked about (`details=True`).
"""

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from shahrak.core import jalali
from shahrak.core.money import round_half_up
from shahrak.core.text import code_text
from shahrak.estates.models import Estate
from shahrak.projects.models import DevelopmentProject, Disbursement
from shahrak.regions.models import County, Province
from shahrak.returns.models import MonthlyReturn, due_date, month_label
from shahrak.returns.status import first_month, is_missing
from shahrak.units.models import EventKind, ProductionUnit, UnitEvent

from .models import Claim

Month = tuple[int, int]

PART_POINTS = Decimal(25)
OUTLIER_LIMIT = Decimal("3.5")
MODIFIED_Z = Decimal("0.6745")
MEAN_AD_FACTOR = Decimal("1.253314")
ENTRY_DAYS_FULL = 30
ENTRY_DAYS_NONE = 90
UNIT_MONTHS = 6
PROJECT_MONTHS = 3
RETURN_MONTHS = 12
REFERENCE_MONTHS = 12
LISTED = 200  # records listed per rule on the detail page (the count says how many lost points)

PARTS = {
    "completeness": _("Completeness"),
    "timeliness": _("Timeliness"),
    "consistency": _("Consistency"),
    "agreement": _("Agreement"),
}

# Each rule: its part and its text, as the page and the CLI show it.
RULES = {
    "active_units_updated": (
        "completeness",
        _(
            "Active units (status active at the month's end) with an event or a confirmation (a saved "
            "change of the unit) in the last six months."
        ),
    ),
    "projects_updated": (
        "completeness",
        _(
            "Projects underway at the month's end with a payment or a progress update (a saved change "
            "of the project) in the last three months."
        ),
    ),
    "estates_located": ("completeness", _("Estates licensed by the month's end with both coordinates.")),
    "returns_submitted": (
        "completeness",
        _("Monthly returns of the last twelve months, already due, that have been submitted."),
    ),
    "returns_on_time": (
        "timeliness",
        _("Monthly returns of the last twelve months, already due, first submitted by their due day."),
    ),
    "entry_delay": (
        "timeliness",
        _(
            "Median days between the date of the month's unit events and payments and their entry: full "
            "points up to 30 days, none from 90 days, in proportion between."
        ),
    ),
    "revival_jobs": (
        "consistency",
        _(
            "The month's revivals whose jobs are not outliers: |M| ≤ 3.5, M = 0.6745 (x − median) / MAD "
            "over every revival in the nation in the last twelve months."
        ),
    ),
    "payment_amounts": (
        "consistency",
        _(
            "The month's payments whose amounts are not outliers for their category: |M| ≤ 3.5 over every "
            "payment of that category in the nation in the last twelve months."
        ),
    ),
    "payments_in_dates": (
        "consistency",
        _("The month's payments dated within their project's dates (from its start, to its actual end)."),
    ),
    "spending_within_credit": (
        "consistency",
        _("Projects paid in the month whose payments up to the month's end stay within their credit."),
    ),
    "claims_match": (
        "agreement",
        _(
            "Published claims about the province (or its counties and estates) up to the month's end that "
            "match the register (claims the register cannot check are left out)."
        ),
    ),
}


KINDS = {
    "unit": _("production unit"),
    "project": _("development project"),
    "estate": _("estate"),
    "return": _("monthly return"),
    "unit event": _("unit event"),
    "payment": _("payment"),
    "claim": _("claim"),
}


@dataclass
class Lost:
    """A record that lost points: what it is, where to see it, and why."""

    kind: str
    pk: int | str
    label: str
    url: str
    why: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.pk,
            "kind_label": str(self.kind_label),
            "label": str(self.label),
            "url": self.url,
            "why": str(self.why),
        }


@dataclass
class RuleScore:
    key: str
    items: int = 0
    passing: int = 0
    value: Decimal | None = None  # the median of the entry delay, in days
    lost: list[Lost] = field(default_factory=list)
    lost_count: int = 0

    @property
    def part(self) -> str:
        return RULES[self.key][0]

    @property
    def text(self) -> str:
        return RULES[self.key][1]

    @property
    def fraction(self) -> Decimal | None:
        return score_rule(self)

    def as_dict(self) -> dict:
        fraction = self.fraction
        return {
            "rule": self.key,
            "text": str(self.text),
            "items": self.items,
            "passing": self.passing,
            "failing": self.items - self.passing if self.value is None else self.lost_count,
            "median_days": None if self.value is None else str(self.value),
            "fraction": None if fraction is None else str(round_half_up(fraction, 4)),
            "lost": [item.as_dict() for item in self.lost],
        }


@dataclass
class PartScore:
    key: str
    rules: list[RuleScore]

    @property
    def label(self) -> str:
        return PARTS[self.key]

    @property
    def points(self) -> Decimal | None:
        return score_part(self.rules)

    @property
    def points_shown(self) -> Decimal | None:
        return None if self.points is None else round_half_up(self.points, 1)

    def rule_points(self, rule: RuleScore) -> tuple[Decimal, Decimal] | None:
        """(points, maximum) of one of its rules: the part's 25 shared by the rules that have items."""
        fraction = score_rule(rule)
        counted = sum(1 for r in self.rules if score_rule(r) is not None)
        if fraction is None or not counted:
            return None
        share = PART_POINTS / counted
        return round_half_up(share * fraction, 1), round_half_up(share, 1)

    def as_dict(self) -> dict:
        return {
            "part": self.key,
            "points": None if self.points is None else str(self.points_shown),
            "max": str(PART_POINTS) if self.points is not None else None,
            "rules": [rule.as_dict() for rule in self.rules],
        }


@dataclass
class ProvinceQuality:
    province: Province
    year: int
    month: int
    parts: list[PartScore]

    @property
    def score(self) -> Decimal | None:
        return total_score(self.parts)

    @property
    def score_shown(self) -> Decimal | None:
        return None if self.score is None else round_half_up(self.score, 1)

    def part(self, key: str) -> PartScore:
        return next(p for p in self.parts if p.key == key)

    def as_dict(self, details: bool = True) -> dict:
        data = {
            "province": self.province.iso_code,
            "name_fa": self.province.name_fa,
            "name_en": self.province.name_en,
            "month": f"{self.year:04d}-{self.month:02d}",
            "score": None if self.score is None else str(self.score_shown),
            "parts": [part.as_dict() for part in self.parts],
        }
        if not details:
            for part in data["parts"]:
                for rule in part["rules"]:
                    rule.pop("lost")
        return data


def score_rule(rule: RuleScore) -> Decimal | None:
    """A rule's fraction 0–1: passing ÷ items, or the entry delay's straight line; None without items."""
    if not rule.items:
        return None
    if rule.key == "entry_delay":
        median = rule.value
        if median <= ENTRY_DAYS_FULL:
            return Decimal(1)
        if median >= ENTRY_DAYS_NONE:
            return Decimal(0)
        return (Decimal(ENTRY_DAYS_NONE) - median) / Decimal(ENTRY_DAYS_NONE - ENTRY_DAYS_FULL)
    return Decimal(rule.passing) / Decimal(rule.items)


def score_part(rules: Iterable[RuleScore]) -> Decimal | None:
    """25 × the mean fraction of the rules that have items; None when none has."""
    fractions = [f for f in (score_rule(rule) for rule in rules) if f is not None]
    if not fractions:
        return None
    return PART_POINTS * sum(fractions) / len(fractions)


def total_score(parts: Iterable[PartScore]) -> Decimal | None:
    """100 × the points of the parts that have items ÷ their maximum; None when no part has."""
    points = [p for p in (part.points for part in parts) if p is not None]
    if not points:
        return None
    return Decimal(100) * sum(points) / (PART_POINTS * len(points))


# --- the modified z-score --------------------------------------------------------------------------


def _median(values: list) -> Decimal:
    return Decimal(statistics.median(sorted(Decimal(v) for v in values)))


@dataclass(frozen=True)
class Reference:
    """The median and spread of a reference set, to score a value's modified z-score."""

    median: Decimal
    mad: Decimal
    mean_ad: Decimal

    @classmethod
    def of(cls, values: list) -> "Reference | None":
        if not values:
            return None
        median = _median(values)
        deviations = [abs(Decimal(v) - median) for v in values]
        return cls(median, _median(deviations), sum(deviations) / len(deviations))

    def z(self, value) -> Decimal:
        """M = 0.6745 (x − median) / MAD; with MAD 0, (x − median) / (1.253314 × mean AD); 0 when both are 0."""
        difference = Decimal(value) - self.median
        if self.mad:
            return MODIFIED_Z * difference / self.mad
        if self.mean_ad:
            return difference / (MEAN_AD_FACTOR * self.mean_ad)
        return Decimal(0)

    def is_outlier(self, value) -> bool:
        return abs(self.z(value)) > OUTLIER_LIMIT


def modified_z_scores(values: list) -> list[Decimal]:
    """The modified z-score of each value against all of them (for tests and the docs)."""
    reference = Reference.of(values)
    return [reference.z(v) for v in values] if reference else []


# --- months ----------------------------------------------------------------------------------------


def months_ending(year: int, month: int, count: int) -> list[Month]:
    """The `count` Solar Hijri months ending with year-month, oldest first."""
    return [jalali.add_months(year, month, -back) for back in range(count - 1, -1, -1)]


def window(year: int, month: int, count: int) -> jalali.Period:
    first = jalali.add_months(year, month, -(count - 1))
    return jalali.Period(jalali.month_bounds(*first).start, jalali.month_bounds(year, month).end)


def parse_month(text: str) -> Month:
    """'1401-09' (Persian or Latin digits, '-' or '/') → (1401, 9); InvalidDate when it is not a month."""
    from shahrak.core.text import normalize

    cleaned = normalize(str(text or "")).strip().replace("/", "-")
    parts = cleaned.split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise jalali.InvalidDate(_("Give a month as year-month, e.g. 1401-09."))
    year, month = int(parts[0]), int(parts[1])
    jalali.check_year(year)
    if not 1 <= month <= 12:
        raise jalali.InvalidDate(_("There is no such month."))
    return year, month


def _aware(day: dt.date) -> dt.datetime:
    """The first moment of a day in Tehran."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- the rules -------------------------------------------------------------------------------------


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


def _count_by(queryset, path: str) -> dict[int, int]:
    return {row[path]: row["n"] for row in queryset.values(path).annotate(n=Count("pk")).order_by()}


class _Month:
    """Everything the rules read for one month, all provinces at once (or one, with its records)."""

    def __init__(self, data: "QualityData", year: int, month: int):
        self.data, self.year, self.month = data, year, month
        self.period = jalali.month_bounds(year, month)
        self.day = self.period.end

    # completeness

    def active_units(self, province_id: int | None) -> dict[int, RuleScore]:
        day = self.day
        since = window(self.year, self.month, UNIT_MONTHS)
        active = UnitEvent.objects.filter(
            kind__in=[EventKind.ESTABLISHED, EventKind.REVIVED], date__lte=day
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
        if province_id is not None:
            active = active.filter(county__province_id=province_id)
        recent_event = UnitEvent.objects.filter(unit_id=OuterRef("unit_id"), date__range=(since.start, day))
        confirmed = ProductionUnit.history.model.objects.filter(
            id=OuterRef("unit_id"),
            history_date__gte=_aware(since.start),
            history_date__lt=_aware(day + dt.timedelta(days=1)),
        )
        updated = Q(Exists(recent_event)) | Q(Exists(confirmed))
        items = _count_by(active, "county__province_id")
        passing = _count_by(active.filter(updated), "county__province_id")
        rules = {p: RuleScore("active_units_updated", n, passing.get(p, 0)) for p, n in items.items()}
        if province_id is not None and province_id in rules:
            stale = active.exclude(updated).select_related("unit").order_by("unit__national_id")
            rule = rules[province_id]
            rule.lost_count = rule.items - rule.passing
            for event in stale[:LISTED]:
                unit = event.unit
                rule.lost.append(
                    Lost(
                        "unit", unit.pk, str(unit), _url("units:productionunit", unit.pk),
                        _lazy_format(_("last event %(date)s"), date=event.date),
                    )
                )  # fmt: skip
        return rules

    def projects(self, province_id: int | None) -> dict[int, RuleScore]:
        day = self.day
        since = window(self.year, self.month, PROJECT_MONTHS)
        underway = DevelopmentProject.objects.underway_on(day)
        if province_id is not None:
            underway = underway.filter(estate__county__province_id=province_id)
        paid = Disbursement.objects.filter(project_id=OuterRef("pk"), date__range=(since.start, day))
        changed = DevelopmentProject.history.model.objects.filter(
            id=OuterRef("pk"),
            history_date__gte=_aware(since.start),
            history_date__lt=_aware(day + dt.timedelta(days=1)),
        )
        updated = Q(Exists(paid)) | Q(Exists(changed))
        path = "estate__county__province_id"
        items, passing = _count_by(underway, path), _count_by(underway.filter(updated), path)
        rules = {p: RuleScore("projects_updated", n, passing.get(p, 0)) for p, n in items.items()}
        if province_id is not None and province_id in rules:
            rule = rules[province_id]
            rule.lost_count = rule.items - rule.passing
            for project in underway.exclude(updated).order_by("code")[:LISTED]:
                rule.lost.append(
                    Lost("project", project.pk, code_text(project.code), _url("projects:developmentproject", project.pk),
                         _("no payment or update in the last three months"))
                )  # fmt: skip
        return rules

    def estates(self, province_id: int | None) -> dict[int, RuleScore]:
        estates = Estate.objects.filter(licence_date__lte=self.day)
        if province_id is not None:
            estates = estates.filter(county__province_id=province_id)
        located = Q(latitude__isnull=False, longitude__isnull=False)
        path = "county__province_id"
        items, passing = _count_by(estates, path), _count_by(estates.filter(located), path)
        rules = {p: RuleScore("estates_located", n, passing.get(p, 0)) for p, n in items.items()}
        if province_id is not None and province_id in rules:
            rule = rules[province_id]
            rule.lost_count = rule.items - rule.passing
            for estate in estates.exclude(located).order_by("code")[:LISTED]:
                rule.lost.append(
                    Lost("estate", estate.pk, f"{code_text(estate.code)} {estate.name}", _url("estates:estate", estate.pk),
                         _("no coordinates"))
                )  # fmt: skip
        return rules

    # completeness and timeliness of returns

    def returns(self, province_ids: list[int], details: bool) -> tuple[dict, dict]:
        today = self.data.today
        start = first_month()
        months = [
            m
            for m in months_ending(self.year, self.month, RETURN_MONTHS)
            if (start is None or m >= start) and due_date(*m) < today
        ]
        submitted: dict[int, RuleScore] = {}
        on_time: dict[int, RuleScore] = {}
        if not months:
            return submitted, on_time
        found = self.data.returns_of(months)
        for province_id in province_ids:
            s, t = RuleScore("returns_submitted"), RuleScore("returns_on_time")
            for year, month in months:
                stored = found.get((province_id, year, month))
                missing = is_missing(stored)
                late = not missing and stored.was_late()
                s.items += 1
                t.items += 1
                s.passing += not missing
                t.passing += not missing and not late
                if details and (missing or late):
                    label, key = month_label(year, month), stored.pk if stored else f"{year:04d}-{month:02d}"
                    url = (
                        _url("returns:monthlyreturn", stored.pk)
                        if stored is not None
                        else _url("returns:month", self.data.iso(province_id), year, month)
                    )
                    if missing:
                        s.lost.append(Lost("return", key, label, url, _("not submitted")))
                        t.lost.append(Lost("return", key, label, url, _("not submitted")))
                    else:
                        t.lost.append(
                            Lost("return", stored.pk, label, url,
                                 _lazy_format(_("first submitted %(date)s, due %(due)s"),
                                              date=timezone.localdate(stored.first_submitted_at),
                                              due=due_date(year, month)))
                        )  # fmt: skip
            s.lost_count, t.lost_count = s.items - s.passing, t.items - t.passing
            submitted[province_id], on_time[province_id] = s, t
        return submitted, on_time

    def entry_delay(self, province_id: int | None) -> dict[int, RuleScore]:
        """Median (entry day − fact day) over the month's unit events and payments with a creation row."""
        delays: dict[int, list] = defaultdict(list)
        late: dict[int, list] = defaultdict(list)
        for model, path, kind, url_name in (
            (UnitEvent, "county__province_id", "unit event", "units:unitevent"),
            (Disbursement, "province_id", "payment", "projects:disbursement"),
        ):
            created = model.history.model.objects.filter(id=OuterRef("pk"), history_type="+").order_by(
                "history_date"
            )
            facts = model.objects.filter(date__range=(self.period.start, self.day))
            if province_id is not None:
                facts = facts.filter(**{path: province_id})
            rows = (
                facts.annotate(entered=Subquery(created.values("history_date")[:1]))
                .filter(entered__isnull=False)
                .values_list("pk", "date", "entered", path)
                .order_by("pk")
            )
            for pk, day, entered, province in rows:
                days = (timezone.localdate(entered) - day).days
                delays[province].append(days)
                if province_id is not None and days > ENTRY_DAYS_FULL:
                    late[province].append(
                        Lost(kind, pk, code_text(pk), _url(url_name, pk),
                             _lazy_format(_("entered %(days)s days after its date"), days=days))
                    )  # fmt: skip
        rules = {}
        for province, values in delays.items():
            rule = RuleScore("entry_delay", len(values), sum(1 for v in values if v <= ENTRY_DAYS_FULL))
            rule.value = _median(values)
            rule.lost = late.get(province, [])[:LISTED]
            rule.lost_count = len(late.get(province, []))
            rules[province] = rule
        return rules

    # consistency

    def revivals(self, province_id: int | None) -> dict[int, RuleScore]:
        reference_from = window(self.year, self.month, REFERENCE_MONTHS).start
        rows = [r for r in self.data.revivals() if reference_from <= r[1] <= self.day]
        reference = Reference.of([jobs for _pk, _day, jobs, _p, _u in rows])
        rules: dict[int, RuleScore] = {}
        for pk, day, jobs, province, _unit in rows:
            if day < self.period.start or (province_id is not None and province != province_id):
                continue
            rule = rules.setdefault(province, RuleScore("revival_jobs"))
            rule.items += 1
            if reference.is_outlier(jobs):
                rule.lost_count += 1
                if province_id is not None and len(rule.lost) < LISTED:
                    rule.lost.append(
                        Lost("unit event", pk, code_text(pk), _url("units:unitevent", pk),
                             _lazy_format(_("%(jobs)s jobs, M = %(m)s (median %(median)s)"), jobs=jobs,
                                          m=round_half_up(reference.z(jobs), 1), median=reference.median))
                    )  # fmt: skip
            else:
                rule.passing += 1
        return rules

    def payments(self, province_id: int | None) -> tuple[dict, dict, dict]:
        reference_from = window(self.year, self.month, REFERENCE_MONTHS).start
        rows = [r for r in self.data.payments() if reference_from <= r.day <= self.day]
        by_category: dict[str, list] = defaultdict(list)
        for row in rows:
            by_category[row.category].append(row.amount)
        references = {category: Reference.of(values) for category, values in by_category.items()}
        amounts: dict[int, RuleScore] = {}
        dates: dict[int, RuleScore] = {}
        paid_projects: dict[int, set] = defaultdict(set)
        for row in rows:
            if row.day < self.period.start or (province_id is not None and row.province != province_id):
                continue
            paid_projects[row.province].add(row.project)
            a = amounts.setdefault(row.province, RuleScore("payment_amounts"))
            d = dates.setdefault(row.province, RuleScore("payments_in_dates"))
            a.items += 1
            d.items += 1
            reference = references[row.category]
            if reference.is_outlier(row.amount):
                a.lost_count += 1
                if province_id is not None and len(a.lost) < LISTED:
                    a.lost.append(
                        Lost("payment", row.pk, code_text(row.pk), _url("projects:disbursement", row.pk),
                             _lazy_format(_("%(amount)s rials, M = %(m)s for its category"),
                                          amount=row.amount, m=round_half_up(reference.z(row.amount), 1)))
                    )  # fmt: skip
            else:
                a.passing += 1
            inside = (
                row.start is not None and row.start <= row.day and (row.end is None or row.day <= row.end)
            )
            if inside:
                d.passing += 1
            else:
                d.lost_count += 1
                if province_id is not None and len(d.lost) < LISTED:
                    why = (
                        _("its project has no start date")
                        if row.start is None
                        else _("before its project's start")
                        if row.day < row.start
                        else _("after its project's end")
                    )
                    d.lost.append(
                        Lost("payment", row.pk, code_text(row.pk), _url("projects:disbursement", row.pk), why)
                    )
        credit = self._within_credit(paid_projects, province_id is not None)
        return amounts, dates, credit

    def _within_credit(self, paid_projects: dict[int, set], details: bool) -> dict[int, RuleScore]:
        projects = {pk for members in paid_projects.values() for pk in members}
        if not projects:
            return {}
        totals = (
            Disbursement.objects.filter(project_id__in=projects, date__lte=self.day)
            .values("project_id", "project__credit_rials", "project__code")
            .annotate(total=Sum("amount_rials"))
            .order_by("project__code")
        )
        over = {row["project_id"]: row for row in totals if row["total"] > row["project__credit_rials"]}
        rules = {}
        for province, members in paid_projects.items():
            rule = RuleScore("spending_within_credit", len(members), len(members - set(over)))
            rule.lost_count = rule.items - rule.passing
            if details:
                for row in sorted((over[p] for p in members if p in over), key=lambda r: r["project__code"]):
                    rule.lost.append(
                        Lost("project", row["project_id"], code_text(row["project__code"]),
                             _url("projects:developmentproject", row["project_id"]),
                             _lazy_format(_("paid %(total)s rials of a credit of %(credit)s"),
                                          total=row["total"], credit=row["project__credit_rials"]))
                    )  # fmt: skip
            rules[province] = rule
        return rules

    # agreement

    def claims(self, province_id: int | None) -> dict[int, RuleScore]:
        rules: dict[int, RuleScore] = {}
        for claim, province, verdict in self.data.claims():
            if claim.published_on > self.day or verdict == "unknown":
                continue
            if province_id is not None and province != province_id:
                continue
            rule = rules.setdefault(province, RuleScore("claims_match"))
            rule.items += 1
            if verdict == "match":
                rule.passing += 1
            else:
                rule.lost_count += 1
                if province_id is not None:
                    rule.lost.append(
                        Lost("claim", claim.pk, code_text(claim.code), _url("analysis:claim", claim.pk),
                             _("does not match the register"))
                    )  # fmt: skip
        return rules


def _format(template, **values) -> str:
    from shahrak.ui import format as fmt

    shown = {}
    for key, value in values.items():
        if isinstance(value, dt.date):
            shown[key] = fmt.jdate(value)
        elif isinstance(value, int | Decimal):
            shown[key] = fmt.number(
                value, 1 if isinstance(value, Decimal) and value != value.to_integral_value() else 0
            )
        else:
            shown[key] = value
    return str(template) % shown


_lazy_format = lazy(_format, str)


@dataclass
class _Payment:
    pk: int
    day: dt.date
    amount: int
    category: str
    province: int
    project: int
    start: dt.date | None
    end: dt.date | None


class QualityData:
    """What several months share, read once: returns, revivals, payments, claims with their verdicts."""

    def __init__(self, first: Month, last: Month, today: dt.date | None = None):
        self.today = today or timezone.localdate()
        self.first, self.last = first, last
        reference_start = window(*first, REFERENCE_MONTHS).start
        self.span = jalali.Period(reference_start, jalali.month_bounds(*last).end)
        self._returns = None
        self._revivals = None
        self._payments = None
        self._claims = None
        self._iso = None

    def iso(self, province_id: int) -> str:
        if self._iso is None:
            self._iso = dict(Province.objects.values_list("pk", "iso_code"))
        return self._iso[province_id]

    def returns_of(self, months: list[Month]) -> dict:
        if self._returns is None:
            earliest = window(*self.first, RETURN_MONTHS).start
            first_y, first_m, _d = jalali.jalali_parts(earliest)
            self._returns = {
                (r.province_id, r.year, r.month): r
                for r in MonthlyReturn.objects.filter(year__gte=first_y, year__lte=self.last[0])
                if (first_y, first_m) <= (r.year, r.month) <= self.last
            }
        return self._returns

    def revivals(self) -> list[tuple]:
        if self._revivals is None:
            self._revivals = list(
                UnitEvent.objects.filter(
                    kind=EventKind.REVIVED, date__range=(self.span.start, self.span.end), jobs__isnull=False
                )
                .order_by("pk")
                .values_list("pk", "date", "jobs", "county__province_id", "unit_id")
            )
        return self._revivals

    def payments(self) -> list[_Payment]:
        if self._payments is None:
            self._payments = [
                _Payment(*row)
                for row in Disbursement.objects.filter(date__range=(self.span.start, self.span.end))
                .order_by("pk")
                .values_list(
                    "pk",
                    "date",
                    "amount_rials",
                    "category",
                    "province_id",
                    "project_id",
                    "project__start_date",
                    "project__actual_end_date",
                )  # fmt: skip
            ]
        return self._payments

    def claims(self) -> list[tuple]:
        """(claim, its province's id, verdict) for each claim about a province, a county or an estate."""
        if self._claims is None:
            from .ledger import check_claim

            found = []
            claims = list(Claim.objects.exclude(scope="").exclude(scope__iexact="IR").order_by("code"))
            for claim in claims:
                province = province_of_scope(claim.scope)
                if province is None:
                    continue
                found.append((claim, province, check_claim(claim).verdict))
            self._claims = found
        return self._claims


def province_of_scope(code: str) -> int | None:
    """The province id of a scope code: IR-NN, a county's four digits, or an estate's code."""
    text = (code or "").strip().upper()
    if text.startswith("IR-"):
        return Province.objects.filter(iso_code=text).values_list("pk", flat=True).first()
    if text.isdigit() and len(text) == 4:
        return County.objects.filter(sci_code=text).values_list("province_id", flat=True).first()
    return Estate.objects.filter(code=code.strip()).values_list("county__province_id", flat=True).first()


def month_quality(
    year: int,
    month: int,
    *,
    province: Province | None = None,
    today: dt.date | None = None,
    data: QualityData | None = None,
) -> list[ProvinceQuality]:
    """The quality of every province (or one, with the records that lost points) for the month,
    ranked by score, highest first (provinces with no score last), ties by province code."""
    data = data or QualityData((year, month), (year, month), today)
    provinces = [province] if province is not None else list(Province.objects.order_by("sci_code"))
    ids = [p.pk for p in provinces]
    one = province.pk if province is not None else None
    m = _Month(data, year, month)
    submitted, on_time = m.returns(ids, one is not None)
    amounts, in_dates, credit = m.payments(one)
    found = {
        "active_units_updated": m.active_units(one),
        "projects_updated": m.projects(one),
        "estates_located": m.estates(one),
        "returns_submitted": submitted,
        "returns_on_time": on_time,
        "entry_delay": m.entry_delay(one),
        "revival_jobs": m.revivals(one),
        "payment_amounts": amounts,
        "payments_in_dates": in_dates,
        "spending_within_credit": credit,
        "claims_match": m.claims(one),
    }
    results = []
    for p in provinces:
        parts = []
        for part in PARTS:
            rules = [
                found[key].get(p.pk) or RuleScore(key)
                for key, (rule_part, _text) in RULES.items()
                if rule_part == part
            ]
            parts.append(PartScore(part, rules))
        results.append(ProvinceQuality(p, year, month, parts))
    results.sort(key=lambda q: (q.score is None, -(q.score or 0), q.province.sci_code))
    return results


def trend(
    year: int, month: int, months: int = 12, *, province: Province | None = None, today: dt.date | None = None
) -> dict[int, list[tuple[Month, Decimal | None]]]:
    """Each province's (or one's) score over the `months` months ending with year-month, oldest
    first (one read of the shared data for all of them)."""
    span = months_ending(year, month, months)
    data = QualityData(span[0], span[-1], today)
    series: dict[int, list] = defaultdict(list)
    for y, m in span:
        for quality in month_quality(y, m, province=province, today=today, data=data):
            series[quality.province.pk].append(((y, m), quality.score_shown))
    return dict(series)


def last_month(today: dt.date | None = None) -> Month:
    """The pages' default: the latest whole month, or the latest month with a return stored if
    that is earlier (data that ends before today, like the demo's)."""
    today = today or timezone.localdate()
    whole = jalali.add_months(*jalali.jalali_parts(today)[:2], -1)
    latest = MonthlyReturn.objects.order_by("-year", "-month").values_list("year", "month").first()
    return min(whole, tuple(latest)) if latest else whole
