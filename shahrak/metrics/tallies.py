"""Monthly tallies of finished years: how they are built, kept honest, and read.

`monthly_table` (engine.py) gives a series' twelve monthly numbers for a run of years; a year-end
projection asks it for eleven years per target, which counted from the records is a pass over every
event and payment of those years. The months of years before the current Iranian year are stored
per county and series (models.MonthlyTally), so that pass becomes a read of a few thousand rows.

The records stay the truth, and a tally is read only when it is known to be current:
- `rebuild()` counts the tallies from the records with the figure's own `records()` (no filters,
  the nation) and notes, per group of series, how many writes it has seen (`TallyState`).
- Every save or delete that can change a finished month of a group (a record dated before the
  tallies' end, or moved from or to such a date, or a change of the county that places it) adds one
  to the group's `changes` in the writer's own transaction (`watch_writes`, from MetricsConfig.ready)
  and, once committed, asks the task worker to rebuild. Until that rebuild,
  `MonthlyTally.objects.held()` refuses the group and `monthly_table` counts the records as before.
  Bulk writes (imports) call `bulk_written()` themselves; the demo rebuilds them at its end.
- `shahrak rebuild_metric_caches` rebuilds them; `--check` compares every tally with the records.
A figure never reads tallies with filters (estate kind, deprived only) or for an estate's scope.
Besides the projections' monthly tables, the land collection reads them: its sums over the period
and to date (every instalment owed, every land payment up to the period's end) take the whole months
of finished years from the tallies and only the other days from the records (`TallyQuerySet.span`).
"""

import contextlib
import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.tasks import task
from django.utils import timezone

from shahrak.core import jalali
from shahrak.core.jalali import Period
from shahrak.core.places import county_path, stored_place
from shahrak.regions.scope import NATION

from .models import (  # noqa: F401 (GROUP_OF: for callers)
    EARLIEST,
    GROUP_OF,
    GROUPS,
    MonthlyTally,
    TallyState,
    month_index,
)


def tallies_end(today: dt.date | None = None) -> dt.date:
    """Tallies cover records dated before the first day of the current Iranian year."""
    return jalali.year_bounds(jalali.jalali_year_of(today or timezone.localdate())).start


# ---- counting from the records -------------------------------------------------------------------


def _series_rows(key: str, through: dt.date) -> list[MonthlyTally] | None:
    """The series' tallies counted from the records dated before `through`; None when some record has
    no stored county yet (written in bulk, caches not rebuilt): then the group is left stale."""
    from .base import NO_FILTERS
    from .engine import series_records

    name, _, measure = key.partition(":")
    period = Period(EARLIEST, through - dt.timedelta(days=1))
    records, field, aggregate = series_records(name, measure or None, period, NATION, NO_FILTERS)
    county = stored_place(records.model).get("county") or county_path(records.model)
    if records.filter(**{f"{county}__isnull": True}).exists():
        return None
    numbers: dict[tuple[int, int], int] = defaultdict(int)
    if getattr(aggregate, "distinct", False):
        # Distinct units within a month: a unit's events all carry its one county, so the counties'
        # distinct counts add up to the nation's.
        seen = defaultdict(set)
        for county_id, day, unit_id in records.values_list(county, field, "unit_id").distinct().order_by():
            seen[(county_id, month_index(day))].add(unit_id)
        numbers.update({cell: len(units) for cell, units in seen.items()})
    else:
        grouped = records.values_list(county, field).annotate(number=aggregate).order_by()
        for county_id, day, number in grouped:
            numbers[(county_id, month_index(day))] += int(number or 0)
    return [
        MonthlyTally(series=key, county_id=county_id, month=month, number=number)
        # Zeros kept too (an instalment may be of 0 rials): a county with records has its row.
        for (county_id, month), number in numbers.items()
    ]


def rebuild(groups=None, *, today: dt.date | None = None) -> int:
    """Count the groups' tallies again from the records; returns the rows written."""
    through = tallies_end(today)
    written = 0
    for group in groups or GROUPS:
        with transaction.atomic():
            state, _ = TallyState.objects.get_or_create(group=group)
            seen = state.changes  # read before the records: a write after this leaves the group stale
            rows = []
            for key in GROUPS[group]:
                counted = _series_rows(key, through)
                if counted is None:
                    rows = None
                    break
                rows += counted
            if rows is None:
                TallyState.objects.filter(pk=group).update(built_changes=-1)
                continue
            MonthlyTally.objects.filter(series__in=GROUPS[group]).delete()
            MonthlyTally.objects.bulk_create(rows, batch_size=5000)
            TallyState.objects.filter(pk=group).update(built_changes=seen, through=through)
            written += len(rows)
    return written


def disagreements() -> dict[str, int]:
    """Per series, how many (county, month) tallies differ from the records (0 everywhere when all is
    well); groups never built or known to be stale are not checked."""
    found = {}
    for group, keys in GROUPS.items():
        state = TallyState.objects.filter(pk=group).first()
        if state is None or not state.current:
            continue
        for key in keys:
            expected = {(r.county_id, r.month): r.number for r in _series_rows(key, state.through) or []}
            rows = MonthlyTally.objects.filter(series=key).values_list("county_id", "month", "number")
            stored = {(county_id, month): number for county_id, month, number in rows}
            found[key] = len(set(expected.items()) ^ set(stored.items()))
    return found


