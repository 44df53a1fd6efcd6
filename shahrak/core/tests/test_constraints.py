"""Integrity lives in the database: each constraint refuses a bad row even when code skips validation."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from shahrak.money.models import ExchangeRate
from shahrak.projects.models import Disbursement, PlannedDisbursement, ProjectStatus
from shahrak.targets.models import Target, TargetMetric
from shahrak.units.models import EventKind, IdleCause, UnitEvent
from tests.factories import make_estate, make_project, make_unit, make_workshop, national_id

pytestmark = pytest.mark.django_db

D = dt.date(2022, 3, 21)


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_national_id_is_unique_and_eleven_digits():
    unit = make_unit()
    refused(lambda: make_unit(national_id=unit.national_id))
    refused(lambda: make_unit(national_id="1234567890"))
    refused(lambda: make_unit(national_id="12345abcde1"))


def test_money_cannot_be_negative_and_holds_64_bits():
    estate = make_estate()
    refused(lambda: make_project(estate, credit_rials=-1))
    project = make_project(estate, credit_rials=60 * 10**12)  # 60 trillion rials needs 64 bits
    project.refresh_from_db()
    assert project.credit_rials == 60_000_000_000_000
    refused(
        lambda: Disbursement.objects.create(
            project=project, date=D, amount_rials=-5, funding_source="internal"
        )
    )
    refused(
        lambda: Disbursement.objects.create(
            project=project, date=D, amount_rials=0, funding_source="internal"
        )
    )
    refused(
        lambda: (
            PlannedDisbursement.objects.bulk_create(  # bulk_create skips save(), which would refuse it first
                [PlannedDisbursement(project=project, year=1401, month=13, month_start=D, amount_rials=1)]
            )
        )
    )


def test_a_project_cannot_end_before_it_starts():
    estate = make_estate()
    refused(lambda: make_project(estate, start_date=D, actual_end_date=D - dt.timedelta(days=1),
                                 status=ProjectStatus.COMPLETED))  # fmt: skip


def test_project_status_must_match_its_dates():
    estate = make_estate()
    refused(lambda: make_project(estate, status=ProjectStatus.COMPLETED, actual_end_date=None))
    refused(lambda: make_project(estate, status=ProjectStatus.SUSPENDED, stopped_date=None))
    refused(lambda: make_project(estate, status=ProjectStatus.UNDERWAY, stopped_date=D))
    refused(lambda: make_project(estate, status="finished"))


def test_choices_are_constrained_in_the_database():
    refused(lambda: make_estate(kind="village"))
    refused(lambda: make_estate(status="closed"))


def test_estate_land_and_dates_are_consistent():
    refused(lambda: make_estate(allocated_area_ha=70))  # more than the 60 ha of industrial land
    refused(lambda: make_estate(industrial_area_ha=150, allocated_area_ha=10))  # more than the gross
    refused(lambda: make_estate(operational_date=dt.date(2009, 1, 1)))  # before the licence
    refused(lambda: make_estate(operational_date=None))  # operational without a date


def test_workshop_opens_after_completion_and_has_an_occupant_only_when_open():
    estate = make_estate()
    refused(lambda: make_workshop(estate, completed_date=D, opened_date=D - dt.timedelta(days=1)))
    refused(lambda: make_workshop(estate, opened_date=D))  # never completed
    refused(lambda: make_workshop(estate, occupant=make_unit(estate)))
    workshop = make_workshop(estate, code="A1")
    refused(lambda: make_workshop(estate, code=workshop.code))


def test_unit_events_one_a_day_one_establishment_and_their_fields():
    unit = make_unit()
    UnitEvent.objects.create(unit=unit, date=D, kind=EventKind.ESTABLISHED)
    refused(lambda: UnitEvent.objects.create(unit=unit, date=D, kind=EventKind.CLOSED))
    refused(lambda: UnitEvent.objects.create(unit=unit, date=D + dt.timedelta(1), kind=EventKind.ESTABLISHED))
    refused(
        lambda: UnitEvent.objects.create(unit=unit, date=D + dt.timedelta(2), kind=EventKind.IDLED)
    )  # no cause
    refused(
        lambda: UnitEvent.objects.create(unit=unit, date=D + dt.timedelta(3), kind=EventKind.REVIVED)
    )  # no jobs
    refused(
        lambda: UnitEvent.objects.create(unit=unit, date=D + dt.timedelta(4), kind=EventKind.CLOSED, jobs=3)
    )
    refused(lambda: UnitEvent.objects.create(
        unit=unit, date=D + dt.timedelta(5), kind=EventKind.REVIVED, jobs=3, cause=IdleCause.FINANCE))  # fmt: skip


def test_targets_are_unique_per_scope_including_the_nation():
    Target.objects.create(metric=TargetMetric.UNITS_REVIVED, year=1400, start_date=D, end_date=D, value=2000)
    refused(
        lambda: Target.objects.create(metric=TargetMetric.UNITS_REVIVED, start_date=D, end_date=D, value=1)
    )
    refused(
        lambda: Target.objects.create(
            metric=TargetMetric.UNITS_REVIVED, start_date=D, end_date=D - dt.timedelta(1), value=1
        )
    )


def test_one_rate_per_currency_source_and_day():
    ExchangeRate.objects.create(date=D, currency="USD", source="free_market", rials_per_unit=250_000)
    refused(
        lambda: ExchangeRate.objects.create(date=D, currency="USD", source="free_market", rials_per_unit=1)
    )
    refused(lambda: ExchangeRate.objects.create(date=D, currency="usd", source="official", rials_per_unit=1))
    refused(
        lambda: ExchangeRate.objects.create(date=D, currency="EUR", source="free_market", rials_per_unit=0)
    )


def test_rate_in_force_is_the_latest_on_or_before_the_day():
    ExchangeRate.objects.create(date=D, currency="USD", source="free_market", rials_per_unit=250_000)
    ExchangeRate.objects.create(
        date=D + dt.timedelta(10), currency="USD", source="free_market", rials_per_unit=260_000
    )
    ExchangeRate.objects.create(
        date=D + dt.timedelta(5), currency="USD", source="official", rials_per_unit=42_000
    )
    assert ExchangeRate.objects.in_force_on(D - dt.timedelta(1)) is None
    assert ExchangeRate.objects.in_force_on(D + dt.timedelta(9)) == 250_000
    assert ExchangeRate.objects.in_force_on(D + dt.timedelta(10)) == 260_000
    assert ExchangeRate.objects.in_force_on(D + dt.timedelta(9), source="official") == 42_000


def test_a_unit_in_an_estate_takes_its_estates_county():
    estate = make_estate(county="0916")
    unit = make_unit(estate, county=make_estate(county="2301").county)
    unit.refresh_from_db()
    assert unit.county.sci_code == "0916"


def test_valid_national_ids_from_the_test_builder():
    from shahrak.core.validators import is_valid_national_id

    assert all(is_valid_national_id(national_id(n)) for n in range(1, 50))
