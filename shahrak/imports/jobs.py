"""Web imports as jobs: check (a dry run that makes the preview), then, once confirmed, import.

Small files run in the request; larger ones go to the background worker (`shahrak db_worker`)
through django.tasks, and the page follows the job row's progress. The import itself re-checks
every row: the records may have changed between the preview and the confirmation.

While a job runs, its row carries a heartbeat (written with the progress, at least every few
seconds, and inside the import's transaction while it writes). A checking or importing job whose
heartbeat is older than SHAHRAK["IMPORT_HEARTBEAT_MAX_AGE"] seconds has lost its worker (killed,
out of memory, the machine restarted): `fail_stale_jobs` marks it failed when the job is seen
(its page, `shahrak import`, the worker's start). The import writes in one transaction, so a dead
worker left nothing half-written, and the job can be run again.
"""

import datetime as dt
import logging
import os
import socket
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.db.models import Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .importer import import_file
from .models import ImportJob, JobStatus

logger = logging.getLogger(__name__)
# Files up to this size are checked and imported while the user waits.
INLINE_MAX_BYTES = getattr(settings, "SHAHRAK_IMPORT_INLINE_MAX_BYTES", 256 * 1024)


STALE_STATUSES = (JobStatus.CHECKING, JobStatus.IMPORTING)


def heartbeat_max_age() -> dt.timedelta:
    return dt.timedelta(seconds=settings.SHAHRAK.get("IMPORT_HEARTBEAT_MAX_AGE", 120))


