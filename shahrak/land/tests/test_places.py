"""Land records in the rest of Shahrak: where they are (the estate's province), their dated facts in
the lock of an approved month, and the free serviced land their plots feed (one rule, in estates)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from shahrak.core.jalali import Period
from shahrak.core.places import county_path, estate_path, province_lookup
from shahrak.estates.models import Estate, free_land_by
from shahrak.land import actions
from shahrak.land.models import (
    AllocationContract,
    Application,
    ApplicationStatus,
    Instalment,
    LandPayment,
    Plot,
    PlotHold,
    ProgrammeMember,
    WorkshopLease,
)
from shahrak.metrics.engine import compute
from shahrak.records.guards import WriteRefused
from shahrak.returns import actions as returns

from .fixtures import approved, make_application, make_estate, make_plot, signed

pytestmark = pytest.mark.django_db

AZAR_15 = dt.date(2022, 12, 6)  # 15 Azar 1401
DEY_5 = dt.date(2022, 12, 26)  # 5 Dey 1401, the next month


def test_every_land_record_is_where_its_estate_is():
    assert county_path(Plot) == "estate__county" and estate_path(Plot) == "estate"
    assert province_lookup(LandPayment) == "contract__estate__county__province"
    assert estate_path(PlotHold) == "plot__estate"
    assert estate_path(WorkshopLease) == estate_path(ProgrammeMember) == "workshop__estate"
    for model in (Application, AllocationContract, Instalment):
        assert county_path(model).endswith("estate__county")


@pytest.fixture
def locked_azar(tehran, make_user, analyst):
    from shahrak.accounts.models import Role

    officer = make_user(Role.OFFICER, province="IR-23", username="officer-land-lock")
    found = returns.return_for(tehran, 1401, 9)
    returns.submit(found, actor=officer, summary="all in")
    returns.approve(found, actor=analyst)
    return found


def test_a_land_payment_in_a_locked_month_is_refused_and_the_next_month_is_open(locked_azar, admin_user):
    estate = make_estate(county="2301")
    contract = signed(estate, admin_user, [make_plot(estate)], day=dt.date(2022, 10, 1))
    with translation.override("en"), pytest.raises(WriteRefused) as refused:
        actions.record_payment(contract, date=AZAR_15, amount_rials=1_000, actor=admin_user)
    assert "Azar 1401 of Tehran is locked" in str(refused.value)
    assert not LandPayment.objects.filter(contract=contract, date=AZAR_15).exists()
    actions.record_payment(contract, date=DEY_5, amount_rials=1_000, actor=admin_user)
    assert LandPayment.objects.filter(contract=contract, date=DEY_5).exists()


def test_signing_in_a_locked_month_writes_nothing(locked_azar, admin_user):
    estate = make_estate(county="2301")
    application = approved(estate, admin_user, [make_plot(estate)], day=dt.date(2022, 11, 15))  # 24 Aban 1401
    with pytest.raises(WriteRefused):
        actions.sign_contract(application, signed=AZAR_15, actor=admin_user)
    assert not AllocationContract.objects.exists() and not Instalment.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    # Terminating a contract signed before the lock, on a day in the locked month, is refused too.
    other = make_estate(county="2301")
    contract = signed(other, admin_user, [make_plot(other)], day=dt.date(2022, 10, 1))  # dues in Mehr, Dey…
    with pytest.raises(WriteRefused):
        actions.terminate(contract, date=AZAR_15, reason="عدم ساخت", actor=admin_user)
    contract.refresh_from_db()
    assert contract.status == "active" and contract.terminated_date is None


def test_free_serviced_land_of_an_estate_with_plots_is_its_free_serviced_plots(admin_user):
    today = timezone.localdate()
    declared = make_estate(industrial_area_ha=Decimal("60.50"), allocated_area_ha=Decimal("40.25"))
    with_plots = make_estate(industrial_area_ha=Decimal("90"), allocated_area_ha=Decimal("10"))
    make_plot(with_plots, area=12_000)  # free, serviced: counts
    make_plot(with_plots, area=3_000, serviced=False)  # free, not serviced: does not
    held = make_plot(with_plots, area=50_000)
    approved(with_plots, admin_user, [held], day=today)  # reserved today: does not
    all_held = make_estate(industrial_area_ha=Decimal("90"), allocated_area_ha=Decimal("0"))
    approved(all_held, admin_user, [make_plot(all_held, area=5_000)], day=today)

    free = dict(Estate.objects.with_free_land().values_list("code", "free_land"))
    assert free[declared.code] == Decimal("20.25")  # no plots: industrial less allocated
    assert free[with_plots.code] == Decimal("1.2")  # 12,000 m² = 1.2 ha
    assert free[all_held.code] == 0  # it has plots, none free: 0, not 90
    assert with_plots.free_industrial_area_ha == Decimal("1.2")
    assert declared.free_industrial_area_ha == Decimal("20.25")
    # Before the reservation the held plot was free too (the rule takes the day).
    yesterday = today - dt.timedelta(days=1)
    before = dict(Estate.objects.with_free_land(yesterday).values_list("code", "free_land"))
    assert before[with_plots.code] == Decimal("6.2")


def test_free_serviced_land_of_a_county_adds_its_estates_with_and_without_plots(admin_user):
    """The regional balance sums a county's free serviced land in two grouped passes
    (estates.models.free_land_by): worked out by hand, and the same as the per-estate rule."""
    today = timezone.localdate()
    operational = {"status": "operational", "operational_date": dt.date(2010, 1, 1)}
    declared = make_estate(
        county="2301", industrial_area_ha=Decimal("60.50"), allocated_area_ha=Decimal("40.25"), **operational
    )  # no plots: 20.25 ha
    with_plots = make_estate(
        county="2301", industrial_area_ha=Decimal("90"), allocated_area_ha=Decimal("10"), **operational
    )
    make_plot(with_plots, area=12_000)  # free, serviced: 1.2 ha
    make_plot(with_plots, area=3_050)  # free, serviced: 0.305 ha
    make_plot(with_plots, area=3_000, serviced=False)  # not serviced: no
    approved(with_plots, admin_user, [make_plot(with_plots, area=50_000)], day=today)  # reserved: no
    all_held = make_estate(
        county="2301", industrial_area_ha=Decimal("90"), allocated_area_ha=Decimal("0"), **operational
    )
    approved(
        all_held, admin_user, [make_plot(all_held, area=5_000)], day=today
    )  # plots, none free: 0, not 90
    licensed = make_estate(
        county="2301", status="licensed", operational_date=None
    )  # not operational: left out
    make_plot(licensed, area=70_000)
    elsewhere = make_estate(county="2302", **operational)
    make_plot(elsewhere, area=4_000)  # 0.4 ha in the other county
    tehran, other = declared.county_id, elsewhere.county_id

    estates = Estate.objects.filter(status="operational", operational_date__lte=today)
    # 20.25 + (12,000 + 3,050) m² / 10,000 + 0 = 21.755 ha exactly; the licensed estate is not counted.
    assert free_land_by(estates, today, "county_id") == {tehran: Decimal("21.755"), other: Decimal("0.4")}
    per_estate = estates.with_free_land(today).values_list("county_id", "free_land")
    assert sum(ha for county, ha in per_estate if county == tehran) == Decimal("21.755")
    # The day before the reservation the reserved plot was free too: + 5 ha, and all_held's 0.5 ha.
    yesterday = today - dt.timedelta(days=1)
    assert free_land_by(estates, yesterday, "county_id")[tehran] == Decimal("27.255")
    result = compute("regional_balance", Period(today - dt.timedelta(days=30), today))
    land = {row["code"]: row["free_land_ha"] for row in result.breakdowns["counties"]}
    assert land["2301"] == Decimal("21.76") and land["2302"] == Decimal("0.40")  # to the hundredth


def test_the_regional_balance_reads_free_land_from_plots(admin_user):
    today = timezone.localdate()
    estate = make_estate(
        county="2301", status="operational", operational_date=dt.date(2010, 1, 1),
        industrial_area_ha=Decimal("90"), allocated_area_ha=Decimal("10"),
    )  # fmt: skip
    make_plot(estate, area=25_000)
    make_application(estate, admin_user)
    result = compute("regional_balance", Period(today - dt.timedelta(days=30), today))
    rows = [row for row in result.breakdowns["counties"] if row["free_land_ha"]]
    assert [row["free_land_ha"] for row in rows] == [Decimal("2.50")]
