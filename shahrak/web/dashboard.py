"""The figure pages: the dashboard, a figure's records (drill-down) and the regional balance.

Every number comes from the metrics engine for the period, scope and filters of the query string
(`figures.figure_query`); a drill-down lists `engine.compute(...).records()` and totals that same
query, so its total is the figure's by construction.
"""

from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from shahrak.analysis.nowcast import STATUS_LABELS, Status, nowcast_rows
from shahrak.core import jalali
from shahrak.core.money import rials_in
from shahrak.core.text import normalize
from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.estates.tables import EstateTable, WorkshopUnitTable
from shahrak.land.models import AllocationContract, Application, Instalment
from shahrak.land.tables import ApplicationTable, ContractTable, InstalmentTable
from shahrak.metrics import engine
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement
from shahrak.projects.tables import DevelopmentProjectTable, DisbursementTable, PlannedDisbursementTable
from shahrak.regions.models import Province
from shahrak.regions.scope import Scope
from shahrak.returns.status import late_and_missing
from shahrak.targets.models import Target
from shahrak.targets.tables import TargetTable
from shahrak.ui import format as fmt
from shahrak.ui.paginator import CappedPaginator
from shahrak.ui.preferences import money_unit
from shahrak.units.models import ProductionUnit, UnitEvent
from shahrak.units.tables import ProductionUnitTable, UnitEventTable

from .figures import FIGURES, TARGET_CARD, FigureQuery, drilldown_url, figure_query, label_of
from .whatif import panel as whatif_panel

# The records a figure can count, how to list them and what to fetch with them.
RECORD_TABLES = {
    WorkshopUnit: (WorkshopUnitTable, ("estate", "occupant")),
    Estate: (EstateTable, ("county__province",)),
    Disbursement: (DisbursementTable, ("project",)),
    DevelopmentProject: (DevelopmentProjectTable, ("estate",)),
    PlannedDisbursement: (PlannedDisbursementTable, ("project",)),
    UnitEvent: (UnitEventTable, ("unit",)),
    ProductionUnit: (ProductionUnitTable, ("estate", "county__province", "isic")),
    Target: (TargetTable, ("province",)),
}
RECORD_TABLES.update(
    {
        AllocationContract: (ContractTable, ("estate", "holder")),
        Application: (ApplicationTable, ("estate",)),
        Instalment: (InstalmentTable, ("contract",)),
    }
)


def chart_unit(unit: str) -> str:
    """Charts of rials use the reader's rial unit; dollars need a rate per month, so charts stay in rials."""
    return unit if unit != "usd" else "billion_rial"


def headline_text(view, result, unit: str) -> str:
    value = view.headline.read(result.value)
    if view.name == "regional_balance":
        gini = result.value["gini"]
        return fmt.number(gini, 3) if gini is not None else "—"
    if not view.headline.money:
        return fmt.number(value)
    if unit == "usd":
        return fmt.usd(result.value.get("usd_at_period_end"))
    return fmt.money(value, unit)


def approval_label(view, result, unit: str) -> dict | None:
    """The figure's approval status for its label (web/inc/approval.html), worked out by the engine
    (metrics/approval.py); a revised figure's published and current headlines written for the reader."""
    approval = result.approval
    if not approval:
        return None
    label = {**approval, "published_text": "", "current_text": ""}
    if approval["published_value"] is not None and approval["current_value"] is not None:
        for key, value in (
            ("published_text", approval["published_value"]),
            ("current_text", approval["current_value"]),
        ):
            number = view.headline.read(value)
            label[key] = fmt.money(number, chart_unit(unit)) if view.headline.money else fmt.number(number)
    label["revised_count"] = len(approval["revised_months"])
    return label


def target_rows(rows: list[dict], q: FigureQuery, unit: str, nowcasts: dict | None = None) -> list[dict]:
    """Targets with their progress and year-end nowcast, written for the reader; spending targets in
    the reader's rial unit."""
    nowcasts = nowcasts or {}
    shown = []
    for row in rows:
        money = row["metric"] == "infrastructure_spending"

        def text(value, money=money):
            return fmt.money(value, chart_unit(unit)) if money else fmt.number(value)

        ratio = row["ratio"]
        shown.append(
            {
                **row,
                "label": label_of(row),
                "card": TARGET_CARD.get(row["metric"], row["metric"]),
                "target_text": text(row["target"]),
                "achieved_text": text(row["achieved"]),
                "ratio_text": fmt.percent(ratio, 0),
                "width": min(100, int((ratio or 0) * 100)),
                "met": ratio is not None and ratio >= 1,
                "period_text": f"{fmt.jdate(row['start'])} – {fmt.jdate(row['end'])}",
                "url": target_url(row, q),
                "nowcast": nowcast_text(nowcasts.get(row["key"]), text),
            }
        )
    return shown


