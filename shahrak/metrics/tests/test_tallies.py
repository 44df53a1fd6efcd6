"""Monthly tallies of finished years (metrics/tallies.py): the same numbers as the records, read only
while current, made stale in the writer's transaction by a write to a finished month."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shahrak.metrics import engine, tallies
from shahrak.metrics.base import Filters
from shahrak.metrics.models import MonthlyTally, TallyState
from shahrak.regions.models import County, Province
from shahrak.regions.scope import NATION, Scope
from shahrak.units.models import EventKind, UnitEvent

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)  # 1405: the tallies cover the years before it


@pytest.fixture
def demo():
    call_command("demo", scale=0.01, seed=1401, no_analyze=True, verbosity=0)
    tallies.rebuild(today=TODAY)


def scopes():
    county = County.objects.filter(estates__isnull=False).order_by("sci_code").first()
    province = Province.objects.get(pk=county.province_id)
    return [
        NATION,
        Scope("province", province.iso_code, province.pk),
        Scope("county", county.sci_code, county.pk),
    ]


def counted(name, measure, scope):
    return engine._counted_months(name, 1391, 1404, scope, Filters(), measure)


def test_the_tallies_give_what_the_records_give_for_every_series_and_scope(demo):
    assert MonthlyTally.objects.count() > 1000
    for key in tallies.GROUP_OF:
        name, _, measure = key.partition(":")
        for scope in scopes():
            expected = counted(name, measure or None, scope)
            held, next_year = MonthlyTally.objects.held(key, 1391, 1404, scope)
            assert next_year == 1405  # the tallies hold every year asked for
            assert held == expected, (key, scope)
            assert engine.monthly_table(name, 1391, 1404, scope, measure=measure or None) == expected
    assert any(sum(months) for months in counted("units_revived", None, NATION).values())


def test_a_write_to_a_finished_month_makes_the_group_stale_until_rebuilt(demo):
    event = UnitEvent.objects.filter(kind=EventKind.REVIVED, date__year=2021).first()
    before = counted("units_revived", "jobs", NATION)
    event.jobs += 7
    event.save()
    assert not TallyState.objects.get(pk="units").current
    assert TallyState.objects.get(pk="spending").current  # another group is not touched
    assert MonthlyTally.objects.held("units_revived:jobs", 1391, 1404, NATION) is None
    # The figure counts the records meanwhile: the seven jobs are there at once.
    after = engine.monthly_table("units_revived", 1391, 1404, measure="jobs")
    assert sum(map(sum, after.values())) == sum(map(sum, before.values())) + 7
    tallies.rebuild(["units"], today=TODAY)
    held, _ = MonthlyTally.objects.held("units_revived:jobs", 1391, 1404, NATION)
    assert held == after


def test_a_write_to_the_current_year_leaves_the_tallies_current(demo):
    tallies.rebuild(today=dt.date(2023, 6, 1))  # tallies end at 1 Farvardin 1402 (2023-03-21)
    event = UnitEvent.objects.filter(kind=EventKind.REVIVED, date__gte=dt.date(2023, 3, 21)).first()
    event.jobs += 1
    event.save()
    assert TallyState.objects.get(pk="units").current
    assert MonthlyTally.objects.held("units_revived:jobs", 1391, 1402, NATION)[1] == 1402  # 1402 is counted


def test_the_check_finds_a_tally_that_disagrees(demo):
    call_command("rebuild_metric_caches", "--check", verbosity=0)
    row = MonthlyTally.objects.filter(series="infrastructure_spending").first()
    MonthlyTally.objects.filter(pk=row.pk).update(number=row.number + 1)
    with pytest.raises(CommandError, match="monthly tallies of infrastructure_spending"):
        call_command("rebuild_metric_caches", "--check", verbosity=0)