# ---- keeping them honest on every write ------------------------------------------------------------


def mark_stale(groups=None) -> None:
    """Count a write to the groups' finished months (in the caller's transaction) and, once it
    commits, ask the worker to count them again."""
    groups = list(groups or GROUPS)
    if TallyState.objects.filter(group__in=groups).update(changes=F("changes") + 1):
        transaction.on_commit(_enqueue_rebuild)


def bulk_written(model) -> None:
    """A bulk write (no signals) to records of `model`: its groups' tallies are stale until rebuilt."""
    groups = {group for rule_groups, _, _ in _RULES.get(model, ()) for group in rule_groups}
    if groups:
        mark_stale(groups)


@task
def rebuild_tallies_task() -> int:
    """The worker's part: count again the groups written to since they were last counted."""
    stale = [state.group for state in TallyState.objects.all() if not state.current]
    return rebuild(stale) if stale else 0


def _enqueue_rebuild() -> None:
    # A worker that cannot be reached leaves the group stale (counted from the records), not wrong.
    with contextlib.suppress(Exception):
        rebuild_tallies_task.enqueue()


def _watched():
    from shahrak.estates.models import Estate, WorkshopUnit
    from shahrak.land.models import AllocationContract, Instalment, LandPayment
    from shahrak.projects.models import DevelopmentProject, Disbursement
    from shahrak.units.models import ProductionUnit, UnitEvent

    # Model → rules: (groups, date field or None, fields whose change matters).
    return {
        UnitEvent: [(("units",), "date", ("date", "kind", "cause", "jobs", "unit_id"))],
        ProductionUnit: [(("units",), None, ("county_id",))],
        WorkshopUnit: [(("workshops",), "opened_date", ("opened_date", "estate_id"))],
        Estate: [(tuple(GROUPS), None, ("county_id",)), (("estates",), "licence_date", ("licence_date",))],
        Disbursement: [(("spending",), "date", ("date", "amount_rials", "project_id"))],
        DevelopmentProject: [(("spending",), None, ("estate_id",))],
        Instalment: [(("land",), "due_date", ("due_date", "amount_rials", "contract_id"))],
        LandPayment: [(("land",), "date", ("date", "amount_rials", "contract_id"))],
        # A termination ends what is owed after its day: a finished month changes only when that
        # day (before or after the change) is in one.
        AllocationContract: [
            (("land",), "terminated_date", ("terminated_date",)),
            (("land",), None, ("estate_id",)),
        ],
    }


_RULES: dict = {}


def _before(value, through) -> bool:
    return value is not None and value < through


def _ends() -> dict:
    return dict(TallyState.objects.exclude(through=None).values_list("group", "through"))


def _remember(sender, instance, raw=False, **kwargs):
    # Once per save, before it: where the built tallies end and, only if some are built, the record
    # as stored, so that the save can tell whether it moves a record out of a finished month.
    rules = _RULES.get(sender)
    if not rules or raw:
        return
    instance._tally_ends = ends = _ends()
    instance._tally_before = None
    if ends and instance.pk is not None:
        fields = {f for _, _, watched in rules for f in watched}
        instance._tally_before = sender.objects.filter(pk=instance.pk).values(*fields).first()


def _changed(sender, instance, created=False, raw=False, **kwargs):
    ends = None if raw else getattr(instance, "_tally_ends", None)
    if not ends:
        return
    before = None if created else instance._tally_before
    stale = set()
    for groups, date_field, fields in _RULES[sender]:
        now = {f: getattr(instance, f) for f in fields}
        if before is not None and all(before[f] == now[f] for f in fields):
            continue
        for group in groups:
            through = ends.get(group)
            if through is None:
                continue
            if date_field is None:
                touched = before is not None  # a new record has no past to move
            else:
                touched = _before(now[date_field], through) or (
                    before is not None and _before(before[date_field], through)
                )
            if touched:
                stale.add(group)
    if stale:
        mark_stale(stale)


def _deleted(sender, instance, **kwargs):
    rules = _RULES.get(sender)
    if not rules:
        return
    ends = _ends()
    stale = {
        group
        for groups, date_field, _ in rules
        for group in groups
        if group in ends and (date_field is None or _before(getattr(instance, date_field), ends[group]))
    }
    if stale:
        mark_stale(stale)


def watch_writes() -> None:
    """Connect the signals that keep the tallies honest (MetricsConfig.ready)."""
    _RULES.update(_watched())
    for model in _RULES:
        pre_save.connect(_remember, sender=model, dispatch_uid=f"tally_before_{model._meta.label}")
        post_save.connect(_changed, sender=model, dispatch_uid=f"tally_saved_{model._meta.label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"tally_deleted_{model._meta.label}")
