"""What the figure pages share: the period, scope and filters read from the query string, and how
each figure of the metrics engine is presented (its headline, its lines, its drill-down totals).

The dashboard, a figure's drill-down and the regional-balance page read the same query string
with `figure_query`, so a link from a figure to its records carries exactly the figure's filters.
No number is computed here: values come from `shahrak.metrics.engine`; the drill-down totals are
aggregates over the engine's own `records()` query.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shahrak.core import jalali
from shahrak.metrics import engine
from shahrak.regions.models import DEPRIVED_STATUSES
from shahrak.regions.scope import NATION, Scope
from shahrak.ui import format as fmt
from shahrak.ui.preferences import rate_source

from .forms import PeriodForm

# The query-string keys of a figure (period, scope, filters); everything else is the page's own.
FIGURE_KEYS = ("period", "year", "m1", "m2", "past", "start", "end", "scope", "kind", "deprived", "rate")


@dataclass
class FigureQuery:
    period: jalali.Period
    scope: Scope
    filters: engine.Filters
    form: PeriodForm
    params: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    def query(self, **extra) -> str:
        """The query string of this figure, with the page's own keys added (None drops a key)."""
        params = {**self.params, **extra}
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})

    @property
    def year(self) -> int:
        return jalali.jalali_year_of(self.period.end)

    def describe(self) -> str:
        """«۱ فروردین ۱۴۰۱ تا ۲۹ اسفند ۱۴۰۱»"""
        start, end = fmt.jdate_long(self.period.start), fmt.jdate_long(self.period.end)
        return _("%(start)s to %(end)s") % {"start": start, "end": end}

    @property
    def scope_name(self) -> str:
        return self.scope.name_fa if fmt.is_fa() else self.scope.name_en


def figure_query(request) -> FigureQuery:
    """Period, scope and filters from ?period=year&year=1401&scope=IR-23&kind=park&deprived=on&rate=…"""
    form = PeriodForm(request.GET or None)
    errors = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        period, scope = data["period_value"], data["scope"]
    else:
        if form.is_bound:
            errors = [e for field_errors in form.errors.values() for e in field_errors]
        data = {"kind": "", "deprived": False}
        period, scope = jalali.default_period(form.today), form.requested_scope or NATION
        form = PeriodForm(initial={"period": "year", "year": form.default_year})
    filters = engine.Filters(
        estate_kind=data.get("kind") or None,
        deprived_only=bool(data.get("deprived")),
        rate_source=rate_source(request),
    )
    params = {key: request.GET.get(key) for key in FIGURE_KEYS if request.GET.get(key)}
    return FigureQuery(period, scope, filters, form, params, errors)


@dataclass
class Total:
    """One total of a figure's records: its name in the figure's value (and breakdown rows), how to
    aggregate the records, and how to read it from the figure's value."""

    key: str
    label: str
    aggregate: Callable
    read: Callable
    money: bool = False
    counts_rows: bool = False  # the total is the number of records listed


def _self(value):
    return value


def _item(name):
    return lambda value: value[name]


def COUNT():  # noqa: N802 - reads as the aggregate it returns
    return Count("id")


@dataclass
class FigureView:
    name: str
    totals: list[Total]
    lines: Callable = lambda result, q: []  # noqa: E731
    series: bool = False
    map: bool = True
    caption: str = ""
    breakdown_filters: dict = field(default_factory=dict)
    # The breakdown whose rows the card lists as its parts (they add up to the headline), if any.
    parts: str | None = None

    def part_rows(self, result) -> list[dict]:
        """The rows of the card's parts: every row of `parts` that counts something, so that the
        parts shown add up to the card's headline (none left out, as technology parks once were)."""
        if self.parts is None:
            return []
        return [row for row in result.breakdowns.get(self.parts, []) if row.get(self.headline.key)]

    def card_lines(self, result, q) -> list[tuple]:
        """(label, text, (breakdown, key) or None): the parts first, then the card's other lines."""
        parts = [
            (label_of(r), fmt.number(r[self.headline.key]), (self.parts, r["key"]))
            for r in self.part_rows(result)
        ]
        return parts + self.lines(result, q)

    @property
    def headline(self) -> Total:
        return self.totals[0]

    @property
    def label(self) -> str:
        metric = engine.METRICS[self.name]
        return metric.label_fa if fmt.is_fa() else metric.label_en