STATUS_CLASSES = {Status.ON_TRACK: "success", Status.AT_RISK: "warning", Status.OFF_TRACK: "danger"}


def nowcast_text(result, text) -> dict | None:
    """A target's year-end nowcast for its card: the projection, its 80% range and the status."""
    if result is None:
        return None
    projection = result.projection
    if projection is None:
        return {"status": "", "projected": ""}
    return {
        "status": result.status,
        "label": STATUS_LABELS[result.status],
        "css": STATUS_CLASSES[result.status],
        "projected": text(projection.median),
        "low": text(projection.low),
        "high": text(projection.high),
        "chance": fmt.percent(projection.chance(result.value), 0),
    }


def target_url(row: dict, q: FigureQuery) -> str:
    """The records behind a target's achievement: its figure over the target's dates up to the period end.
    Targets cover all the records of their scope, so the estate-kind and deprived filters are dropped."""
    name = TARGET_CARD.get(row["metric"], row["metric"])
    query = {
        "period": "range",
        "start": jalali.format_jalali(row["start"]),
        "end": jalali.format_jalali(row["measured_to"]),
        "scope": q.scope.code,
        "rate": q.params.get("rate"),
    }
    return f"{reverse('web:drilldown', args=[name])}?{urlencode({k: v for k, v in query.items() if v})}"


@login_required
def dashboard(request):
    q = figure_query(request)
    unit = money_unit(request)
    results = engine.compute_all(q.period, q.scope, q.filters)
    target_progress = results["target_progress"].breakdowns.get("targets", [])
    # The year-end nowcast as of the period's end, or today if earlier: one query per target figure.
    as_of = min(q.period.end, timezone.localdate())
    targets = target_rows(target_progress, q, unit, nowcast_rows(target_progress, q.scope, as_of))
    cards = []
    for name in engine.METRICS:
        view, result = FIGURES[name], results[name]
        cards.append(
            {
                "name": name,
                "label": view.label,
                "caption": view.caption,
                "value": view.headline.read(result.value),
                "text": headline_text(view, result, unit),
                "lines": [
                    (label, text, drilldown_url(name, q, bd=part[0], key=part[1]) if part else None)
                    for label, text, part in view.card_lines(result, {"unit": unit})
                ],
                "parts": [row[view.headline.key] for row in view.part_rows(result)],
                "url": drilldown_url(name, q),
                "targets": [t for t in targets if t["card"] == name],
                "warnings": result.warnings,
                "provisional": len(result.provisional_counties),
                "approval": approval_label(view, result, unit),
            }
        )
    cards = [c for c in cards if c["name"] != "target_progress"]
    spending = results["infrastructure_spending"]
    categories = [
        {
            "key": row["key"],
            "label": label_of(row),
            "value": float(rials_in(row["rials"], chart_unit(unit))),
            "text": fmt.money(row["rials"], chart_unit(unit)),
            "url": drilldown_url("infrastructure_spending", q, bd="category", key=row["key"]),
        }
        for row in spending.breakdowns["category"]
    ]
    context = {
        "nav": "dashboard",
        "q": q,
        "cards": cards,
        "targets": targets,
        "targets_url": drilldown_url("target_progress", q),
        "categories": categories,
        "chart_unit_label": fmt.money_unit_label(chart_unit(unit)),
        "series_metrics": [(n, v.label) for n, v in FIGURES.items() if v.series],
        "trend_metrics": [
            (n, v.label) for n, v in FIGURES.items() if n not in ("target_progress", "regional_balance")
        ],
        "map_metrics": [(n, v.label) for n, v in FIGURES.items() if v.map],
        "query": q.query(),
        # Late and missing monthly returns per province (two queries: the months' returns, the provinces).
        "overdue_returns": late_and_missing(),
    }
    return render(request, "web/dashboard.html", context)


def _chart_number(view, value, unit):
    if value is None:
        return None
    return float(rials_in(value, chart_unit(unit))) if view.headline.money else value


