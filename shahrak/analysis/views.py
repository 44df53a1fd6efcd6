from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shahrak.ui import generic

from . import present
from .filtersets import ClaimFilterSet
from .forms import ClaimForm
from .ledger import check_claim, check_claims, contradictions, records_entered_after
from .models import Claim
from .tables import ClaimTable

CLAIMS = Claim.objects.all()


class ClaimListView(generic.ObjectListView):
    queryset = CLAIMS
    filterset = ClaimFilterSet
    table = ClaimTable


class ClaimView(generic.ObjectView):
    queryset = CLAIMS
    template_name = "analysis/claim.html"

    def get_extra_context(self, request, instance):
        outcome = check_claim(instance)
        same_metric = list(Claim.objects.filter(metric=instance.metric))
        outcome.contradictions = contradictions(same_metric).get(instance.pk, [])
        late = records_entered_after(outcome, instance.published_on)
        return {
            "row": present.row(outcome),
            "late": late,
            "checks": instance.checks.all()[:20],
        }


class ClaimEditView(generic.ObjectEditView):
    queryset = CLAIMS
    form = ClaimForm


class ClaimDeleteView(generic.ObjectDeleteView):
    queryset = CLAIMS


class ClaimHistoryView(generic.ObjectHistoryView):
    queryset = CLAIMS


@login_required
def ledger(request):
    """Every published claim with the register's value, the verdict, the rate it implies and contradictions."""
    # A fresh query set on each request: the module-level one would keep its first results.
    rows = [present.row(outcome) for outcome in check_claims(Claim.objects.all())]
    counts = {
        verdict: sum(1 for r in rows if r["verdict"] == verdict)
        for verdict in ("match", "mismatch", "unknown")
    }
    context = {
        "rows": rows,
        "counts": counts,
        "contradicting": sum(1 for r in rows if r["outcome"].contradictions),
        "nav": "ledger",
        "can_add": generic.may_write_model(request.user, Claim),
    }
    return render(request, "analysis/ledger.html", context)


@login_required
def constant_rials(request):
    """Infrastructure spending by year, in current rials or at the prices of a chosen month (a switch)."""
    from django.http import HttpResponseBadRequest

    from shahrak.core import jalali
    from shahrak.estates.scope import UnknownScope, parse_scope
    from shahrak.ui import format as fmt
    from shahrak.ui.preferences import money_unit

    from .models import IndexSource
    from .prices import constant_spending, parse_month, yearly

    last_year = jalali.default_year()
    try:
        first = int(request.GET.get("from") or last_year - 4)
        last = int(request.GET.get("to") or last_year)
        years = list(range(jalali.check_year(first), jalali.check_year(last) + 1))
        prices_text = request.GET.get("prices") or f"{last_year}-01"
        constant = prices_text != "current"
        prices = parse_month(prices_text if constant else f"{last_year}-01")
        scope = parse_scope(request.GET.get("scope") or "")
    except (ValueError, UnknownScope, jalali.InvalidDate) as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    if not years or len(years) > 30:
        return HttpResponseBadRequest("give 1 to 30 years", content_type="text/plain; charset=utf-8")
    source = request.GET.get("source") or IndexSource.SCI_CPI
    if source not in IndexSource.values:
        return HttpResponseBadRequest("unknown index source", content_type="text/plain; charset=utf-8")
    figure = constant_spending(years, prices, scope=scope, source=source)
    unit = money_unit(request)
    unit = (
        "trillion_rial" if unit == "usd" else unit
    )  # constant prices are rials; dollars are another deflator
    rows = [
        {
            **row,
            "current_text": fmt.money(row["rials"], unit),
            "constant_text": fmt.money(row["constant_rials"], unit)
            if row["constant_rials"] is not None
            else "—",
        }
        for row in yearly(figure)
    ]
    context = {
        "nav": "constant",
        "figure": figure,
        "rows": rows,
        "constant": constant,
        "prices_text": f"{prices[0]}-{prices[1]:02d}",
        "prices_label": f"{jalali.MONTHS_FA[prices[1] - 1] if fmt.is_fa() else jalali.MONTHS_EN[prices[1] - 1]} {fmt.digits(prices[0])}",
        "series": figure.series,
        "source_label": IndexSource(source).label,
        "sources": IndexSource.choices,
        "source": source,
        "scope": scope,
        "scope_name": scope.name_fa if fmt.is_fa() else scope.name_en,
        "years": years,
        "max_rials": max([r["rials"] for r in rows] + [r["constant_rials"] or 0 for r in rows] + [1]),
    }
    return render(request, "analysis/constant_rials.html", context)


