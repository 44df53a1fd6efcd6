"""Published and current figures (DESIGN.md, "Monthly returns, approval and period lock").

When a return is approved, the figures of its province-month are stored as reported
(PublishedFigures, written by `actions.approve` in its transaction). The figures are computed by
the metrics engine, which stands above this app: it hands its way of computing a province-month's
figures in (`register_month_figures`, from shahrak/metrics/apps.py) so that this app never imports it.

`coverage` says, for the province-months a figure covers, how many are approved and which were
approved once and have since been reopened or approved again (the ones whose figures may differ
from those published). shahrak/metrics/approval.py turns that into each figure's approval status.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count

from shahrak.core import jalali

from .models import MonthlyReturn, PublishedFigures, ReturnState, ReturnStep

Month = tuple[int, int]  # (year, month)

# (province, year, month) → {figure name: headline}; set by the metrics app when it is ready.
_month_figures: list[Callable[[object, int, int], dict]] = []


def register_month_figures(compute: Callable[[object, int, int], dict]) -> None:
    """The metrics engine's computation of a province-month's figures (one, the latest given)."""
    _month_figures[:] = [compute]


def figures_of_month(province, year: int, month: int) -> dict:
    """The figures of the province-month now, as they would be stored on approval ({} without the engine)."""
    if not _month_figures:
        return {}
    return _month_figures[0](province, year, month)


# figure name → its label in the reader's language; set by the metrics app when it is ready.
_figure_labels: list[Callable[[str], str]] = []


def register_figure_labels(label: Callable[[str], str]) -> None:
    _figure_labels[:] = [label]


def figure_label(name: str) -> str:
    return _figure_labels[0](name) if _figure_labels else name


@dataclass
class FigureRow:
    """One figure of an approved province-month: as first published, as last approved, and now."""

    name: str
    label: str
    published: object
    latest: object
    current: object

    @property
    def revised(self) -> bool:
        return self.published != self.current


def month_figures_compared(monthly_return: MonthlyReturn) -> list[FigureRow]:
    """The figures of the return's province-month as first published, last approved and now (the
    engine's computation through the hook); [] when it was never approved."""
    stored = list(monthly_return.published.order_by("approved_at", "pk").values_list("figures", flat=True))
    if not stored:
        return []
    now = figures_of_month(monthly_return.province, monthly_return.year, monthly_return.month)
    first, latest = stored[0], stored[-1]
    return [
        FigureRow(name, figure_label(name), first[name], latest.get(name), now.get(name)) for name in first
    ]


def store_published(monthly_return: MonthlyReturn, step: ReturnStep | None, now: dt.datetime):
    """Keep the figures of the approved return's province-month as reported (in the caller's transaction)."""
    figures = figures_of_month(monthly_return.province, monthly_return.year, monthly_return.month)
    return PublishedFigures.objects.create(
        monthly_return=monthly_return, step=step, approved_at=now, figures=figures
    )


def months_of(period: jalali.Period) -> list[Month]:
    """The Solar Hijri months the period touches, oldest first (a figure covers them all)."""
    year, month, _day = jalali.jalali_parts(period.start)
    last = jalali.jalali_parts(period.end)[:2]
    months = []
    while (year, month) <= last:
        months.append((year, month))
        year, month = jalali.add_months(year, month, 1)
    return months


@dataclass
class Revisable:
    """A province-month approved at least once that is no longer in its first approved state: reopened
    (open, submitted or returned again) or approved again. Its figures may differ from those published."""

    province_id: int
    year: int
    month: int
    approved_now: bool
    first: dict  # the figures as first published
    latest: dict  # the figures of its latest approval

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass
class Coverage:
    """The province-months a figure covers: how many there are, how many are approved now."""

    total: int
    approved: int
    revisable: list[Revisable] = field(default_factory=list)

    @property
    def all_approved(self) -> bool:
        return self.total > 0 and self.approved == self.total


def coverage(months: Iterable[Month], provinces, province_count: int) -> Coverage:
    """Approved and total province-months of these months in `province_count` provinces, and the
    revisable ones. `provinces` selects them: None (every province), ids, or a query set of ids
    (a county's or an estate's province, read in the same query).

    Two queries at most: the months' returns of these provinces with their number of approvals,
    and the published figures of those approved once and then reopened or approved again (few).
    """
    months = list(months)
    total = len(months) * province_count
    if not total:
        return Coverage(0, 0)
    returns = MonthlyReturn.objects.filter(
        year__in={y for y, _m in months}, month__in={m for _y, m in months}
    )
    if provinces is not None:
        returns = returns.filter(province_id__in=provinces)
    wanted = set(months)
    returns = [
        r
        for r in returns.annotate(approvals=Count("published"))
        .values("pk", "province_id", "year", "month", "state", "approvals")
        .order_by()
        if (r["year"], r["month"]) in wanted
    ]
    approved = sum(1 for r in returns if r["state"] == ReturnState.APPROVED)
    # Approved once and locked since: as published. Never approved: nothing published.
    candidates = {
        r["pk"]: r
        for r in returns
        if r["approvals"] > 1 or (r["approvals"] == 1 and r["state"] != ReturnState.APPROVED)
    }
    stored: dict[int, list[dict]] = {}
    if candidates:
        for return_id, figures in (
            PublishedFigures.objects.filter(monthly_return__in=list(candidates))
            .order_by("monthly_return", "approved_at", "pk")
            .values_list("monthly_return", "figures")
        ):
            stored.setdefault(return_id, []).append(figures)
    revisable = [
        Revisable(
            r["province_id"],
            r["year"],
            r["month"],
            r["state"] == ReturnState.APPROVED,
            stored[pk][0],
            stored[pk][-1],
        )
        for pk, r in candidates.items()
    ]
    revisable.sort(key=lambda item: (item.year, item.month, item.province_id))
    return Coverage(total, approved, revisable)