@login_required
def trend(request):
    """A figure's headline month by month in the period's year, and year by year for five years."""
    q = figure_query(request)
    view = FIGURES.get(request.GET.get("metric") or "")
    if view is None or view.name in ("target_progress", "regional_balance"):
        raise Http404(_("No such figure."))
    unit = money_unit(request)
    year = q.year
    monthly = None
    if view.series:
        series = engine.monthly_series(view.name, year, q.scope, q.filters)
        monthly = {
            "labels": _month_names(),
            "values": [_chart_number(view, number, unit) for _, _, number in series],
            "urls": [
                drilldown_url(
                    view.name,
                    q,
                    period="months",
                    year=year,
                    m1=month,
                    m2=month,
                    past=None,
                    start=None,
                    end=None,
                )
                for _, month, _ in series
            ],
        }
    years = list(range(year - 4, year + 1))
    yearly_values = []
    for y in years:
        result = engine.compute(view.name, jalali.year_bounds(y), q.scope, q.filters)
        yearly_values.append(_chart_number(view, view.headline.read(result.value), unit))
    return JsonResponse(
        {
            "metric": view.name,
            "label": view.label,
            "unit": fmt.money_unit_label(chart_unit(unit)) if view.headline.money else "",
            "monthly": monthly,
            "yearly": {
                "labels": [fmt.digits(y) for y in years],
                "values": yearly_values,
                "urls": [
                    drilldown_url(
                        view.name, q, period="year", year=y, m1=None, m2=None, past=None, start=None, end=None
                    )
                    for y in years
                ],
            },
        }
    )


def _month_names():
    return jalali.MONTHS_FA if fmt.is_fa() else jalali.MONTHS_EN


@login_required
def province_map(request):
    """A figure's headline for each of the 31 provinces, for the choropleth map."""
    q = figure_query(request)
    view = FIGURES.get(request.GET.get("metric") or "")
    if view is None or not view.map:
        raise Http404(_("No such figure."))
    unit = money_unit(request)
    result = engine.compute(view.name, q.period, Scope(), q.filters)
    by_province = {row["key"]: row.get(view.headline.key, 0) for row in result.breakdowns.get("province", [])}
    provinces = list(Province.objects.order_by("sci_code"))
    values = []
    for province in provinces:
        if "province" in result.breakdowns:
            value = by_province.get(province.iso_code, 0)
        else:
            scope = Scope("province", province.iso_code, province.pk, province.name_fa, province.name_en)
            value = view.headline.read(engine.compute(view.name, q.period, scope, q.filters).value)
        values.append(
            {
                "name": province.iso_code,
                "value": _chart_number(view, value, unit),
                "label": province.name,
                "text": fmt.money(value, chart_unit(unit)) if view.headline.money else fmt.number(value),
                "url": drilldown_url(view.name, q, scope=province.iso_code),
            }
        )
    return JsonResponse(
        {
            "metric": view.name,
            "label": view.label,
            "unit": fmt.money_unit_label(chart_unit(unit)) if view.headline.money else "",
            "values": values,
        }
    )


