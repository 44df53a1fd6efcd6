"""Records and rules of land and workshops: identifiers and their check digits, the terms of a
contract, a plot's derived status, a plot never held twice on a day (write path and, on
PostgreSQL, the database), scope by the estate's province, history in the same transaction."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from shahrak.core.jalali import parse_jalali as j
from shahrak.land import actions, terms
from shahrak.land.models import (
    AllocationContract,
    Application,
    ApplicationStatus,
    ContractStatus,
    HoldKind,
    Instalment,
    Plot,
    PlotHold,
    PlotStatus,
    WorkshopLease,
)
from shahrak.land.validators import is_valid_applicant_id, national_code_check_digit, validate_national_code
from shahrak.units.models import UnitEvent
from tests.factories import make_unit, make_workshop, national_id

from .fixtures import D0, approved, deprived_county, make_application, make_estate, make_plot, signed

pytestmark = pytest.mark.django_db


# --- identifiers --------------------------------------------------------------------------------


def test_the_national_code_check_digit_worked_by_hand():
    # 0·10 + 0·9 + 8·8 + 4·7 + 5·6 + 7·5 + 5·4 + 9·3 + 4·2 = 212; 212 mod 11 = 3 ≥ 2, so 11 − 3 = 8
    assert national_code_check_digit("008457594") == 8
    validate_national_code("0084575948")
    # remainder below 2 is the digit itself: 1·10 + 0 … + 0 = 10 → r = 10 … use one with r = 1
    # 0·10+0·9+0·8+0·7+0·6+0·5+0·4+0·3+6·2 = 12 → 12 mod 11 = 1 → check digit 1
    assert national_code_check_digit("000000006") == 1


@pytest.mark.parametrize("value", ["0084575947", "008457594", "00845759488", "1111111111", "۰۰۸۴۵۷۵۹۴۷"])
def test_a_wrong_national_code_is_refused(value):
    with pytest.raises(ValidationError):
        validate_national_code(value)


def test_persian_digits_in_a_national_code_are_read():
    validate_national_code("۰۰۸۴۵۷۵۹۴۸")


def test_the_applicant_id_follows_the_kind_of_person(admin_user):
    estate = make_estate()
    legal = national_id(77)
    assert is_valid_applicant_id("legal", legal) and not is_valid_applicant_id("natural", legal)
    assert is_valid_applicant_id("natural", "0084575948")
    with pytest.raises(ValidationError) as error:
        make_application(estate, admin_user, kind="natural", applicant_id=legal)
    assert "applicant_id" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_application(
            estate, admin_user, kind="legal", applicant_id=legal[:10] + str((int(legal[10]) + 1) % 10)
        )
    assert make_application(estate, admin_user, kind="natural", applicant_id="0084575948").pk


# --- terms --------------------------------------------------------------------------------------


def test_fee_cash_share_and_schedule_worked_by_hand():
    estate = make_estate()  # Tehran county 2301, not less-developed
    a = make_plot(estate, area=1000, price=2_000_000)  # 2,000,000,000
    b = make_plot(estate, area=500, price=3_000_000)  # 1,500,000,000
    signed_on = j("1401-01-15")
    deal = terms.contract_terms(estate.county, [a, b], signed_on, discount_percent=10)
    assert deal.fee_rials == 3_150_000_000  # 3,500,000,000 × 0.9
    assert deal.cash_share_rate == Decimal("0.30")
    assert deal.cash_share_rials == 945_000_000
    assert deal.area_m2 == 1500
    # the rest, 2,205,000,000, in 12 quarterly instalments of 183,750,000
    assert [d.number for d in deal.schedule] == list(range(13))
    assert deal.schedule[0].due_date == signed_on and deal.schedule[0].amount_rials == 945_000_000
    assert {d.amount_rials for d in deal.schedule[1:]} == {183_750_000}
    assert [d.due_date for d in deal.schedule[1:5]] == [
        j("1401-04-15"),
        j("1401-07-15"),
        j("1401-10-15"),
        j("1402-01-15"),
    ]
    assert deal.schedule[-1].due_date == j("1404-01-15")
    assert sum(d.amount_rials for d in deal.schedule) == deal.fee_rials
    assert deal.construction_deadline == j("1403-01-15")


def test_cash_share_is_15_percent_in_a_less_developed_county_and_rials_that_do_not_divide_go_last():
    estate = make_estate(county=deprived_county().sci_code)
    plot = make_plot(estate, area=1, price=1_000_003)
    deal = terms.contract_terms(estate.county, [plot], j("1401-06-31"))
    assert deal.cash_share_rate == Decimal("0.15")
    assert deal.cash_share_rials == 150_000  # 150,000.45 rounded half up
    rest = 1_000_003 - 150_000
    assert [d.amount_rials for d in deal.schedule[1:]] == [rest // 12] * 11 + [rest // 12 + rest % 12]
    # 31 Shahrivar + 3 months: Azar has 30 days, so the 30th
    assert deal.schedule[1].due_date == j("1401-09-30")


def test_evaluation_score_is_the_weighted_mean():
    scores = {"jobs": 100, "investment": 80, "technology": 50, "experience": 0, "environment": 100}
    # (100·30 + 80·25 + 50·20 + 0·15 + 100·10) / 100 = 70
    assert terms.evaluation_score(scores) == Decimal("70.00")


# --- plot status and holds ----------------------------------------------------------------------


def status(plot, day):
    return Plot.objects.with_status(day).get(pk=plot.pk).status


def test_a_plots_status_is_derived_from_its_holds(admin_user):
    estate = make_estate()
    plot = make_plot(estate)
    assert status(plot, D0) == PlotStatus.FREE
    application = approved(estate, admin_user, [plot], day=D0)
    assert status(plot, D0) == PlotStatus.RESERVED
    assert status(plot, D0 - dt.timedelta(days=1)) == PlotStatus.FREE
    assert status(plot, D0 + dt.timedelta(days=60)) == PlotStatus.FREE  # lapsed after 60 days
    assert application.lapsed_on(D0 + dt.timedelta(days=60))
    sign_day = D0 + dt.timedelta(days=10)
    contract = actions.sign_contract(application, signed=sign_day, actor=admin_user)
    assert status(plot, sign_day) == PlotStatus.ALLOCATED
    assert status(plot, D0 + dt.timedelta(days=5)) == PlotStatus.RESERVED
    assert list(contract.plots) == [plot]
    end = sign_day + dt.timedelta(days=400)
    actions.terminate(contract, date=end, reason="ساخت آغاز نشد", actor=admin_user)
    assert status(plot, end - dt.timedelta(days=1)) == PlotStatus.ALLOCATED
    assert status(plot, end) == PlotStatus.RECLAIMED
    assert plot.status_on(end) == PlotStatus.RECLAIMED
    assert list(Plot.objects.free_on(end)) == [plot]
    # reclaimed land may be handed out again
    again = signed(estate, admin_user, [plot], day=end + dt.timedelta(days=3))
    assert status(plot, end + dt.timedelta(days=3)) == PlotStatus.ALLOCATED and again.pk != contract.pk


def test_a_plot_is_never_reserved_twice_on_one_day(admin_user):
    estate = make_estate()
    plot = make_plot(estate)
    approved(estate, admin_user, [plot], day=D0)
    second = make_application(estate, admin_user)
    with pytest.raises(ValidationError, match="never held twice"):
        actions.approve(second, [plot], day=D0 + dt.timedelta(days=59), actor=admin_user)
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED  # the action wrote nothing
    assert PlotHold.objects.filter(plot=plot).count() == 1
    # the day the first reservation lapses, the plot can be reserved again
    actions.approve(second, [plot], day=D0 + dt.timedelta(days=60), actor=admin_user)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_the_database_itself_refuses_two_holds_on_one_day_on_postgresql(admin_user):
    estate = make_estate()
    plot = make_plot(estate)
    application = approved(estate, admin_user, [plot], day=D0)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlotHold.objects.create(
            plot=plot,
            kind=HoldKind.RESERVATION,
            application=application,
            start_date=D0 + dt.timedelta(days=3),
        )
    # an empty hold (released the day it starts) shares no day with anything
    PlotHold.objects.create(
        plot=plot, kind=HoldKind.RESERVATION, application=application,
        start_date=D0 + dt.timedelta(days=3), released_on=D0 + dt.timedelta(days=3),
    )  # fmt: skip


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_the_database_refuses_two_leases_on_one_day_on_postgresql():
    workshop = make_workshop(make_estate(), completed_date=D0)
    tenant = make_unit()
    WorkshopLease.objects.create(
        workshop=workshop,
        tenant=tenant,
        start_date=D0,
        end_date=D0 + dt.timedelta(days=9),
        monthly_rent_rials=1,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkshopLease.objects.create(
            workshop=workshop, tenant=tenant, start_date=D0 + dt.timedelta(days=9), monthly_rent_rials=1
        )
    WorkshopLease.objects.create(
        workshop=workshop, tenant=tenant, start_date=D0 + dt.timedelta(days=10), monthly_rent_rials=1
    )


# --- the contract's life ------------------------------------------------------------------------


def test_signing_writes_the_terms_shown_before_it(admin_user):
    estate = make_estate()
    plots = [make_plot(estate, area=2000, price=1_500_000), make_plot(estate, area=1000, price=1_500_000)]
    application = approved(estate, admin_user, plots, day=D0)
    shown = actions.terms_for(application, signed=D0 + dt.timedelta(days=7), discount_percent=5)
    contract = actions.sign_contract(
        application, signed=D0 + dt.timedelta(days=7), discount_percent=5, actor=admin_user
    )
    assert (contract.fee_rials, contract.cash_share_rials, contract.construction_deadline) == (
        shown.fee_rials, shown.cash_share_rials, shown.construction_deadline,
    )  # fmt: skip
    assert contract.fee_rials == 4_275_000_000
    assert list(contract.instalments.values_list("number", "due_date", "amount_rials")) == [
        (d.number, d.due_date, d.amount_rials) for d in shown.schedule
    ]
    assert contract.area_m2 == 3000
    # the holder is the applicant's unit, created at signing with the applicant's national legal ID
    assert contract.holder.national_id == application.applicant_id
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONTRACTED
    assert contract.history.count() == 1 and contract.history.first().history_user == admin_user
    assert Instalment.history.filter(contract_id=contract.pk).count() == 13


def test_a_lapsed_reservation_cannot_be_signed(admin_user):
    estate = make_estate()
    application = approved(estate, admin_user, [make_plot(estate)], day=D0)
    with pytest.raises(ValidationError, match="lapsed"):
        actions.sign_contract(application, signed=D0 + dt.timedelta(days=60), actor=admin_user)
    assert AllocationContract.objects.count() == 0


def test_reject_needs_a_reason_and_review_scores(admin_user):
    estate = make_estate()
    application = make_application(estate, admin_user)
    actions.review(
        application,
        {"jobs": 50, "investment": 50, "technology": 50, "experience": 50, "environment": 50},
        actor=admin_user,
    )
    assert (application.status, application.score) == (ApplicationStatus.UNDER_REVIEW, Decimal("50.00"))
    with pytest.raises(ValidationError):
        actions.reject(application, "  ", day=D0, actor=admin_user)
    actions.reject(application, "ظرفیت ندارد", day=D0, actor=admin_user)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED and application.rejection_reason == "ظرفیت ندارد"
    with pytest.raises(ValidationError):
        actions.approve(application, [make_plot(estate)], day=D0, actor=admin_user)


def test_extend_transfer_and_complete(admin_user):
    estate = make_estate()
    contract = signed(estate, admin_user, [make_plot(estate)], day=j("1401-01-15"))
    assert contract.construction_deadline == j("1403-01-15")
    actions.extend(
        contract,
        new_deadline=j("1403-07-15"),
        reason="تأخیر در برق‌رسانی",
        granted=j("1402-12-01"),
        actor=admin_user,
    )
    assert contract.deadline_on(j("1402-11-30")) == j("1403-01-15")  # not yet granted
    assert contract.deadline_on(j("1403-02-01")) == j("1403-07-15")
    with pytest.raises(ValidationError):  # an extension moves the deadline later
        actions.extend(
            contract, new_deadline=j("1403-05-01"), reason="x", granted=j("1403-01-01"), actor=admin_user
        )
    buyer = make_unit(estate)
    first = contract.holder
    actions.transfer(contract, buyer, date=j("1402-06-01"), reason="فروش سهام", actor=admin_user)
    contract.refresh_from_db()
    assert contract.holder == buyer and contract.transfers.get().from_holder == first
    actions.complete(contract, date=j("1403-05-01"), actor=admin_user)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED
    assert UnitEvent.objects.get(unit=buyer).kind == "established"
    with pytest.raises(ValidationError):
        actions.terminate(contract, date=j("1403-06-01"), reason="x", actor=admin_user)


def test_a_payment_before_signing_is_refused(admin_user):
    estate = make_estate()
    contract = signed(estate, admin_user, [make_plot(estate)], day=D0)
    with pytest.raises(ValidationError):
        actions.record_payment(contract, date=D0 - dt.timedelta(days=1), amount_rials=10, actor=admin_user)
    actions.record_payment(contract, date=D0, amount_rials=10, actor=admin_user)
    assert contract.payments.get().history.count() == 1


# --- scope --------------------------------------------------------------------------------------


def test_an_officer_works_only_in_their_own_province(officer, admin_user):
    tehran = make_estate(county="2301")
    qazvin = make_estate(county="2601")
    mine = make_application(tehran, officer)
    assert mine.history.first().history_user == officer
    with pytest.raises(PermissionDenied):
        make_application(qazvin, officer)
    theirs = make_application(qazvin, admin_user)
    with pytest.raises(PermissionDenied):
        actions.approve(theirs, [make_plot(qazvin)], day=D0, actor=officer)
    theirs.refresh_from_db()
    assert theirs.status == ApplicationStatus.SUBMITTED
    contract = signed(tehran, officer, [make_plot(tehran)], day=D0)
    assert contract.holder.county_id == tehran.county_id


def test_a_viewer_writes_nothing(viewer):
    with pytest.raises(PermissionDenied):
        make_application(make_estate(), viewer)
    assert Application.objects.count() == 0


# --- workshops ----------------------------------------------------------------------------------


def test_a_workshops_occupant_follows_its_leases(admin_user):
    estate = make_estate()
    workshop = make_workshop(estate, completed_date=D0)
    tenant = make_unit(estate)
    with pytest.raises(ValidationError):  # not yet completed on that day
        actions.lease_workshop(
            workshop, tenant, start=D0 - dt.timedelta(days=1), monthly_rent_rials=5, actor=admin_user
        )
    lease = actions.lease_workshop(
        workshop, tenant, start=D0, monthly_rent_rials=50_000_000, actor=admin_user
    )
    workshop.refresh_from_db()
    assert (workshop.occupant, workshop.opened_date) == (tenant, D0)
    with pytest.raises(ValidationError, match="already leased"):
        actions.lease_workshop(
            workshop,
            make_unit(estate),
            start=D0 + dt.timedelta(days=30),
            monthly_rent_rials=5,
            actor=admin_user,
        )
    actions.end_lease(lease, end=D0 + dt.timedelta(days=90), actor=admin_user)
    workshop.refresh_from_db()
    assert workshop.occupant is None and workshop.opened_date == D0
    assert WorkshopLease.objects.covering(D0 + dt.timedelta(days=90)).count() == 1
    assert WorkshopLease.objects.covering(D0 + dt.timedelta(days=91)).count() == 0
