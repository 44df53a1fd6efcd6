"""Importing from the web: upload, preview of what would change, confirm; big files in the background."""

import csv
import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from shahrak.imports import jobs
from shahrak.imports.models import ImportJob, JobStatus
from shahrak.units.models import ProductionUnit
from tests.factories import national_id

from .sample import build_world, snapshot

pytestmark = pytest.mark.django_db
NEW = national_id(6001)
CSV = f"national_id,name,estate,isic,employees\n{NEW},تازه,TH-001,1079,7\n".encode()
BAD = f"national_id,name,estate,isic,employees\n{NEW},تازه,TH-001,1079,7\n{national_id(6002)},بد,IS-001,1079,0\n".encode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    return build_world()


def upload(client, data: bytes, name="units.csv", **fields):
    return client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, data), **fields})


def test_upload_preview_confirm(world, client, officer):
    client.force_login(officer)
    page = client.get(reverse("imports:upload"))
    assert page.status_code == 200
    assert reverse("imports:template", args=["units", "xlsx"]) in page.content.decode()
    before = snapshot()
    response = upload(client, CSV)
    job = ImportJob.objects.get()
    assert response.url == reverse("imports:job", args=[job.pk])
    assert (job.status, job.resource, job.preview["created"], job.preview["error_count"]) == (
        JobStatus.CHECKED,
        "units",
        1,
        0,
    )
    preview = client.get(response.url).content.decode()
    assert 'data-testid="confirm"' in preview and "تازه" in preview
    assert snapshot() == before  # the preview wrote nothing
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.result["created"], job.result["written"]) == (JobStatus.DONE, 1, True)
    unit = ProductionUnit.objects.get(national_id=NEW)
    assert unit.history.get().history_user == officer


def test_problems_are_listed_and_nothing_can_be_confirmed(world, client, officer):
    client.force_login(officer)
    officer.language = "en"  # the user's language is kept on the user
    officer.save()
    before = snapshot()
    response = upload(client, BAD)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.REJECTED
    html = client.get(response.url).content.decode()
    # The report marks the file's name, column letter and header as codes; its text reads the same.
    page = re.sub(r"<bdi[^>]*>|</bdi>", "", html)
    assert "units.csv, row 3, column E (employees): 0 is below the smallest allowed value, 1." in page
    assert (
        "units.csv, row 3, column C (estate): This production unit is outside your province (Tehran); you may only read it."
        in page
    )
    assert 'data-testid="confirm"' not in html
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    assert snapshot() == before


def test_keep_valid_returns_the_rejected_rows(world, client, admin_user):
    client.force_login(admin_user)
    admin_user.language = "en"
    admin_user.save()
    upload(client, BAD, keep_valid="on")
    job = ImportJob.objects.get()
    assert (job.status, job.preview["created"], job.preview["rejected"]) == (JobStatus.CHECKED, 1, 1)
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.result["created"], job.result["rejected"]) == (JobStatus.DONE, 1, 1)
    rejected = b"".join(client.get(reverse("imports:rejected", args=[job.pk])).streaming_content).decode(
        "utf-8-sig"
    )
    assert list(csv.reader(StringIO(rejected))) == [
        ["national_id", "name", "estate", "isic", "employees", "row", "errors"],
        [national_id(6002), "بد", "IS-001", "1079", "0", "3", "E: 0 is below the smallest allowed value, 1."],
    ]


def test_large_files_go_to_the_background_worker(world, client, admin_user, monkeypatch):
    """With the database task backend: the job waits, `shahrak db_worker` runs it, the page follows."""
    monkeypatch.setattr(jobs, "INLINE_MAX_BYTES", 0)
    # The worker drops "old" connections between tasks; inside a test's transaction that would be ours.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    client.force_login(admin_user)
    response = upload(client, CSV)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.QUEUED_CHECK
    progress = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in progress.content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    job.refresh_from_db()
    assert (job.status, job.total, job.preview["created"]) == (JobStatus.CHECKED, 1, 1)
    finished = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert finished["HX-Refresh"] == "true"
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED_IMPORT
    assert not ProductionUnit.objects.filter(national_id=NEW).exists()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    job.refresh_from_db()
    assert (job.status, job.result["created"]) == (JobStatus.DONE, 1)
    assert ProductionUnit.objects.filter(national_id=NEW).exists()
    assert re.search(r"imported|درون‌ریزی|وارد", client.get(response.url).content.decode())


@pytest.mark.parametrize("who", ["analyst", "viewer"])
def test_readers_cannot_upload(world, client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("imports:upload")).status_code == 403
    assert upload(client, CSV).status_code == 403
    assert not ImportJob.objects.exists()


def test_a_job_is_seen_only_by_its_owner_and_administrators(world, client, officer, make_user, admin_user):
    client.force_login(officer)
    upload(client, CSV)
    job = ImportJob.objects.get()
    other = make_user("officer", province="IR-10", username="isfahan-officer")
    client.force_login(other)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 404
    client.force_login(admin_user)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 200
    assert (
        client.post(reverse("imports:confirm", args=[job.pk])).status_code == 403
    )  # only the uploader confirms


def test_oc4ids_download_takes_the_project_filters(world, client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("imports:oc4ids"), {"province": "IR-10"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert [p["id"] for p in response.json()["projects"]] == ["oc4ids-shahrk-PRJ-I-1"]