def label_of(row: dict) -> str:
    return row["label_fa"] if fmt.is_fa() else row["label_en"]


# A card's lines: (label, text, (breakdown, key) of the part it counts, or None).


def _spending_lines(result, q):
    value = result.value
    return [
        (_("in US dollars at the rate at period end"), fmt.usd(value.get("usd_at_period_end")), None),
        (_("at each payment's own rate"), fmt.usd(value.get("usd_at_payment_dates")), None),
    ]


def _projects_lines(result, q):
    unit = q["unit"] if q["unit"] != "usd" else "billion_rial"
    return [(_("credit"), fmt.money(result.value["credit_rials"], unit), None)]


def _planned_lines(result, q):
    return [
        (_("in US dollars at the rate at period end"), fmt.usd(result.value.get("usd_at_period_end")), None)
    ]


def _revived_lines(result, q):
    return [
        (_("jobs restored"), fmt.number(result.value["jobs"]), None),
        (_("revival events"), fmt.number(result.value["events"]), None),
    ]


def _established_lines(result, q):
    rows = {r["key"]: r for r in result.breakdowns.get("knowledge_based", [])}
    tech = {r["key"]: r for r in result.breakdowns.get("tech_intensity", [])}
    lines = []
    if "knowledge_based" in rows:
        row = rows["knowledge_based"]
        lines.append((label_of(row), fmt.number(row["count"]), ("knowledge_based", row["key"])))
    if "high" in tech:
        lines.append((label_of(tech["high"]), fmt.number(tech["high"]["count"]), ("tech_intensity", "high")))
    return lines


def _balance_lines(result, q):
    value = result.value
    return [
        (_("Theil index"), fmt.number(value["theil"], 3) if value["theil"] is not None else "—", None),
        (
            _("share of deprived counties"),
            fmt.percent(value["deprived_spending_share"]),
            ("deprivation", "deprived"),
        ),
    ]


def _targets_lines(result, q):
    return [
        (_("targets met"), f"{fmt.number(result.value['met'])} / {fmt.number(result.value['targets'])}", None)
    ]


def _units_of_size(queryset, key, q):
    from shahrak.units.models import ProductionUnit

    return queryset.filter(
        unit__in=ProductionUnit.objects.with_size_class().filter(size_class=key).values("pk")
    )


def _knowledge_based(queryset, key, q):
    condition = {"unit__knowledge_based_since__lte": q.period.end}
    return queryset.filter(**condition) if key == "knowledge_based" else queryset.exclude(**condition)


def _idle_cause(queryset, key, q):
    from shahrak.metrics.definitions import idle_events

    return queryset.filter(
        pk__in=idle_events(q.period.end, q.scope, q.filters).filter(cause=key).values("unit_id")
    )


def _by(lookup):
    return lambda queryset, key, q: queryset.filter(**{lookup: key})


