"""A stock client generated from /api/schema/ (openapi-python-client) works against the API.

It lists, creates, updates and deletes one record of every writable type, and receives a 400 and
a 403 as the typed errors the schema documents. The client talks to the app in-process (httpx's
WSGI transport), so the test needs no server and no internet.
"""

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.authtoken.models import Token

from shahrak.imports.tests.sample import build_world
from tests.factories import national_id

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

GENERATOR = Path(sys.executable).parent / "openapi-python-client"

# Per writable type: what makes the new record differ from the first stored one (its natural key),
# and the field a PATCH changes, with the value it sets.
WRITABLE = {
    "estates": ({"code": "TH-009"}, ("name_en", "Generated")),
    "workshops": ({"code": "W-9"}, ("floor_area_m2", "777.00")),
    "units": ({"national_id": national_id(8802)}, ("employees", 12)),
    "events": ({"date": "2022-09-01", "kind": "revived", "jobs": 3}, ("jobs", 4)),
    "projects": ({"code": "PRJ-T-9"}, ("title_en", "Generated")),
    "disbursements": ({"reference": "PAY-9", "date": "2022-05-01"}, ("amount_rials", 123)),
    "planned": ({"month": 11}, ("amount_rials", 456)),
    "targets": ({"year": 1402, "start_date": "2023-03-21", "end_date": "2024-03-19"}, ("value", 9)),
    "rates": ({"date": "2022-01-05"}, ("rials_per_unit", "300000.00")),
}
READ_ONLY = {"id", "province", "size_class", "month_start"}


@pytest.fixture
def generated(client, tmp_path, monkeypatch):
    schema = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en")
    assert schema.status_code == 200
    # The WSGI transport is not Django's test client: stop its requests closing the test's connection
    # (inside the test's transaction Django would close it, and PostgreSQL's would be gone). Done after
    # the test client's request, which connects the receiver again when it finishes.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    (tmp_path / "schema.json").write_bytes(schema.content)
    done = subprocess.run(
        [str(GENERATOR), "generate", "--path", "schema.json", "--meta", "none"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("shahrak_api_client")
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    for name in [m for m in sys.modules if m.startswith("shahrak_api_client")]:
        del sys.modules[name]
    shutil.rmtree(tmp_path / "shahrak_api_client", ignore_errors=True)


def api_client(package, user):
    user.language = "en"
    user.save(update_fields=["language"])
    token = Token.objects.create(user=user).key
    transport = httpx.WSGITransport(app=get_wsgi_application())
    return package.AuthenticatedClient(
        base_url="http://testserver", token=token, prefix="Token", httpx_args={"transport": transport}
    )


def operation(slug: str, action: str):
    return importlib.import_module(f"shahrak_api_client.api.{slug}.{slug}_{action}")


def model(name: str):
    return getattr(importlib.import_module("shahrak_api_client.models"), name)


def test_a_generated_client_lists_creates_updates_and_deletes_every_writable_type(generated, admin_user):
    world = build_world()
    api = api_client(generated, admin_user)
    for slug, (changes, (field, value)) in WRITABLE.items():
        listed = operation(slug, "list").sync_detailed(client=api)
        assert listed.status_code == 200, (slug, listed.content)
        first = listed.parsed.results[0].to_dict()
        record_type = type(listed.parsed.results[0]).__name__
        body = {k: v for k, v in first.items() if k not in READ_ONLY} | changes
        if slug == "events":
            body["unit"] = world.isfahan_unit.national_id  # idled on 2022-07-01, so it may revive
            body.pop("cause")  # only an idling has a cause
        created = operation(slug, "create").sync_detailed(
            client=api, body=model(f"{record_type}Request").from_dict(body)
        )
        assert created.status_code == 201, (slug, created.content)
        assert type(created.parsed).__name__ == record_type
        new_id = created.parsed.id
        patched = operation(slug, "partial_update").sync_detailed(
            new_id, client=api, body=model(f"Patched{record_type}Request").from_dict({field: value})
        )
        assert patched.status_code == 200, (slug, patched.content)
        assert patched.parsed.to_dict()[field] == value
        again = operation(slug, "retrieve").sync_detailed(new_id, client=api)
        assert again.parsed.to_dict()[field] == value
        deleted = operation(slug, "destroy").sync_detailed(new_id, client=api)
        assert deleted.status_code == 204, (slug, deleted.content)
        gone = operation(slug, "retrieve").sync_detailed(new_id, client=api)
        assert (gone.status_code, type(gone.parsed).__name__) == (404, "Error")


def test_a_generated_client_gets_400_and_403_as_typed_errors(generated, officer):
    world = build_world()
    api = api_client(generated, officer)
    bad = operation("rates", "list").sync_detailed(client=api, date_from="abc")
    assert (bad.status_code, type(bad.parsed).__name__) == (400, "ValidationError")
    assert list(bad.parsed.additional_properties) == ["date_from"]
    refused = operation("units", "partial_update").sync_detailed(
        world.isfahan_unit.pk,
        client=api,
        body=model("PatchedProductionUnitRequest").from_dict({"employees": 1}),
    )
    assert (refused.status_code, type(refused.parsed).__name__) == (403, "Error")
    assert "outside your province" in refused.parsed.detail


def test_a_generated_client_reads_every_land_type(generated, land, viewer):
    """The land endpoints (read only) list and retrieve through the stock client, with typed records
    and a filter; an application's list row has no personal data, its detail has it."""
    api = api_client(generated, viewer)
    for slug in ("plots", "applications", "contracts", "instalments", "payments", "leases", "programmes"):
        listed = importlib.import_module(f"shahrak_api_client.api.land.land_{slug}_list").sync_detailed(
            client=api
        )
        assert listed.status_code == 200, (slug, listed.content)
        first = listed.parsed.results[0]
        again = importlib.import_module(f"shahrak_api_client.api.land.land_{slug}_retrieve").sync_detailed(
            first.id, client=api
        )
        assert again.status_code == 200 and again.parsed.id == first.id, slug
        if slug == "applications":
            assert type(first).__name__ == "ApplicationList" and not hasattr(first, "phone")
            assert type(again.parsed).__name__ == "Application" and again.parsed.applicant_id
    free = importlib.import_module("shahrak_api_client.api.land.land_plots_list").sync_detailed(
        client=api, status=model("LandPlotsListStatus")("free")
    )
    assert [plot.code for plot in free.parsed.results] == ["FREE"]
