"""Derived values the figures read from unit events, and the one place that computes them.

Each unit event stores `ends_on`, the date of the unit's next event (empty while it is the last),
and `county`, its unit's county. With them "idle on D" — the last event on or before D is
`idled` — is the index range `kind = idled, date <= D, ends_on empty or > D`, and figures by
place need no join to the production units. The benchmark (bench/metrics.py, docs/metrics.md)
shows what they pay.

They are a cache: the events stay the truth. `UnitEvent.save()`/`delete()` and
`ProductionUnit.save()` keep them in the same transaction through `refresh_unit_caches`; bulk
writes (the demo loader, imports with bulk_create) call `rebuild_metric_caches()` afterwards;
`shahrak rebuild_metric_caches --check` verifies them against the events.
"""

from django.apps import apps
from django.db import connection, transaction

from shahrak.core.versions import data_changed


def _models():
    # Looked up, not imported: units.models calls into this module from save() and delete().
    return apps.get_model("units", "ProductionUnit"), apps.get_model("units", "UnitEvent")


def refresh_unit_caches(*unit_ids: int | None) -> int:
    """Bring the cached values of these units' events in step with their events; returns rows changed."""
    ProductionUnit, UnitEvent = _models()
    changed = 0
    for unit_id in {unit_id for unit_id in unit_ids if unit_id is not None}:
        events = list(
            UnitEvent.objects.filter(unit_id=unit_id)
            .order_by("date")
            .values_list("pk", "date", "ends_on", "county_id")
        )
        if not events:
            continue
        county_id = ProductionUnit.objects.filter(pk=unit_id).values_list("county_id", flat=True).first()
        following = [date for _, date, _, _ in events[1:]] + [None]
        for (pk, _, ends_on, cached_county), next_date in zip(events, following, strict=True):
            if ends_on != next_date or cached_county != county_id:
                changed += UnitEvent.objects.filter(pk=pk).unaudited_update(
                    ends_on=next_date, county_id=county_id
                )
    return changed


# Every event with the values it should cache: the next event's date and the unit's county.
_EXPECTED = """
    SELECT e.id AS id,
           LEAD(e.date) OVER (PARTITION BY e.unit_id ORDER BY e.date) AS next_date,
           u.county_id AS unit_county
    FROM units_unitevent e JOIN units_productionunit u ON u.id = e.unit_id
"""
# NULL-safe "differs": IS DISTINCT FROM on PostgreSQL, IS NOT on SQLite.
_DIFFERS = {"postgresql": "IS DISTINCT FROM", "sqlite": "IS NOT"}


def _stale_condition() -> str:
    differs = _DIFFERS[connection.vendor]
    return f"(units_unitevent.ends_on {differs} x.next_date OR units_unitevent.county_id {differs} x.unit_county)"


MISSING_WARNING = (
    "some unit events have no cached values (written in bulk, around save()): idle units and figures by "
    "place are incomplete until `shahrak rebuild_metric_caches` is run"
)


def metric_caches_missing() -> bool:
    """Whether some events were written without their cached values (a bulk insert not yet rebuilt).

    Cheap: the partial index event_cache_missing holds exactly those events, so it is empty
    when all is well. (A stale value on an event written through save() cannot happen; a full
    check is `stale_metric_caches()`.)
    """
    return _models()[1].objects.filter(county__isnull=True).exists()


def stale_metric_caches() -> int:
    """How many events cache a value that disagrees with the events and units (0 when all agree)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM units_unitevent JOIN ({_EXPECTED}) x ON x.id = units_unitevent.id "
            f"WHERE {_stale_condition()}"
        )
        return cursor.fetchone()[0]


@transaction.atomic
def rebuild_metric_caches() -> int:
    """Recompute every cached value from the events in one statement; returns the rows corrected.

    Set-based (a window function over all events), for after bulk loads; only stale rows are
    written, so a second run changes nothing.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE units_unitevent SET ends_on = x.next_date, county_id = x.unit_county "
            f"FROM ({_EXPECTED}) x WHERE x.id = units_unitevent.id AND {_stale_condition()}"
        )
        changed = cursor.rowcount
    if changed:
        data_changed()
    return changed
