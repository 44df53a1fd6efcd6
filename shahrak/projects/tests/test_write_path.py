"""Rules of the one write path seen from each caller: impossible numbers and dates, payments outside
their project's dates, a unit's county, constraint messages, no-op writes."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.utils import translation
from rest_framework.test import APIClient

from shahrak.money.models import ExchangeRate
from shahrak.projects.models import Disbursement
from shahrak.targets.models import Target
from shahrak.units.models import ProductionUnit
from tests.factories import make_disbursement, make_estate, make_project, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def api_as(user) -> APIClient:
    user.language = "en"
    user.save(update_fields=["language"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


YEAR_MESSAGE = "An Iranian year is from 1300 to 1500."


def test_the_web_refuses_an_impossible_target_year_with_a_message(client, admin_user):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    response = client.post("/targets/add/", {"metric": "units_revived", "year": "348664", "value": "10"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"year": [YEAR_MESSAGE]}
    assert Target.objects.count() == 0


@pytest.mark.parametrize("year", [348664, 0, 1299, 1501])
def test_the_api_refuses_an_impossible_target_year(admin_user, year):
    response = api_as(admin_user).post(
        "/api/targets/", {"metric": "units_revived", "year": year, "value": 10}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"year": [YEAR_MESSAGE]})


def test_the_api_derives_a_targets_dates_from_its_year_as_the_model_does(admin_user):
    response = api_as(admin_user).post(
        "/api/targets/", {"metric": "units_revived", "year": 1401, "value": 10}, format="json"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["start_date"], response.json()["end_date"]) == ("2022-03-21", "2023-03-20")


def test_the_api_refuses_a_solar_hijri_date_sent_as_gregorian(admin_user):
    response = api_as(admin_user).post(
        "/api/rates/",
        {"date": "1401-05-12", "currency": "USD", "source": "free_market", "rials_per_unit": "300000"},
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"date": ["1401-05-12 looks like a Solar Hijri date; the API takes Gregorian dates in ISO 8601 (YYYY-MM-DD), such as 2022-08-03."]},
    )  # fmt: skip
    assert ExchangeRate.objects.count() == 0


def test_every_date_is_between_1921_and_2121_in_the_api(admin_user):
    response = api_as(admin_user).post(
        "/api/rates/",
        {"date": "2200-01-01", "currency": "USD", "source": "free_market", "rials_per_unit": "300000"},
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"date": ["A date is between the years 1921 and 2121 (Gregorian), about 1300 to 1500 in the Solar Hijri calendar."]},
    )  # fmt: skip


def test_a_payment_outside_its_projects_dates_is_accepted_with_a_warning_in_the_api(admin_user):
    project = make_project(make_estate(), code="P-W", start_date=dt.date(2021, 5, 1))
    response = api_as(admin_user).post(
        "/api/disbursements/",
        {"project": "P-W", "date": "2021-04-30", "amount_rials": 1000, "funding_source": "internal"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["warnings"] == [
        "This payment is dated before its project started (11 Ordibehesht 1400); check the date."
    ]
    inside = make_disbursement(project, dt.date(2021, 5, 1), 5)
    assert list(Disbursement.objects.outside_project_dates().values_list("date", flat=True)) == [
        dt.date(2021, 4, 30)
    ]
    assert inside.save_warnings() == []


def test_outside_project_dates_counts_payments_after_the_actual_end():
    project = make_project(
        make_estate(),
        start_date=dt.date(2021, 5, 1),
        actual_end_date=dt.date(2022, 1, 31),
        status="completed",
    )
    for day in (dt.date(2021, 5, 1), dt.date(2022, 1, 31), dt.date(2022, 2, 1)):
        make_disbursement(project, day, 10)
    open_project = make_project(make_estate(), start_date=dt.date(2021, 5, 1))
    make_disbursement(open_project, dt.date(2030, 1, 1), 10)  # no actual end: nothing is after it
    assert list(Disbursement.objects.outside_project_dates().values_list("date", flat=True)) == [
        dt.date(2022, 2, 1)
    ]


def test_a_payment_outside_its_projects_dates_is_shown_as_a_warning_on_the_web(client, admin_user):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    project = make_project(make_estate(), start_date=dt.date(2021, 5, 1))
    response = client.post(
        "/payments/add/",
        {"project": project.code, "date": "1400/02/09", "amount_rials": "1000", "funding_source": "internal"},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "This payment is dated before its project started (11 Ordibehesht 1400); check the date."
    ]


def test_patching_the_county_of_a_unit_in_an_estate_is_refused_and_writes_nothing(officer):
    unit = make_unit(make_estate(county="2301", code="TH-9"))
    response = api_as(officer).patch(f"/api/units/{unit.pk}/", {"county": "2302"}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"county": ["The county of a unit in an estate is its estate's county: estate TH-9 is in county 2301, not 2302."]},
    )  # fmt: skip
    assert ProductionUnit.objects.get(pk=unit.pk).county.sci_code == "2301"
    assert unit.history.count() == 1


def test_a_no_op_patch_writes_no_history(officer):
    unit = make_unit(make_estate(county="2301"), employees=12)
    response = api_as(officer).patch(f"/api/units/{unit.pk}/", {"employees": 12}, format="json")
    assert response.status_code == 200
    assert unit.history.count() == 1


def test_constraint_messages_are_the_models_in_form_api_and_import(admin_user):
    from shahrak.imports.constraints import violations
    from shahrak.projects.models import DevelopmentProject

    constraint = next(
        c for c in DevelopmentProject._meta.constraints if c.name == "project_starts_after_approval"
    )
    assert str(constraint.violation_error_message) == "A project cannot start before it is approved."
    project = make_project(make_estate(), code="P-A")
    project.approved_date = dt.date(2021, 6, 1)  # after its start, 2021-05-01
    assert [(fields[0], message) for _c, fields, message in violations(project)] == [
        ("start_date", "A project cannot start before it is approved.")
    ]
    response = api_as(admin_user).patch(
        f"/api/projects/{project.pk}/", {"approved_date": "2021-06-01"}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"start_date": ["A project cannot start before it is approved."]},
    )
    with translation.override("fa"):
        assert str(constraint.violation_error_message) == "پروژه نمی‌تواند پیش از تصویب آغاز شود."
