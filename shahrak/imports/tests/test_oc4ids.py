"""Development projects as OC4IDS, checked by the standard's own validator (libcoveoc4ids), offline.

The validator downloads the schema and codelists; here they are served on 127.0.0.1 from the
standard's 0.9.5 files shipped as test data in data/oc4ids-0.9.5 (with their licence), so the tests
need nothing outside the repository.
"""

import datetime as dt
import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from shahrak.imports.oc4ids import project_package
from shahrak.projects.models import DevelopmentProject, ProjectStatus

from .sample import build_world

pytestmark = pytest.mark.django_db
STANDARD = Path(__file__).parent / "data" / "oc4ids-0.9.5"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def standard_url():
    assert (STANDARD / "schema" / "project-package-schema.json").is_file(), (
        f"the OC4IDS 0.9.5 folder is missing: {STANDARD}"
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(STANDARD)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def validate(package: dict, base: str) -> dict:
    from libcoveoc4ids.api import oc4ids_json_output
    from libcoveoc4ids.config import LibCoveOC4IDSConfig

    config = LibCoveOC4IDSConfig(
        {
            "schema_host": f"{base}schema/",
            "schema_version_choices": {"0.9.5": ("0.9.5", f"{base}schema/")},
            "schema_codelists": {"0.9": f"{base}codelists/"},
        }
    )
    return oc4ids_json_output(json_data=json.loads(json.dumps(package)), lib_cove_oc4ids_config=config)


def test_the_projects_pass_the_standards_validator(standard_url, tmp_path):
    world = build_world()
    DevelopmentProject.objects.create(
        code="PRJ-T-2", estate=world.tehran_estate, title="گازرسانی", category="gas", credit_rials=5 * 10**11,
        funding_source="provincial", start_date=dt.date(2022, 1, 1), status=ProjectStatus.SUSPENDED,
        stopped_date=dt.date(2022, 9, 1),
    )  # fmt: skip
    DevelopmentProject.objects.create(
        code="PRJ-T-3", estate=world.tehran_estate, title="جاده", category="roads", credit_rials=10**10,
        funding_source="private", status=ProjectStatus.CANCELLED, stopped_date=dt.date(2022, 2, 1),
    )  # fmt: skip
    package = project_package()
    result = validate(package, standard_url)
    assert result["validation_errors"] == []
    assert result["additional_closed_codelist_values"] == {}
    assert result.get("json_deref_error") is None
    assert [p["id"] for p in package["projects"]] == [
        "oc4ids-shahrk-PRJ-I-1", "oc4ids-shahrk-PRJ-T-1", "oc4ids-shahrk-PRJ-T-2", "oc4ids-shahrk-PRJ-T-3",
    ]  # fmt: skip
    completed = package["projects"][0]
    assert completed["status"] == "completion"
    assert completed["sector"] == ["energy"]
    assert completed["budget"]["amount"] == {"amount": 10**12, "currency": "IRR"}
    assert completed["completion"] == {
        "endDate": "2022-12-01T00:00:00+03:30",
        "finalValue": {"amount": 7_000_000_000, "currency": "IRR"},
    }
    assert completed["transactions"] == [
        {
            "id": str(world.isfahan_payment.pk),
            "date": "2022-08-01T00:00:00+04:30",
            "value": {"amount": 7_000_000_000, "currency": "IRR"},
            "payer": {"id": "shahrak-organization", "name": "Industrial Estates Organization"},
        }
    ]
    tehran = package["projects"][1]
    assert tehran["locations"][0]["geometry"] == {"type": "Point", "coordinates": [51.87, 35.56]}
    assert [p["status"] for p in package["projects"][2:]] == ["implementation", "cancelled"]

    out = tmp_path / "projects.json"
    call_command(
        "export",
        "projects",
        "--format",
        "oc4ids",
        "--output",
        str(out),
        "--filter",
        "province=IR-23",
        stderr=StringIO(),
    )
    filtered = json.loads(out.read_text(encoding="utf-8"))
    assert [p["id"] for p in filtered["projects"]] == [
        "oc4ids-shahrk-PRJ-T-1",
        "oc4ids-shahrk-PRJ-T-2",
        "oc4ids-shahrk-PRJ-T-3",
    ]
    assert validate(filtered, standard_url)["validation_errors"] == []


def test_a_bad_package_is_caught_by_the_validator(standard_url):
    """The validator really runs: a wrong status code is reported."""
    build_world()
    package = project_package()
    package["projects"][0]["status"] = "halfway"
    result = validate(package, standard_url)
    assert result["additional_closed_codelist_values"]["projects/status"]["values"] == ["halfway"]
    package["projects"][0]["budget"]["amount"]["amount"] = "a lot"
    assert len(validate(package, standard_url)["validation_errors"]) == 1