@login_required
def nowcast(request):
    """The year-end nowcast of every target of a year, national and per province, with the back-test."""
    from django.http import HttpResponseBadRequest
    from django.utils import timezone

    from shahrak.core import jalali
    from shahrak.targets.models import TargetMetric
    from shahrak.ui import format as fmt
    from shahrak.ui.preferences import money_unit

    from .nowcast import HIGH, LOW, PATHS, STATUS_LABELS, months_ended, nowcast_year, pooled

    try:
        year = jalali.check_year(int(request.GET.get("year") or jalali.default_year()))
        as_of_text = request.GET.get("as_of") or ""
        as_of = jalali.parse_date(as_of_text) if as_of_text else timezone.localdate()
    except (ValueError, jalali.InvalidDate) as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    unit = money_unit(request)
    unit = "billion_rial" if unit == "usd" else unit  # a projection is of rials; dollars need a rate per path
    results = nowcast_year(year, as_of)
    rows = []
    for result in results:
        money = result.metric == TargetMetric.INFRASTRUCTURE_SPENDING

        def text(value, money=money):
            return "—" if value is None else fmt.money(value, unit) if money else fmt.number(value)

        p, bt = result.projection, result.backtest
        rows.append(
            {
                "result": result,
                "scope": result.scope.name_fa if fmt.is_fa() else result.scope.name_en,
                "metric": TargetMetric(result.metric).label,
                "target": text(result.value),
                "observed": text(p.observed if p else None),
                "projected": text(p.median if p else None),
                "low": text(p.low if p else None),
                "high": text(p.high if p else None),
                "status": result.status or "",
                "status_label": STATUS_LABELS.get(result.status, ""),
                "chance": fmt.percent(p.chance(result.value), 0) if p else "—",
                "coverage": fmt.percent(bt.coverage, 0) if bt and bt.coverage is not None else "—",
                "covered": bt.covered if bt else 0,
                "trials": len(bt.trials) if bt else 0,
            }
        )
    overall = pooled(results)
    context = {
        "nav": "nowcast",
        "year": year,
        "as_of": as_of,
        "as_of_text": fmt.jdate(as_of),
        "months": months_ended(year, as_of),
        "rows": rows,
        "overall": overall,
        "overall_trials": len(overall.trials),
        "overall_coverage": fmt.percent(overall.coverage, 1) if overall.coverage is not None else "—",
        "paths": PATHS,
        "range_text": f"{fmt.percent(LOW, 0)} – {fmt.percent(HIGH, 0)}",
    }
    return render(request, "analysis/nowcast.html", context)


def _quality_month(request):
    """The month of a quality page: ?month=1401-09, or the latest whole month; (year, month) or an error."""
    from .quality import last_month, parse_month

    text = request.GET.get("month") or ""
    return parse_month(text) if text else last_month()


def _trend_rows(series, months):
    from shahrak.returns.models import month_label

    return {
        "labels": [month_label(y, m) for y, m in months],
        "values": [None if score is None else float(score) for _month, score in series],
    }


@login_required
def quality(request):
    """Provinces ranked by the month's data-quality score, its four parts, a map and each one's trend."""
    from django.http import HttpResponseBadRequest
    from django.urls import reverse

    from shahrak.core import jalali
    from shahrak.returns.models import month_label
    from shahrak.ui import format as fmt

    from .quality import PARTS, RULES, month_quality, months_ending, trend

    try:
        year, month = _quality_month(request)
    except jalali.InvalidDate as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    results = month_quality(year, month)
    series = trend(year, month)
    months = months_ending(year, month, 12)
    query = f"?month={year:04d}-{month:02d}"
    rows, map_values, trends = [], [], {}
    for rank, q in enumerate(results, start=1):
        url = reverse("analysis:quality_province", args=[q.province.iso_code]) + query
        rows.append({"rank": rank, "q": q, "url": url})
        shown = "—" if q.score_shown is None else fmt.number(q.score_shown, 1)
        map_values.append(
            {
                "name": q.province.iso_code,
                "value": None if q.score is None else float(q.score_shown),
                "label": q.province.name,
                "text": shown,
                "url": url,
            }
        )
        trends[q.province.iso_code] = _trend_rows(series.get(q.province.pk, []), months)
    context = {
        "nav": "quality",
        "year": year,
        "month": month,
        "month_text": month_label(year, month),
        "month_value": f"{year:04d}-{month:02d}",
        "rows": rows,
        "parts": PARTS,
        "rules": [(PARTS[part], text) for _key, (part, text) in RULES.items()],
        "map_values": map_values,
        "trends": trends,
    }
    return render(request, "analysis/quality.html", context)