FIGURES: dict[str, FigureView] = {
    view.name: view
    for view in [
        FigureView(
            "workshops_opened",
            [Total("count", _("workshops"), COUNT, _self, counts_rows=True)],
            series=True,
            breakdown_filters={"estate_kind": _by("estate__kind")},
            parts="estate_kind",
        ),
        FigureView(
            "estates_in_deprived_areas",
            [Total("count", _("estates"), COUNT, _self, counts_rows=True)],
            breakdown_filters={"estate_kind": _by("kind")},
            parts="estate_kind",
        ),
        FigureView(
            "estates_licensed",
            [Total("count", _("estates"), COUNT, _self, counts_rows=True)],
            series=True,
            breakdown_filters={"estate_kind": _by("kind")},
            parts="estate_kind",
        ),
        FigureView(
            "infrastructure_spending",
            [
                Total("rials", _("amount paid"), lambda: Sum("amount_rials"), _item("rials"), money=True),
                Total("payments", _("payments"), COUNT, lambda value: None, counts_rows=True),
            ],
            _spending_lines,
            series=True,
            breakdown_filters={"category": _by("project__category"), "funding_source": _by("funding_source")},
        ),
        FigureView(
            "projects_underway",
            [
                Total("count", _("projects"), COUNT, _item("count"), counts_rows=True),
                Total(
                    "credit_rials",
                    _("credit"),
                    lambda: Sum("credit_rials"),
                    _item("credit_rials"),
                    money=True,
                ),
            ],
            _projects_lines,
            breakdown_filters={"category": _by("category")},
        ),
        FigureView(
            "planned_spending",
            [
                Total("rials", _("planned amount"), lambda: Sum("amount_rials"), _item("rials"), money=True),
                Total("payments", _("planned payments"), COUNT, lambda value: None, counts_rows=True),
            ],
            _planned_lines,
            breakdown_filters={"category": _by("project__category")},
        ),
        FigureView(
            "units_revived",
            [
                Total("units", _("units"), lambda: Count("unit_id", distinct=True), _item("units")),
                Total("events", _("revival events"), COUNT, _item("events"), counts_rows=True),
                Total("jobs", _("jobs restored"), lambda: Sum("jobs"), _item("jobs")),
            ],
            _revived_lines,
            series=True,
        ),
        FigureView(
            "units_established",
            [Total("count", _("units"), COUNT, _self, counts_rows=True)],
            _established_lines,
            series=True,
            breakdown_filters={
                "size_class": _units_of_size,
                "knowledge_based": _knowledge_based,
                "tech_intensity": _by("unit__isic__tech_intensity"),
            },
        ),
        FigureView(
            "idle_units",
            [Total("count", _("units"), COUNT, _self, counts_rows=True)],
            breakdown_filters={"cause": _idle_cause},
            parts="cause",
        ),
        FigureView(
            "target_progress",
            [Total("targets", _("targets"), COUNT, _item("targets"), counts_rows=True)],
            _targets_lines,
            map=False,
        ),
        FigureView(
            "regional_balance",
            [
                Total(
                    "spending_rials",
                    _("amount paid"),
                    lambda: Sum("amount_rials"),
                    _item("spending_rials"),
                    money=True,
                ),
                Total("payments", _("payments"), COUNT, lambda value: None, counts_rows=True),
            ],
            _balance_lines,
            map=False,
            caption=_("Gini coefficient of spending per person across counties"),
            breakdown_filters={
                "deprivation": lambda qs, key, q: (qs.filter if key == "deprived" else qs.exclude)(
                    project__estate__county__deprivation__in=DEPRIVED_STATUSES
                ),
                "size_class": _by("project__estate__county__size_class"),
            },
        ),
    ]
}


# --- land and workshops (metrics/land.py) ----------------------------------------------------------


def _unit_of(q):
    return q["unit"] if q["unit"] != "usd" else "billion_rial"


def _money_line(label, key):
    return lambda result, q: [(label, fmt.money(result.value[key], _unit_of(q)), None)]


def _hectares_line(result, q):
    return [(_("hectares"), fmt.number(result.value["hectares"], 1), None)]


def _lines(*makers):
    return lambda result, q: [line for make in makers for line in make(result, q)]


def _applications_lines(result, q):
    value = result.value
    median = value["median_days_to_contract"]
    return [
        (pgettext_lazy("application state", "approved"), fmt.number(value["approved"]), None),
        (_("rejected"), fmt.number(value["rejected"]), None),
        (_("median days to contract"), fmt.number(median, 1) if median is not None else "—", None),
    ]


