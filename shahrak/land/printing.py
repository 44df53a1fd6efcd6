"""The allocation contract and its instalment schedule as a Persian (or English) PDF.

What is printed is the contract as recorded: its fee, cash share and instalments as signing wrote
them (terms.contract_terms), the plots at the prices they had when it was signed (their history),
the payments applied to the instalments on the day of printing (ledger.contract_ledger), and the
construction deadline with its extensions. The typesetting is the bulletin's (shahrak/ui/pdf.py).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from shahrak.ui.pdf import FONT_URI, write_pdf

from . import terms
from .ledger import contract_ledger


@dataclass
class PrintedPlot:
    code: str
    area_m2: Decimal
    use: str
    price_per_m2_rials: int

    @property
    def area_places(self) -> int:
        return places(self.area_m2)

    @property
    def gross_rials(self) -> int:
        return terms.half_up(self.area_m2 * self.price_per_m2_rials)


def places(value: Decimal) -> int:
    """Decimals worth printing: none for a whole number (1,200 m², 10%), else two."""
    return 0 if Decimal(value) == Decimal(value).to_integral() else 2


def plots_at_signing(contract) -> list[PrintedPlot]:
    """The contract's plots with the area, use and price they had when the contract was recorded
    (a price changed since does not change a signed fee)."""
    first = contract.history.order_by("history_date").first()
    rows = []
    for plot in contract.plots.order_by("code"):
        record = plot
        if first is not None:
            try:
                record = plot.history.as_of(first.history_date)
            except type(plot).DoesNotExist:  # a plot recorded after its contract (an import's order)
                pass
        rows.append(
            PrintedPlot(plot.code, record.area_m2, record.get_use_display(), record.price_per_m2_rials)
        )
    return rows


def contract_context(contract, day: dt.date) -> dict:
    county = contract.estate.county
    plots = plots_at_signing(contract)
    ledger = contract_ledger(contract, day)
    rows = [
        {
            "number": row.number,
            "due_date": row.due_date,
            "amount_rials": row.amount_rials,
            "paid_rials": row.covered_rials,
            "outstanding_rials": row.amount_rials - row.covered_rials,
        }
        for row in ledger.rows
    ]
    gross = sum((Decimal(p.area_m2) * p.price_per_m2_rials for p in plots), Decimal(0))
    return {
        "contract": contract,
        "application": contract.application,
        "county": county,
        "province": county.province,
        "plots": plots,
        "area_m2": sum((p.area_m2 for p in plots), Decimal(0)),
        "area_places": max((p.area_places for p in plots), default=0),
        "gross_rials": terms.half_up(gross),
        "discount_rials": terms.half_up(gross) - contract.fee_rials,
        "discount_percent": contract.discount_percent,
        "discount_places": places(contract.discount_percent),
        "cash_share_percent": terms.cash_share_rate(county) * 100,
        "rest_rials": contract.fee_rials - contract.cash_share_rials,
        "instalment_count": sum(1 for row in rows if row["number"]),
        "rows": rows,
        "ledger": ledger,
        "arrears_rials": max(ledger.arrears_rials, 0),  # paid ahead is no arrears
        "outstanding_rials": ledger.total_rials - min(ledger.paid_rials, ledger.total_rials),
        "extensions": list(contract.extensions.order_by("granted_date")),
        "deadline_today": contract.deadline_on(day),
        "transfers": list(contract.transfers.select_related("from_holder", "to_holder").order_by("date")),
        "day": day,
        "fonts": FONT_URI,
    }


def render_contract_html(contract, day: dt.date, lang: str) -> str:
    with translation.override(lang):
        context = contract_context(contract, day)
        context["lang"], context["direction"] = lang, "rtl" if lang == "fa" else "ltr"
        return render_to_string("land/contract_pdf.html", context)


def write_contract_pdf(contract, target, day: dt.date, lang: str = "fa") -> list[str]:
    """Write the contract with its schedule on the day as PDF; returns the fonts embedded."""
    return write_pdf(render_contract_html(contract, day, lang), target)