@login_required
def quality_province(request, province):
    """One province's month: every rule with its text, its points and the records that lost points."""
    from django.http import HttpResponseBadRequest
    from django.shortcuts import get_object_or_404

    from shahrak.core import jalali
    from shahrak.regions.models import Province
    from shahrak.returns.models import month_label

    from .quality import PART_POINTS, month_quality, months_ending, trend

    found = get_object_or_404(Province, iso_code=province)
    try:
        year, month = _quality_month(request)
    except jalali.InvalidDate as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    q = month_quality(year, month, province=found)[0]
    months = months_ending(year, month, 12)
    series = trend(year, month, province=found).get(found.pk, [])
    parts = [
        {"part": part, "rules": [(rule, part.rule_points(rule)) for rule in part.rules]} for part in q.parts
    ]
    context = {
        "nav": "quality",
        "q": q,
        "province": found,
        "parts": parts,
        "part_points": PART_POINTS,
        "month_text": month_label(year, month),
        "month_value": f"{year:04d}-{month:02d}",
        "trend": _trend_rows(series, months),
    }
    return render(request, "analysis/quality_province.html", context)


@login_required
def scenario_list(request):
    """The saved what-if scenarios, newest first, each with the link that reproduces it."""
    from django.core.paginator import Paginator

    from shahrak.estates.scope import UnknownScope, parse_scope
    from shahrak.ui import format as fmt

    from .models import Scenario

    page = Paginator(Scenario.objects.select_related("created_by"), 50).get_page(request.GET.get("page"))
    rows = []
    for scenario in page:
        try:
            scope = parse_scope(scenario.scope)
            scope_name = scope.name_fa if fmt.is_fa() else scope.name_en
        except UnknownScope:
            scope_name = scenario.scope
        rows.append(
            {
                "scenario": scenario,
                "scope_name": scope_name,
                "delta": fmt.money(scenario.delta_rials, scenario.unit),
            }
        )
    return render(request, "analysis/scenarios.html", {"page": page, "rows": rows, "nav": "balance"})


@login_required
def scenario_save(request):
    """Save the what-if scenario of the regional-balance page (national analysts and administrators)."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponseNotAllowed, HttpResponseRedirect
    from django.utils.translation import gettext as _

    from shahrak.accounts.scope import may_save_scenarios
    from shahrak.core import jalali
    from shahrak.estates.scope import UnknownScope, parse_scope

    from .actions import save_scenario
    from .forms import ScenarioSaveForm, WhatIfForm
    from .models import Scenario
    from .whatif import county_choices

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not may_save_scenarios(request.user):
        raise PermissionDenied(_("Only national analysts and administrators save scenarios."))
    saved = ScenarioSaveForm(request.POST)
    try:
        scope = parse_scope(request.POST.get("scope") or "")
    except UnknownScope:
        scope = None
    if not saved.is_valid() or scope is None:
        messages.error(request, _("The scenario was not saved: give it a name."))
        return HttpResponseRedirect(reverse_balance())
    form = WhatIfForm(request.POST, scope=scope, counties=county_choices(scope))
    if not form.is_valid():
        errors = "; ".join(str(e) for field in form.errors.values() for e in field)
        messages.error(request, _("The scenario was not saved: %(errors)s") % {"errors": errors})
        return HttpResponseRedirect(reverse_balance())
    data = form.cleaned_data
    try:
        year = jalali.check_year(saved.cleaned_data["year"])
    except (ValueError, jalali.InvalidDate):
        messages.error(request, _("The scenario was not saved: the year is not valid."))
        return HttpResponseRedirect(reverse_balance())
    scenario = Scenario(
        name=saved.cleaned_data["name"], year=year, scope=scope.code, delta_rials=data["delta_rials"],
        unit=data["unit"], mode=data["mode"], counties=data["county"] if data["mode"] == "chosen" else [],
    )  # fmt: skip
    save_scenario(scenario, actor=request.user)
    messages.success(request, _("Scenario «%(name)s» saved.") % {"name": scenario.name})
    return HttpResponseRedirect(scenario.get_absolute_url() + "#whatif")


def reverse_balance() -> str:
    from django.urls import reverse

    return reverse("web:balance")
