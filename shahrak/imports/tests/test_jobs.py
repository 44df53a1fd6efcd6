"""Import jobs whose worker died (issue 11 item 3) and the progress a person sees (item 9)."""

import datetime as dt
import importlib
import subprocess
import sys
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from shahrak.imports import jobs
from shahrak.imports.models import ImportJob, JobStatus
from shahrak.units.models import ProductionUnit
from tests.factories import national_id

from .sample import build_world, snapshot

pytestmark = pytest.mark.django_db
NEW = national_id(6101)
ImportCommand = importlib.import_module("shahrak.imports.management.commands.import").Command
CSV = f"national_id,name,estate,isic,employees\n{NEW},تازه,TH-001,1079,7\n".encode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def checked_job(client, officer):
    """An officer's file, checked (the preview passed) and not yet imported."""
    build_world()
    client.force_login(officer)
    client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("units.csv", CSV)})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.CHECKED
    return job


def die_while(job, status, *, heartbeat_age=dt.timedelta(minutes=10), runner=None):
    """What a worker killed in the middle of the job leaves behind."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        phase="write",
        done=0,
        total=1,
        heartbeat=timezone.now() - heartbeat_age,
        runner=runner if runner is not None else jobs.this_runner(),
    )


def test_a_job_whose_worker_stopped_is_failed_when_its_page_is_seen_and_runs_again(checked_job, client):
    die_while(checked_job, JobStatus.IMPORTING)
    before = snapshot()
    page = client.get(reverse("imports:job", args=[checked_job.pk])).content.decode()
    checked_job.refresh_from_db()
    assert checked_job.status == JobStatus.FAILED
    with translation.override("fa"):
        expected = jobs._(
            "The worker stopped while this file was being imported; nothing was written. Run it again."
        )
    assert checked_job.error == expected and "کارگزار" in expected
    assert 'data-testid="run-again"' in page and expected in page
    assert snapshot() == before  # nothing half-written
    assert client.post(reverse("imports:confirm", args=[checked_job.pk])).status_code == 302
    checked_job.refresh_from_db()
    assert checked_job.status == JobStatus.FAILED  # confirm is for checked jobs; "run again" is the way
    client.post(reverse("imports:again", args=[checked_job.pk]))
    checked_job.refresh_from_db()
    assert (checked_job.status, checked_job.result["created"], checked_job.error) == (JobStatus.DONE, 1, "")
    assert ProductionUnit.objects.filter(national_id=NEW).exists()


def test_a_job_that_died_while_checking_is_checked_again(checked_job, client):
    ImportJob.objects.filter(pk=checked_job.pk).update(preview=None)
    die_while(checked_job, JobStatus.CHECKING)
    progress = client.get(reverse("imports:progress", args=[checked_job.pk]), HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"  # the page reloads and shows the failure
    checked_job.refresh_from_db()
    assert checked_job.status == JobStatus.FAILED
    assert (
        checked_job.error
        == "کارگزار پس‌زمینه هنگام بررسی این پرونده از کار ایستاد؛ چیزی نوشته نشد. دوباره اجرایش کنید."
    )
    client.post(reverse("imports:again", args=[checked_job.pk]))
    checked_job.refresh_from_db()
    assert checked_job.status == JobStatus.CHECKED and checked_job.preview["created"] == 1


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(checked_job, client):
    die_while(checked_job, JobStatus.IMPORTING, heartbeat_age=dt.timedelta(seconds=5))
    client.get(reverse("imports:job", args=[checked_job.pk]))
    assert ImportJob.objects.get().status == JobStatus.IMPORTING
    assert jobs.fail_stale_jobs() == []


def test_the_heartbeat_limit_is_a_setting(checked_job, settings):
    settings.SHAHRAK = {**settings.SHAHRAK, "IMPORT_HEARTBEAT_MAX_AGE": 3}
    die_while(checked_job, JobStatus.IMPORTING, heartbeat_age=dt.timedelta(seconds=5))
    assert jobs.fail_stale_jobs() == [checked_job.pk]


def test_a_job_whose_process_has_ended_is_failed_at_once(checked_job, client):
    """Same machine, process gone: no need to wait for the heartbeat to age."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    host = jobs.this_runner().rpartition(":")[0]
    die_while(checked_job, JobStatus.IMPORTING, heartbeat_age=dt.timedelta(0), runner=f"{host}:{child.pid}")
    client.get(reverse("imports:job", args=[checked_job.pk]))
    assert ImportJob.objects.get().status == JobStatus.FAILED