def _collection_lines(result, q):
    value = result.value
    rate = value["collection_rate"]
    return [
        (_("received"), fmt.money(value["received_rials"], _unit_of(q)), None),
        (_("collection rate"), fmt.percent(rate) if rate is not None else "—", None),
        (_("arrears at period end"), fmt.money(value["arrears_rials"], _unit_of(q)), None),
    ]


def _occupancy_lines(result, q):
    value = result.value
    median = value["median_vacancy_days"]
    return [
        (_("occupied"), fmt.number(value["occupied"]), None),
        (_("vacant"), fmt.number(value["vacant"]), None),
        (_("median days vacant"), fmt.number(median, 1) if median is not None else "—", None),
    ]


def _programme_lines(result, q):
    value = result.value
    return [
        (_("target"), fmt.number(value["target"]), None),
        (_("opened"), fmt.number(value["opened"]), None),
        (_("occupied"), fmt.number(value["occupied"]), None),
    ]


def _contract_deprivation(qs, key, q):
    return (qs.filter if key == "deprived" else qs.exclude)(estate__county__deprivation__in=DEPRIVED_STATUSES)


def _count_view(name, label, lines):
    return FigureView(name, [Total("count", label, COUNT, _item("count"), counts_rows=True)], lines, map=False)


FIGURES.update(
    {
        view.name: view
        for view in [
            FigureView(
                "land_allocated",
                [Total("count", _("contracts"), COUNT, _item("count"), counts_rows=True)],
                _lines(_hectares_line, _money_line(_("right-of-use fee"), "fee_rials")),
                map=False,
                breakdown_filters={"deprivation": _contract_deprivation},
                parts="deprivation",
            ),
            FigureView(
                "applications",
                [Total("received", _("applications received"), COUNT, _item("received"), counts_rows=True)],
                _applications_lines,
                map=False,
            ),
            _count_view("stalled_contracts", _("contracts"), _hectares_line),
            _count_view("land_reclaimed", _("contracts"), _hectares_line),
            FigureView(
                "land_collection",
                [
                    Total("due_rials", _("instalments due"), lambda: Sum("amount_rials"), _item("due_rials"), money=True),
                    Total("instalments", _("instalments"), COUNT, lambda value: None, counts_rows=True),
                ],
                _collection_lines,
                map=False,
            ),
            FigureView(
                "workshop_occupancy",
                [Total("completed", _("completed workshops"), COUNT, _item("completed"), counts_rows=True)],
                _occupancy_lines,
                map=False,
            ),
            FigureView(
                "programme_progress",
                [Total("planned", _("member workshops"), COUNT, _item("planned"), counts_rows=True)],
                _programme_lines,
                map=False,
            ),
        ]
    }
)

# Target metric → the card it is shown on.
TARGET_CARD = {"jobs_restored": "units_revived"}


def drilldown_url(name: str, q: FigureQuery, **extra) -> str:
    return f"{reverse('web:drilldown', args=[name])}?{q.query(**extra)}"


def estate_scope(estate) -> Scope:
    return Scope("estate", estate.code, estate.pk, estate.name_fa, estate.name_en or estate.name_fa)


def yearly_figure(name: str, scope: Scope, request, years: int = 5) -> list[dict]:
    """A figure's headline in each of the last few Iranian years (for a record's page), newest first,
    each with the link to its records."""
    from shahrak.ui.preferences import money_unit

    view = FIGURES[name]
    unit = money_unit(request)
    last = jalali.default_year()
    filters = engine.Filters(rate_source=rate_source(request))
    rows = []
    for year in range(last, last - years, -1):
        result = engine.compute(name, jalali.year_bounds(year), scope, filters)
        value = view.headline.read(result.value)
        if view.headline.money and unit == "usd":
            text = fmt.usd(result.value.get("usd_at_period_end"))
        else:
            text = fmt.money(value, unit) if view.headline.money else fmt.number(value)
        query = urlencode({"period": "year", "year": year, "scope": scope.code})
        rows.append(
            {
                "year": year,
                "value": value,
                "text": text,
                "url": f"{reverse('web:drilldown', args=[name])}?{query}",
            }
        )
    return rows
