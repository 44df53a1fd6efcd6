"""Estates and workshop units: the query sets the figures read, the model's rules, the pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from shahrak.estates.models import Estate, EstateStatus, WorkshopUnit
from shahrak.regions.models import County
from tests.factories import make_estate, make_workshop

pytestmark = pytest.mark.django_db


def test_existing_on_counts_an_estate_from_its_licence_day():
    # Given estates licensed on 1 and 2 March 2022, and one with no licence yet
    first = make_estate(licence_date=dt.date(2022, 3, 1), operational_date=None, status=EstateStatus.LICENSED)
    make_estate(licence_date=dt.date(2022, 3, 2), operational_date=None, status=EstateStatus.LICENSED)
    make_estate(licence_date=None, operational_date=None, status=EstateStatus.LICENSED)
    # Then on 1 March only the first exists
    assert list(Estate.objects.existing_on(dt.date(2022, 3, 1))) == [first]
    assert Estate.objects.existing_on(dt.date(2022, 3, 2)).count() == 2


def test_in_deprived_counties_follows_the_county_status():
    county = County.objects.get(sci_code="2301")
    county.deprivation = "partial"
    county.save(update_fields=["deprivation"])
    deprived = make_estate(county="2301")
    other = County.objects.exclude(deprivation__in=("whole", "partial")).first()
    make_estate(county=other.sci_code)
    assert list(Estate.objects.in_deprived_counties()) == [deprived]


def test_free_industrial_area_is_industrial_minus_allocated():
    estate = make_estate(industrial_area_ha=Decimal("60.50"), allocated_area_ha=Decimal("40.25"))
    assert estate.free_industrial_area_ha == Decimal("20.25")


@pytest.mark.parametrize(
    "fields",
    [
        {"industrial_area_ha": 120, "gross_area_ha": 100},  # industrial above gross
        {"allocated_area_ha": 70, "industrial_area_ha": 60},  # allocated above industrial
        {"licence_date": dt.date(2015, 1, 1), "operational_date": dt.date(2014, 1, 1)},
        {"status": EstateStatus.OPERATIONAL, "operational_date": None},
    ],
    ids=[
        "industrial>gross",
        "allocated>industrial",
        "operational-before-licence",
        "operational-without-date",
    ],
)
def test_the_database_refuses_an_impossible_estate(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_estate(**fields)


def test_free_on_is_built_and_not_yet_handed_over():
    estate = make_estate()
    built = make_workshop(estate, completed_date=dt.date(2022, 1, 10))
    make_workshop(estate, completed_date=dt.date(2022, 1, 10), opened_date=dt.date(2022, 1, 20))
    make_workshop(estate, completed_date=dt.date(2022, 2, 1))
    make_workshop(estate)  # not built
    # On 20 January: the first is free, the second was handed over that day, the third not built yet.
    assert list(WorkshopUnit.objects.free_on(dt.date(2022, 1, 20))) == [built]
    assert WorkshopUnit.objects.free_on(dt.date(2022, 1, 19)).count() == 2


def test_opened_between_includes_both_days():
    estate = make_estate()
    for day in (dt.date(2022, 3, 20), dt.date(2022, 3, 21), dt.date(2022, 4, 20), dt.date(2022, 4, 21)):
        make_workshop(estate, completed_date=day, opened_date=day)
    assert WorkshopUnit.objects.opened_between(dt.date(2022, 3, 21), dt.date(2022, 4, 20)).count() == 2


def test_a_workshop_cannot_open_before_it_is_completed():
    estate = make_estate()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_workshop(estate, opened_date=dt.date(2022, 1, 1))  # never completed
    with pytest.raises(IntegrityError), transaction.atomic():
        make_workshop(estate, completed_date=dt.date(2022, 2, 1), opened_date=dt.date(2022, 1, 1))


def test_workshop_codes_are_unique_within_an_estate_only():
    one, two = make_estate(), make_estate()
    make_workshop(one, code="K-1")
    make_workshop(two, code="K-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_workshop(one, code="K-1")


def test_estate_list_filters_by_kind_and_the_page_shows_the_estate(client, viewer):
    zone = make_estate(kind="zone", code="Z-ONE")
    make_estate(kind="park", code="P-ARK")
    client.force_login(viewer)
    listed = client.get(reverse("estates:estate_list"), {"kind": "zone"})
    assert [row.record for row in listed.context["table"].page.object_list] == [zone]
    page = client.get(reverse("estates:estate", args=[zone.pk]))
    assert page.status_code == 200 and "Z-ONE" in page.content.decode()


def test_an_officer_adds_an_estate_in_their_province_through_the_form(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("estates:estate_add"),
        {"code": "NEW-1", "name_fa": "شهرک نو", "kind": "zone",
         "county": County.objects.get(sci_code="2301").pk, "status": "licensed",
         "gross_area_ha": "10", "industrial_area_ha": "5", "allocated_area_ha": "0"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    estate = Estate.objects.get(code="NEW-1")
    assert estate.county.sci_code == "2301"
    assert estate.history.count() == 1 and estate.history.first().history_user == officer
