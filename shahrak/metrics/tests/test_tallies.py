"""Monthly tallies of finished years (metrics/tallies.py): the same numbers as the records, read only
while current, made stale in the writer's transaction by a write to a finished month."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from shahrak.core.jalali import Period, parse_jalali, year_bounds
from shahrak.metrics import engine, tallies
from shahrak.metrics.base import NO_FILTERS, Filters
from shahrak.metrics.models import MonthlyTally, TallyState
from shahrak.regions.models import County, Province
from shahrak.regions.scope import NATION, Scope
from shahrak.units.models import EventKind, UnitEvent

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)  # 1405: the tallies cover the years before it


def j(text):
    return parse_jalali(text)


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


# ---- the land collection's sums to date ------------------------------------------------------------


def land_collection(period, scope, filters=NO_FILTERS):
    return engine.compute_in_context(
        "land_collection", period, scope, filters, engine.Context(engine.compute_in_context)
    )


def from_the_records(period, scope, filters=NO_FILTERS):
    """The figure with the land tallies unread (as if stale): every sum counted from the records."""
    TallyState.objects.filter(pk="land").update(changes=F("changes") + 1)
    try:
        return land_collection(period, scope, filters)
    finally:
        TallyState.objects.filter(pk="land").update(changes=F("changes") - 1)


def test_the_land_collection_is_the_same_read_from_the_tallies_or_the_records(demo):
    from shahrak.land.models import Instalment

    assert TallyState.objects.get(pk="land").current
    assert Instalment.objects.filter(due_date__lt=tallies.tallies_end(TODAY)).count() > 50
    periods = [
        year_bounds(1401),
        Period(j("1399-04-10"), j("1400-08-17")),  # starts and ends inside finished months
        Period(j("1402-03-15"), j("1403-06-31")),  # ends on a month's last day
        Period(j("1401-05-03"), j("1401-05-20")),  # inside one month: no whole month
        year_bounds(1404),  # the last finished year
        Period(j("1405-01-01"), j("1405-08-30")),  # the current year: every finished year stored
        Period(j("1404-11-05"), j("1405-02-03")),  # across the tallies' end
    ]
    arrears = set()
    for period in periods:
        for scope in scopes():
            tallied, counted = land_collection(period, scope), from_the_records(period, scope)
            assert tallied.value == counted.value, (period, scope)
            assert tallied.breakdowns == counted.breakdowns, (period, scope)
            arrears.add(counted.value["arrears_rials"])
    assert len(arrears) > 3  # the periods and scopes give different sums: the comparison is not empty
    # With a filter the tallies are never read; the figure is the records' own.
    deprived = Filters(deprived_only=True)
    assert (
        land_collection(periods[0], NATION, deprived).value
        == from_the_records(periods[0], NATION, deprived).value
    )


def test_a_finished_year_asked_whole_reads_no_instalment_or_payment(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        tallied = land_collection(year_bounds(1401), NATION)
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "land_instalment" not in read and "land_landpayment" not in read
    assert tallied.value == from_the_records(year_bounds(1401), NATION).value
    # A period ending inside a month reads the records of that month's days only.
    with CaptureQueriesContext(connection) as queries:
        land_collection(Period(j("1401-01-01"), j("1401-06-15")), NATION)
    assert any("land_instalment" in query["sql"] for query in queries.captured_queries)


def test_a_terminated_contract_makes_the_land_tallies_stale_only_when_its_day_is_in_a_finished_month(demo):
    from shahrak.land.models import AllocationContract, ContractStatus, Instalment, LandPayment

    contract = AllocationContract.objects.filter(
        status=ContractStatus.ACTIVE, signed_date__lt=j("1402-01-01")
    ).first()
    period = year_bounds(1403)
    before = land_collection(period, NATION).value["arrears_rials"]
    # Terminated in the current year: what it owed before 1405 stays owed; the tallies stay current.
    contract.terminated_date, contract.status = j("1405-02-01"), ContractStatus.TERMINATED
    contract.termination_reason = "no construction"
    contract.save()
    assert TallyState.objects.get(pk="land").current
    # Terminated in 1402 instead: its instalments due after that day are no longer owed.
    contract.terminated_date = j("1402-06-01")
    contract.save()
    assert not TallyState.objects.get(pk="land").current
    no_longer_owed = sum(
        contract.instalments.filter(due_date__gt=j("1402-06-01"), due_date__lte=period.end).values_list(
            "amount_rials", flat=True
        )
    )
    assert no_longer_owed > 0
    assert land_collection(period, NATION).value["arrears_rials"] == before - no_longer_owed
    tallies.rebuild(["land"], today=TODAY)
    assert land_collection(period, NATION).value["arrears_rials"] == before - no_longer_owed
    # A payment or an instalment dated in a finished month makes the group stale too.
    LandPayment.objects.create(contract=contract, date=j("1402-03-01"), amount_rials=5)
    assert not TallyState.objects.get(pk="land").current
    tallies.rebuild(["land"], today=TODAY)
    assert land_collection(period, NATION).value["arrears_rials"] == before - no_longer_owed - 5
    Instalment.objects.filter(contract=contract).order_by("number").first().delete()
    assert not TallyState.objects.get(pk="land").current


def test_a_county_whose_instalments_are_all_of_zero_rials_keeps_its_row(demo):
    from shahrak.land.models import Instalment, LandPayment

    instalments = Instalment.objects.filter(due_date__lt=j("1404-01-01"))
    county = County.objects.get(pk=instalments.values_list("contract__estate__county", flat=True).first())
    province = Province.objects.get(pk=county.province_id)
    # Its only records: instalments of 0 rials, all due before the tallies' end.
    for payment in LandPayment.objects.filter(contract__estate__county=county):
        payment.delete()
    for instalment in Instalment.objects.filter(contract__estate__county=county):
        if instalment.due_date >= tallies.tallies_end(TODAY):
            instalment.delete()
        else:
            instalment.amount_rials = 0
            instalment.save()
    tallies.rebuild(["land"], today=TODAY)
    assert MonthlyTally.objects.filter(series="land_collection", county=county, number=0).exists()
    scope = Scope("county", county.sci_code, county.pk)
    tallied = land_collection(year_bounds(1405), scope)
    assert tallied.breakdowns == from_the_records(year_bounds(1405), scope).breakdowns
    assert [row["key"] for row in tallied.breakdowns["province"]] == [province.iso_code]
    assert tallied.value["arrears_rials"] == 0