@login_required
def drilldown(request, name):
    """The records a figure counted, filtered exactly as the figure was, with their totals."""
    view = FIGURES.get(name)
    if view is None:
        raise Http404(_("No such figure."))
    q = figure_query(request)
    unit = money_unit(request)
    result = engine.compute(name, q.period, q.scope, q.filters)
    records = result.records()
    breakdown, key = request.GET.get("bd") or "", request.GET.get("key") or ""
    figure_values = {t.key: t.read(result.value) for t in view.totals}
    breakdown_label = ""
    if breakdown:
        row = next((r for r in result.breakdowns.get(breakdown, []) if str(r["key"]) == key), None)
        apply = view.breakdown_filters.get(breakdown)
        if row is None or apply is None:
            raise Http404(_("This figure has no such part."))
        records = apply(records, key, q)
        figure_values = {t.key: row.get(t.key) for t in view.totals}
        breakdown_label = label_of(row)
    table_class, related = RECORD_TABLES[records.model]
    records = records.select_related(*related)
    aggregates = records.aggregate(**{t.key: t.aggregate() for t in view.totals})
    totals = []
    for total in view.totals:
        value = aggregates[total.key] or 0
        figure = figure_values.get(total.key)
        totals.append(
            {
                "key": total.key,
                "label": total.label,
                "value": value,
                "text": fmt.money(value, chart_unit(unit)) if total.money else fmt.number(value),
                "figure": figure,
                "matches": figure is None or figure == value,
            }
        )
    table = table_class(records, request=request)
    paginate = {"per_page": 50, "paginator_class": CappedPaginator, "silent": False}
    counted = next((t.key for t in view.totals if t.counts_rows), None)
    if counted is not None:
        paginate["known_count"] = aggregates[counted] or 0
    try:
        RequestConfig(request, paginate=paginate).configure(table)
    except EmptyPage:
        raise Http404(_("There is no such page.")) from None
    context = {
        "nav": "dashboard",
        "q": q,
        "view": view,
        "table": table,
        "totals": totals,
        "breakdown_label": breakdown_label,
        "warnings": result.warnings,
        "approval": approval_label(view, result, unit),
        "back_url": f"{_dashboard_url()}?{q.query()}",
        "model_meta": records.model._meta,
        "extra_params": {"bd": breakdown, "key": key} if breakdown else {},
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    return render(request, "web/inc/results.html" if partial else "web/drilldown.html", context)


def _dashboard_url():
    return reverse("web:dashboard")


RANKING_SHOWN = 30
WEIGHT_LABELS = [
    gettext_lazy("w₁ little spending"),
    gettext_lazy("w₂ free land"),
    gettext_lazy("w₃ idle units"),
    gettext_lazy("w₄ population"),
]


def parse_weights(request) -> tuple[list[Decimal], list[str]]:
    """The ranking's weights from ?w1=…&w4=…; a weight not given is the engine's default."""
    from shahrak.metrics.balance import DEFAULT_WEIGHTS

    weights, errors = [], []
    for i, default in enumerate(DEFAULT_WEIGHTS, start=1):
        default = Decimal(str(float(default)))  # 2, 1, 1, ½ → 2.0, 1.0, 1.0, 0.5
        text = normalize(request.GET.get(f"w{i}") or str(default))
        try:
            weight = Decimal(text)
            if weight < 0 or not weight.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(_("Weight %(n)s must be a number not below zero.") % {"n": fmt.digits(i)})
            weight = default
        weights.append(weight)
    return weights, errors


@login_required
def balance(request):
    """Regional balance: Lorenz curve, Gini and Theil with its split, shares, under-served counties."""
    q = figure_query(request)
    unit = chart_unit(money_unit(request))
    weights, weight_errors = parse_weights(request)
    all_sizes = request.GET.get("sizes") == "all"
    result = engine.compute(
        "regional_balance", q.period, q.scope, q.filters, weights=tuple(weights), all_sizes=all_sizes
    )
    value = result.value
    ranked = result.breakdowns["ranking"]
    well_funded = [
        {
            **row,
            "label": label_of(row),
            "province_label": row["province_fa"] if fmt.is_fa() else row["province_en"],
            "url": drilldown_url("regional_balance", q, scope=row["key"]),
        }
        for row in result.breakdowns["well_funded"]
    ]
    show_all = request.GET.get("all") == "1"
    ranking = ranked if show_all else ranked[:RANKING_SHOWN]
    top_score = max((row["score"] for row in ranking), default=0) or 1
    for row in ranking:
        row["label"] = label_of(row)
        row["province_label"] = row["province_fa"] if fmt.is_fa() else row["province_en"]
        row["bar"] = int(row["score"] / top_score * 100)
        row["url"] = drilldown_url("regional_balance", q, scope=row["key"])
    groups = {}
    for name in ("deprivation", "size_class"):
        groups[name] = [
            {
                **row,
                "label": label_of(row),
                "url": drilldown_url("regional_balance", q, bd=name, key=row["key"]),
            }
            for row in result.breakdowns[name]
        ]
    provinces = [{**row, "label": label_of(row)} for row in result.breakdowns["provinces"]]
    lorenz = [
        {"x": p["population_share"], "y": p["spending_share"], "label": label_of(p)}
        for p in result.breakdowns["lorenz"]
    ]
    sizes = {"sizes": "all"} if all_sizes else {}
    weight_params = {f"w{i}": str(w) for i, w in enumerate(weights, start=1)}
    context = {
        "nav": "balance",
        "q": q,
        "value": value,
        "all_sizes": all_sizes,
        "well_funded": well_funded,
        "provisional": result.provisional_counties,
        "approval": approval_label(FIGURES["regional_balance"], result, unit),
        "sizes_url": f"?{q.query(**weight_params, sizes=None if all_sizes else 'all')}",
        "unit": unit,
        "unit_label": fmt.money_unit_label(unit),
        "ranking": ranking,
        "ranked_count": len(ranked),
        "all_url": f"?{q.query(all=1, **weight_params, **sizes)}",
        "show_all": show_all,
        "groups": groups,
        "provinces": provinces,
        "lorenz": lorenz,
        "weights": weights,
        "weight_errors": weight_errors,
        "warnings": result.warnings,
        "records_url": drilldown_url("regional_balance", q),
        "weights_query": {**q.params, **sizes},
        "weight_params": {**weight_params, **sizes},
        "weight_fields": list(zip(WEIGHT_LABELS, weights, strict=True)),
    }
    context.update(whatif_panel(request, q, weights, all_sizes, unit))
    return render(request, "web/balance.html", context)
