"""Hostile text in every list filter, web and API: never a server error, and a bad value is refused by name.

A `%` in a date filter once made every list answer 500: the calendar's message quoted the typed
text and django-filter then used that message as a `%` format string. Here every filter of every
list gets the strings that break `%` and `str.format` formatting.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from shahrak.core.filters import JalaliDateFilter
from shahrak.imports.resources import RESOURCES
from shahrak.imports.tests.sample import build_world

pytestmark = pytest.mark.django_db

HOSTILE = ["%", "%s", "{0}", "{}", "%(x)s", "%%d{x}"]


@pytest.fixture
def world(db):
    return build_world()


def list_filters():
    for name, resource in sorted(RESOURCES.items()):
        for field, filter_ in resource.filterset.base_filters.items():
            yield name, field, isinstance(filter_, JalaliDateFilter)


def api_list(name):
    """The API list of a record type: /api/<slug>/, or land's under the web's prefix (/api/land/plots/)."""
    from shahrak.api.land import LAND_VIEWSETS

    model = RESOURCES[name].model
    for prefix, (_basename, viewset) in LAND_VIEWSETS.items():
        if viewset.model is model:
            return f"/api/{prefix}/"
    return f"/api/{name}/"


DATE_FILTERS = [(name, field) for name, field, is_date in list_filters() if is_date]


def test_the_lists_have_the_date_filters_the_issue_names():
    assert DATE_FILTERS == [
        ("applications", "applied_from"), ("applications", "applied_to"),
        ("contract-extensions", "granted_from"), ("contract-extensions", "granted_to"),
        ("contract-transfers", "date_from"), ("contract-transfers", "date_to"),
        ("contracts", "signed_from"), ("contracts", "signed_to"),
        ("disbursements", "date_from"), ("disbursements", "date_to"),
        ("estates", "licensed_from"), ("estates", "licensed_to"),
        ("events", "date_from"), ("events", "date_to"),
        ("instalments", "due_from"), ("instalments", "due_to"),
        ("land-payments", "date_from"), ("land-payments", "date_to"),
        ("plot-holds", "start_from"), ("plot-holds", "start_to"),
        ("projects", "underway_on"),
        ("rates", "date_from"), ("rates", "date_to"),
        ("workshops", "opened_from"), ("workshops", "opened_to"),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fa"])
def test_api_lists_refuse_hostile_dates_by_name_and_never_fail(world, admin_user, language):
    api = APIClient()
    admin_user.language = language
    admin_user.save(update_fields=["language"])
    api.force_authenticate(admin_user)
    for name, field, is_date in list_filters():
        for text in HOSTILE:
            response = api.get(api_list(name), {field: text})
            assert response.status_code in (200, 400), (name, field, text, response.status_code)
            if is_date:
                assert response.status_code == 400, (name, field, text)
                [message] = response.json()[field]
                # The typed text comes back quoted as it was, not formatted.
                assert f"«{text}»" in message, message


def test_api_date_error_quotes_the_text_in_english(world, admin_user):
    api = APIClient()
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    api.force_authenticate(admin_user)
    response = api.get("/api/rates/", {"date_from": "%(x)s"})
    assert (response.status_code, response.json()) == (
        400,
        {"date_from": ["«%(x)s» is not a date; write it as 1401/01/01 (Solar Hijri) or 2022-03-21."]},
    )


def web_list(name):
    meta = RESOURCES[name].model._meta
    return reverse(f"{meta.app_label}:{meta.model_name}_list")


def test_web_lists_show_hostile_dates_as_form_errors(world, client, admin_user):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    with translation.override("en"):
        # Every hostile string in the date filters, one in the others (each web page costs time).
        for name, field, is_date in list_filters():
            for text in HOSTILE if is_date else ["%(x)s{0}"]:
                response = client.get(web_list(name), {field: text}, HTTP_ACCEPT_LANGUAGE="en")
                assert response.status_code == 200, (name, field, text, response.status_code)
                if is_date:
                    assert response.context["filter_form"].errors[field] == [
                        f"«{text}» is not a date; write it as 1401/01/01 (Solar Hijri) or 2022-03-21."
                    ]


def test_an_export_with_a_filter_it_cannot_read_is_refused_not_everything(world, client, admin_user):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    response = client.get("/rates/export/", {"date_from": "abc", "format": "csv"})
    assert response.status_code == 400
    assert response.content.decode() == (
        "Nothing was exported: From: «abc» is not a date; write it as 1401/01/01 (Solar Hijri) or 2022-03-21."
    )
    refused = client.get("/payments/export/", {"category": "nonsense", "format": "csv"})
    assert refused.status_code == 400
    assert refused.content.decode().startswith("Nothing was exported: Category: ")
    good = client.get("/rates/export/", {"date_from": "1401/01/01", "format": "csv"})
    assert good.status_code == 200


def test_api_list_refuses_a_bad_filter_value_naming_the_field(world, admin_user):
    api = APIClient()
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    api.force_authenticate(admin_user)
    response = api.get("/api/rates/", {"date_from": "abc"})
    assert (response.status_code, list(response.json())) == (400, ["date_from"])
    response = api.get("/api/disbursements/", {"funding_source": "gold"})
    assert (response.status_code, list(response.json())) == (400, ["funding_source"])


@pytest.mark.parametrize("slug", ["counties", "provinces"])
def test_reference_data_is_read_only_in_the_api_even_for_an_administrator(world, admin_user, slug):
    from shahrak.regions.models import County, Province

    api = APIClient()
    api.force_authenticate(admin_user)
    model = {"counties": County, "provinces": Province}[slug]
    before = model.objects.count()
    first = api.get(f"/api/{slug}/").json()["results"][0]
    assert api.post(f"/api/{slug}/", first, format="json").status_code == 405
    for method in ("put", "patch", "delete"):
        assert getattr(api, method)(f"/api/{slug}/{first['id']}/", first, format="json").status_code == 405
    assert model.objects.count() == before
    paths = APIClient().get("/api/schema/?format=json").json()["paths"]
    assert set(paths[f"/api/{slug}/"]) == {"get"}
    assert set(paths[f"/api/{slug}/{{id}}/"]) == {"get"}


def test_persian_api_errors_have_no_english_object(world, admin_user):
    admin_user.language = "fa"
    admin_user.save(update_fields=["language"])
    api = APIClient()
    api.force_authenticate(admin_user)
    response = api.post(
        "/api/units/",
        {"national_id": "10100000018", "name": "تازه", "estate": "NOPE", "isic": "1079", "employees": 9},
        format="json",
    )
    assert response.status_code == 400
    # The record type and its key as people call them, not the field's name in code («code»).
    assert response.json()["estate"] == ["هیچ شهرک/ناحیه با کد «NOPE» ثبت نشده است."]


def test_no_persian_rest_framework_message_says_object():
    import gettext as gnu
    from pathlib import Path

    import rest_framework
    from django.utils.translation import gettext

    mo = Path(rest_framework.__file__).parent / "locale" / "fa" / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as file:
        msgids = [m for m in gnu.GNUTranslations(file)._catalog if isinstance(m, str) and m]
    assert len(msgids) > 100
    with translation.override("fa"):
        leftovers = sorted(m for m in msgids if "object" in gettext(m).lower())
    assert leftovers == []
