"""Monthly tallies: each month's headline number of a figure's series, per county, stored.

A year-end projection (analysis/nowcast.py) reads eleven years of monthly numbers for each target;
counting them from the records each time costs a pass over every event and payment of those years,
which grows with the register. A finished year's months change only when someone writes a record
dated in it, so they are kept here: a cache, never the truth (metrics/tallies.py says how it is
kept and when it is read).
"""

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from shahrak.core import jalali
from shahrak.core.indexes import CoveringIndex

# Before every record (none is dated before 1300 AH, 1921): where a sum "to date" starts.
EARLIEST = dt.date(1900, 1, 1)

# Each group is rebuilt as one: the series that count the same records (tallies.py).
GROUPS = {
    "units": ("units_revived", "units_revived:jobs", "units_established"),
    "workshops": ("workshops_opened",),
    "estates": ("estates_licensed",),
    "spending": ("infrastructure_spending",),
    "land": ("land_collection", "land_collection:received"),
}
GROUP_OF = {series: group for group, names in GROUPS.items() for series in names}


def series_key(name: str, measure: str | None = None) -> str:
    return f"{name}:{measure}" if measure else name


def _current_state(key: str, scope):
    """The tally state of the key's group when its tallies may be read for the scope, else None."""
    if scope.level == "estate" or key not in GROUP_OF:
        return None
    state = TallyState.objects.filter(pk=GROUP_OF[key]).first()
    return state if state is not None and state.current else None


@functools.cache  # a rebuild asks the same few thousand days again and again
def month_index(day: dt.date) -> int:
    """A tally's month: Solar Hijri year × 12 + month − 1."""
    year, month, _ = jalali.jalali_parts(day)
    return year * 12 + month - 1


def _month_start_on_or_after(day: dt.date) -> dt.date:
    year, month, date = jalali.jalali_parts(day)
    return day if date == 1 else jalali.month_start(*jalali.add_months(year, month, 1))


@dataclass(frozen=True)
class TalliedSpan:
    """The stored part of sums over a period and "to date" (up to the period's end): tallies hold
    every day before `until`; `before[series][county]` sums those months, `within[series][county]` the
    ones from `first` on (the whole months inside the period, when first < until). The caller counts
    from the records the period's days before `first` and from `until` on, and adds."""

    first: dt.date
    until: dt.date
    within: dict
    before: dict

    @classmethod
    def none(cls, keys) -> "TalliedSpan":
        """Nothing stored: every sum is counted from the records."""
        return cls(EARLIEST, EARLIEST, {key: {} for key in keys}, {key: {} for key in keys})


class TallyQuerySet(models.QuerySet):
    def in_scope(self, scope):
        if scope.level == "province":
            return self.filter(county__province_id=scope.pk)
        if scope.level == "county":
            return self.filter(county_id=scope.pk)
        return self

    def span(self, keys, period, scope) -> "TalliedSpan | None":
        """What current tallies hold of sums over `period` and up to its end, per series of `keys` (one
        group) and county in scope (see TalliedSpan); None when they cannot be read (stale, never
        built, an estate's scope)."""
        state = _current_state(keys[0], scope)
        if state is None:
            return None
        # Whole months only: from the first month starting in the period to the month holding its
        # end (or the one after, when the period ends on a month's last day), and before the tallies' end.
        first = _month_start_on_or_after(period.start)
        year, month, _ = jalali.jalali_parts(period.end + dt.timedelta(days=1))
        until = min(state.through, jalali.month_start(year, month))
        rows = self.in_scope(scope).filter(series__in=keys, month__lt=month_index(until))
        within = {key: {} for key in keys}
        before = {key: {} for key in keys}
        grouped = (
            rows.values_list("series", "county_id")
            .annotate(
                before=Sum("number"), within=Sum("number", filter=models.Q(month__gte=month_index(first)))
            )
            .order_by()
        )
        for key, county_id, up_to, inside in grouped:
            before[key][county_id] = int(up_to)
            if inside is not None:
                within[key][county_id] = int(inside)
        return TalliedSpan(first, until, within, before)

    def held(
        self, key: str, first_year: int, last_year: int, scope
    ) -> tuple[dict[int, list[int]], int] | None:
        """The monthly numbers of first_year.. that current tallies hold for the scope, and the first
        year they do not hold; None when the group is stale or never built, or the scope is an estate."""
        state = _current_state(key, scope)
        if state is None:
            return None
        end_year = min(jalali.jalali_year_of(state.through), last_year + 1)
        if end_year <= first_year:
            return {}, first_year
        rows = self.in_scope(scope).filter(series=key, month__gte=first_year * 12, month__lt=end_year * 12)
        grouped = dict(rows.values_list("month").annotate(number=Sum("number")).order_by())
        table = {
            year: [int(grouped.get(year * 12 + month - 1) or 0) for month in range(1, 13)]
            for year in range(first_year, end_year)
        }
        return table, end_year


class MonthlyTally(models.Model):
    """One series' number for one county and one Solar Hijri month (index year × 12 + month − 1)."""

    series = models.CharField(_("series"), max_length=40)
    county = models.ForeignKey("regions.County", models.CASCADE, related_name="+", verbose_name=_("county"))
    month = models.IntegerField(_("month"))
    number = models.BigIntegerField(_("number"))

    objects = TallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly tally")
        verbose_name_plural = _("monthly tallies")
        constraints = [
            models.UniqueConstraint(fields=["series", "month", "county"], name="tally_one_per_county_month")
        ]
        # A run of months of a series, summed, read from the index alone (the nowcast's tables, the
        # land collection's span).
        indexes = [
            CoveringIndex(
                fields=["series", "month"], covering=["number", "county"], name="tally_series_month_cover"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.county_id} {self.month}: {self.number}"


class TallyState(models.Model):
    """Whether a group's tallies may be read: built from the records as they were after `built_changes`
    writes to months before `through` (a date: the tallies cover records dated before it)."""

    group = models.CharField(_("group"), max_length=20, primary_key=True)
    # Writes to the group's records dated before `through`, counted in the writer's transaction.
    changes = models.BigIntegerField(_("changes"), default=0)
    built_changes = models.BigIntegerField(_("changes when built"), default=-1)
    through = models.DateField(_("through"), null=True)

    class Meta:
        verbose_name = _("tally state")
        verbose_name_plural = _("tally states")

    def __str__(self) -> str:
        return f"{self.group}: {'current' if self.current else 'stale'}"

    @property
    def current(self) -> bool:
        return self.through is not None and self.changes == self.built_changes
