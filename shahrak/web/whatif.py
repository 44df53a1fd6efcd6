"""The what-if panel of the regional-balance page (issue 15, item 5): the form, and the balance
today and after side by side. The allocation and both figures come from analysis/whatif.py and
the metrics engine; this module only writes them for the reader."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shahrak.accounts.scope import may_save_scenarios
from shahrak.analysis import whatif
from shahrak.analysis.forms import ScenarioSaveForm, WhatIfForm
from shahrak.core import jalali
from shahrak.ui import format as fmt

from .figures import label_of

RANKING_COMPARED = 10
STOPPED = {
    whatif.DONE: gettext_lazy("all of Δ was placed"),
    whatif.CAPACITY: gettext_lazy("the counties' capacity is exhausted"),
    whatif.GINI: gettext_lazy("more would raise the Gini (a county without capacity lies below the others)"),
}


def _index(value, decimals=3):
    return "—" if value is None else fmt.number(value, decimals)


def _difference(today, after, decimals=3):
    if today is None or after is None:
        return ""
    change = after - today
    text = fmt.number(abs(change), decimals)
    if text == fmt.number(0, decimals):
        return text  # no change at the precision shown: no sign
    return f"−{text}" if change < 0 else f"+{text}"


def summary_rows(result: whatif.WhatIf, unit: str) -> list[dict]:
    """Spending, spending per person, Gini, Theil and its split: today, after and the change."""
    today, after = result.today.value, result.after.value
    rows = [
        (_("Spending in the year"), "spending_rials", "money", "spending"),
        (_("Spending per person (rials)"), "per_capita_rials", 0, "per-capita"),
        (_("Gini coefficient"), "gini", 3, "gini"),
        (_("Theil index"), "theil", 3, "theil"),
        (_("between provinces"), "theil_between", 3, "theil-between"),
        (_("within provinces"), "theil_within", 3, "theil-within"),
    ]
    shown = []
    for label, key, decimals, testid in rows:
        if decimals == "money":
            texts = (fmt.money(today[key], unit), fmt.money(after[key], unit), "")
        else:
            texts = (
                _index(today[key], decimals),
                _index(after[key], decimals),
                _difference(today[key], after[key], decimals),
            )
        shown.append(
            {
                "label": label,
                "today": texts[0],
                "after": texts[1],
                "change": texts[2],
                "testid": testid,
                "today_value": today[key],
                "after_value": after[key],
            }  # fmt: skip
        )
    return shown


def ranking_pairs(result: whatif.WhatIf) -> list[dict]:
    """The first counties of the under-served ranking, today and after, side by side."""

    def shown(rows):
        return [{**row, "label": label_of(row)} for row in rows[:RANKING_COMPARED]]

    today, after = shown(result.today.breakdowns["ranking"]), shown(result.after.breakdowns["ranking"])
    return [
        {
            "rank": i + 1,
            "today": today[i] if i < len(today) else None,
            "after": after[i] if i < len(after) else None,
        }
        for i in range(max(len(today), len(after)))
    ]


def panel(request, q, weights, all_sizes, unit: str) -> dict:
    """The panel's context: the form (bound when the page's query string has wi-mode) and, when it
    is valid, the balance today and after, the shared link and the form to save the scenario."""
    choices = whatif.county_choices(q.scope)
    bound = "wi-mode" in request.GET
    form = WhatIfForm(request.GET if bound else None, scope=q.scope, counties=choices)
    context = {"whatif_form": form, "whatif": None, "whatif_year": fmt.digits(q.year),
               "whatif_whole_year": q.period == jalali.year_bounds(q.year)}  # fmt: skip
    if not bound or not form.is_valid():
        return context
    data = form.cleaned_data
    result = whatif.run(
        q.year,
        q.scope,
        data["delta_rials"],
        data["mode"],
        data["county"],
        weights=tuple(weights),
        all_sizes=all_sizes,
    )
    allocation = result.allocation
    query = whatif.scenario_query(
        q.year, q.scope.code, data["delta_rials"], data["unit"], data["mode"], data["county"]
    )
    link = f"{reverse('web:balance')}?{urlencode(query, doseq=True)}"
    changes = [
        {
            **row,
            "label": label_of(row),
            "province_label": row["province_fa"] if fmt.is_fa() else row["province_en"],
            "added_text": fmt.money(row["added_rials"], unit),
            "capacity_text": fmt.money(row.get("capacity_rials", 0), unit),
            "over": row["added_rials"] > row.get("capacity_rials", 0),
        }
        for row in result.changes()
    ]
    context.update(
        {
            "whatif": result,
            "whatif_summary": summary_rows(result, unit),
            "whatif_changes": changes,
            "whatif_ranking": ranking_pairs(result),
            "whatif_spent": fmt.money(allocation.spent, unit),
            "whatif_unspent": fmt.money(allocation.unspent, unit),
            "whatif_has_unspent": allocation.unspent > 0,
            "whatif_stopped": STOPPED[allocation.stopped],
            "whatif_over": sum(1 for row in changes if row["over"]),
            "whatif_link": link,
            "whatif_query": query,
            "whatif_save": ScenarioSaveForm(initial={"year": q.year, "scope": q.scope.code})
            if may_save_scenarios(request.user)
            else None,
        }
    )
    return context
