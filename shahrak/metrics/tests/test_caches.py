"""The values stored on unit events for the figures follow every change, and can be rebuilt."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shahrak.units.caches import rebuild_metric_caches, stale_metric_caches
from shahrak.units.models import UnitEvent

from .conftest import j


def cached(unit):
    return [
        (e.kind, e.date, e.ends_on, e.county.sci_code)
        for e in UnitEvent.objects.filter(unit=unit).order_by("date")
    ]


def test_saving_events_keeps_next_dates_and_county(world):
    assert stale_metric_caches() == 0
    assert cached(world.u1) == [
        ("established", j("1401-02-01"), j("1401-05-10"), "2603"),
        ("idled", j("1401-05-10"), j("1401-08-01"), "2603"),
        ("revived", j("1401-08-01"), None, "2603"),
    ]
    # An event between two others splits the span; moving an event re-links its old neighbours.
    UnitEvent.objects.create(unit=world.u1, date=j("1401-06-01"), kind="revived", jobs=1)
    idled = UnitEvent.objects.get(unit=world.u1, kind="idled")
    assert idled.ends_on == j("1401-06-01")
    last = UnitEvent.objects.get(unit=world.u1, date=j("1401-08-01"))
    last.date = j("1401-04-01")
    last.kind = "idled"
    last.cause = "market"
    last.jobs = None
    last.save()
    assert [(kind, date, ends_on) for kind, date, ends_on, _ in cached(world.u1)] == [
        ("established", j("1401-02-01"), j("1401-04-01")),
        ("idled", j("1401-04-01"), j("1401-05-10")),
        ("idled", j("1401-05-10"), j("1401-06-01")),
        ("revived", j("1401-06-01"), None),
    ]
    UnitEvent.objects.get(unit=world.u1, date=j("1401-06-01")).delete()
    assert cached(world.u1)[-1] == ("idled", j("1401-05-10"), None, "2603")
    assert stale_metric_caches() == 0


def test_moving_a_unit_moves_its_events(world):
    world.u2.estate = world.e5  # Tehran, county 2301
    world.u2.save()
    assert {county for *_, county in cached(world.u2)} == {"2301"}
    assert stale_metric_caches() == 0


def test_rebuild_repairs_bulk_writes_and_check_reports_them(world):
    # bulk_create bypasses save(): its rows cache nothing until the rebuild.
    UnitEvent.objects.bulk_create([UnitEvent(unit=world.u4, date=j("1401-11-01"), kind="revived", jobs=3)])
    UnitEvent.objects.filter(unit=world.u5).unaudited_update(county=None)
    # U4: its old last event now ends on 1401-11-01; the new one has no county; U5: three events.
    assert stale_metric_caches() == 5
    with pytest.raises(CommandError) as error:
        call_command("rebuild_metric_caches", "--check", stdout=StringIO())
    assert error.value.returncode == 1
    assert str(error.value) == "5 unit events cache a value that disagrees with the events"
    out = StringIO()
    call_command("rebuild_metric_caches", stdout=out)
    assert out.getvalue() == (
        "5 unit events corrected.\n0 projects and payments given their place.\n"
        "35 monthly tallies of finished years counted.\n"
    )
    assert rebuild_metric_caches() == 0
    assert cached(world.u4)[-2:] == [
        ("idled", j("1400-01-01"), j("1401-11-01"), "2001"),
        ("revived", j("1401-11-01"), None, "2001"),
    ]
    call_command("rebuild_metric_caches", "--check", stdout=out)


def test_figures_warn_while_bulk_written_events_lack_their_caches(world):
    from shahrak.core.jalali import year_bounds
    from shahrak.metrics.engine import compute_all
    from shahrak.units.caches import MISSING_WARNING

    UnitEvent.objects.bulk_create([UnitEvent(unit=world.u4, date=j("1401-11-01"), kind="revived", jobs=3)])
    results = compute_all(year_bounds(1401))
    for name in ("units_revived", "idle_units", "regional_balance"):
        assert MISSING_WARNING in results[name].warnings, name
    # The revival counts in the total; the province breakdown cannot place it yet.
    assert results["units_revived"].value == {"units": 4, "events": 5, "jobs": 41}
    assert sum(row["units"] for row in results["units_revived"].breakdowns["province"]) == 3
    rebuild_metric_caches()
    results = compute_all(year_bounds(1401))
    assert results["idle_units"].warnings == []
    assert sum(row["units"] for row in results["units_revived"].breakdowns["province"]) == 4


def test_deleting_events_in_bulk_re_links_the_rest(world):
    # U2: established 1399-01-01, idled 1400-06-01, revived 1401-03-01, idled 1401-06-01, revived 1401-07-01.
    UnitEvent.objects.filter(unit=world.u2, date__gte=j("1401-03-01"), date__lte=j("1401-06-01")).delete()
    assert [(kind, ends_on) for kind, _, ends_on, _ in cached(world.u2)] == [
        ("established", j("1400-06-01")),
        ("idled", j("1401-07-01")),
        ("revived", None),
    ]
    assert stale_metric_caches() == 0