def _progress_writer(job_id: int):
    last = [0.0]
    phases = {}

    def report(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        fresh = phase not in phases
        if not fresh and now - last[0] < 0.5 and done < total:
            return
        last[0] = now
        changes = {"phase": phase, "done": done, "total": total, "heartbeat": timezone.now()}
        if fresh:  # the pace (and so the time left) is measured per phase
            phases[phase] = changes["phase_started"] = changes["heartbeat"]
        ImportJob.objects.filter(pk=job_id).update(**changes)

    return report


def _begin(job: ImportJob, status: str) -> None:
    now = timezone.now()
    job.status, job.phase, job.done, job.total = status, "check", 0, 0
    job.heartbeat = job.phase_started = now
    job.error, job.runner = "", this_runner()
    job.save(
        update_fields=[
            "status", "phase", "done", "total", "heartbeat", "phase_started", "error", "runner", "updated",
        ]
    )  # fmt: skip


def this_runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _runner_is_gone(runner: str) -> bool:
    """True when the job ran in a process of this machine that no longer exists."""
    host, _sep, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, under another user
        return False
    return False


def stale_jobs(now: dt.datetime | None = None):
    """Checking or importing jobs whose worker has given no sign for too long."""
    cutoff = (now or timezone.now()) - heartbeat_max_age()
    return ImportJob.objects.filter(status__in=STALE_STATUSES).filter(
        Q(heartbeat__lt=cutoff) | Q(heartbeat__isnull=True, updated__lt=cutoff)
    )


def _lost(now: dt.datetime | None = None, **filters) -> list[ImportJob]:
    """Stale jobs, and running jobs whose process on this machine has ended (a restarted worker
    sees its dead predecessor's job at once, without waiting for the heartbeat to age)."""
    fields = ("pk", "status", "heartbeat", "language", "runner")
    jobs = {job.pk: job for job in stale_jobs(now).filter(**filters).only(*fields)}
    for job in (
        ImportJob.objects.filter(status__in=STALE_STATUSES, **filters).exclude(runner="").only(*fields)
    ):
        if job.pk not in jobs and _runner_is_gone(job.runner):
            jobs[job.pk] = job
    return list(jobs.values())


def fail_stale_jobs(now: dt.datetime | None = None, **filters) -> list[int]:
    """Mark the jobs that lost their worker as failed (each only if its heartbeat has not moved
    since it was read, so a worker that comes back is not overruled). Returns their ids."""
    failed = []
    for job in _lost(now, **filters):
        with translation.override(job.language):
            message = (
                _("The worker stopped while this file was being checked; nothing was written. Run it again.")
                if job.status == JobStatus.CHECKING
                else _(
                    "The worker stopped while this file was being imported; nothing was written. Run it again."
                )
            )
        if (
            ImportJob.objects.filter(pk=job.pk, status=job.status, heartbeat=job.heartbeat)
            .update(status=JobStatus.FAILED, error=message, phase="")
        ):  # fmt: skip
            logger.warning("import job %s lost its worker (last heartbeat %s)", job.pk, job.heartbeat)
            failed.append(job.pk)
    return failed


def may_run_again(job: ImportJob) -> bool:
    return job.status == JobStatus.FAILED


def run_again(job: ImportJob) -> None:
    """A failed job: imported again when its check had passed (it re-checks every row), else checked again."""
    if job.preview is not None:
        start_import(job)
    else:
        start_check(job)


def run_check(job: ImportJob) -> ImportJob:
    """The dry run: what would change, and every problem, without writing."""
    _begin(job, JobStatus.CHECKING)
    with translation.override(job.language):
        result = import_file(
            job.file.path,
            user=job.user,
            resource=job.resource or None,
            filename=job.filename,
            dry_run=True,
            keep_valid=job.keep_valid,
            progress=_progress_writer(job.pk),
        )
    job.refresh_from_db()
    job.preview = result.as_dict()
    job.resource = result.resource
    acceptable = result.ok or (job.keep_valid and (result.created or result.updated or result.unchanged))
    job.status = JobStatus.CHECKED if acceptable else JobStatus.REJECTED
    job.done = job.total = result.rows
    job.save()
    return job


def run_import(job: ImportJob) -> ImportJob:
    _begin(job, JobStatus.IMPORTING)
    rejected = Path(settings.MEDIA_ROOT) / "imports" / "rejected" / f"job-{job.pk}-rejected.csv"
    with translation.override(job.language):
        result = import_file(
            job.file.path,
            user=job.user,
            resource=job.resource or None,
            filename=job.filename,
            keep_valid=job.keep_valid,
            rejected_path=rejected,
            progress=_progress_writer(job.pk),
        )
    job.refresh_from_db()
    job.result = result.as_dict()
    job.status = (
        JobStatus.DONE
        if result.written or (result.ok and not (result.created or result.updated))
        else JobStatus.REJECTED
    )
    if result.rejected_file:
        with open(result.rejected_file, "rb") as handle:
            job.rejected_file.save(f"job-{job.pk}-rejected.csv", File(handle), save=False)
        Path(result.rejected_file).unlink(missing_ok=True)
    job.done = job.total = result.rows
    job.save()
    return job


def _guarded(function, job_id: int, *, reraise: bool) -> None:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        function(job)
    except Exception as error:  # the page must say the job failed rather than spin for ever
        logger.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=str(error)[:2000])
        if reraise:
            raise


@task
def check_import_task(job_id: int) -> None:
    _guarded(run_check, job_id, reraise=True)


@task
def apply_import_task(job_id: int) -> None:
    _guarded(run_import, job_id, reraise=True)


def start_check(job: ImportJob) -> None:
    """Check now (small file) or in the background; django-tasks-db enqueues in the transaction."""
    if job.size <= INLINE_MAX_BYTES:
        _guarded(run_check, job.pk, reraise=False)
    else:
        job.status = JobStatus.QUEUED_CHECK
        job.save(update_fields=["status", "updated"])
        check_import_task.enqueue(job.pk)


def start_import(job: ImportJob) -> None:
    if job.size <= INLINE_MAX_BYTES:
        _guarded(run_import, job.pk, reraise=False)
    else:
        job.status = JobStatus.QUEUED_IMPORT
        job.save(update_fields=["status", "updated"])
        apply_import_task.enqueue(job.pk)