def test_the_worker_sweeps_at_start_and_the_command_when_it_runs(
    checked_job, admin_user, tmp_path, monkeypatch
):
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    die_while(checked_job, JobStatus.IMPORTING)
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    assert ImportJob.objects.get().status == JobStatus.FAILED
    die_while(checked_job, JobStatus.CHECKING)
    path = tmp_path / "units.csv"
    path.write_bytes(CSV)
    err = StringIO()
    call_command(
        "import", str(path), "--dry-run", "--lang", "en", "--user", "admin", stdout=StringIO(), stderr=err
    )
    assert (
        f"Web import job {checked_job.pk} lost its worker and is marked failed (nothing was written)."
        in err.getvalue()
    )
    assert ImportJob.objects.get().status == JobStatus.FAILED


def test_a_failure_inside_the_write_leaves_nothing_and_the_job_runs_again(checked_job, client, monkeypatch):
    """The import writes in one transaction: dying after the rows are inserted rolls them back."""
    before = snapshot()

    def die(self, creates, updates):
        assert ProductionUnit.objects.filter(national_id=NEW).exists()  # inserted, not committed
        raise MemoryError("killed")

    monkeypatch.setattr("shahrak.imports.importer.Importer._refresh_derived", die)
    client.post(reverse("imports:confirm", args=[checked_job.pk]))
    checked_job.refresh_from_db()
    assert checked_job.status == JobStatus.FAILED
    assert snapshot() == before
    monkeypatch.undo()
    client.post(reverse("imports:again", args=[checked_job.pk]))
    assert ImportJob.objects.get().status == JobStatus.DONE


def test_the_progress_box_shows_rows_and_the_time_left(checked_job, client):
    ImportJob.objects.filter(pk=checked_job.pk).update(
        status=JobStatus.IMPORTING,
        phase="check",
        done=100,
        total=400,
        heartbeat=timezone.now(),
        phase_started=timezone.now() - dt.timedelta(seconds=10),
    )
    job = ImportJob.objects.get()
    assert job.seconds_left == 30
    box = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in box
    assert "۱۰۰ از ۴۰۰ سطر" in box and "حدود ۳۰ ثانیه مانده" in box
    ImportJob.objects.filter(pk=job.pk).update(phase_started=timezone.now() - dt.timedelta(seconds=100))
    box = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "حدود ۵ دقیقه مانده" in box


def test_the_worker_writes_progress_with_a_heartbeat(checked_job):
    report = jobs._progress_writer(checked_job.pk)
    report("check", 0, 10)
    first = ImportJob.objects.get()
    assert (first.phase, first.done, first.total) == ("check", 0, 10)
    assert first.heartbeat is not None and first.phase_started == first.heartbeat
    report("check", 10, 10)
    report("write", 0, 10)
    job = ImportJob.objects.get()
    assert (job.phase, job.done) == ("write", 0) and job.phase_started > first.phase_started


def test_the_command_shows_the_time_left():
    ticks = iter([0.0, 10.0, 40.0])
    command = ImportCommand(stdout=StringIO(), stderr=StringIO())
    with translation.override("en"):
        report = command.progress_printer(clock=lambda: next(ticks))
        report("check", 0, 1000)
        report("check", 250, 1000)
        report("check", 500, 1000)
    lines = command.stderr._out.getvalue().splitlines()
    assert lines == [
        "checking: 0/1,000 (0%)",
        "checking: 250/1,000 (25%), about 30 s left",
        "checking: 500/1,000 (50%), about 40 s left",
    ]
