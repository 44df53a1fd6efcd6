"""Web imports as jobs: check (a dry run that makes the preview), then, once confirmed, import.

Small files run in the request; larger ones go to the background worker (`shahrak db_worker`)
through django.tasks, and the page follows the job row's progress. The import itself re-checks
every row: the records may have changed between the preview and the confirmation.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.tasks import task
from django.utils import translation

from .importer import import_file
from .models import ImportJob, JobStatus

logger = logging.getLogger(__name__)
# Files up to this size are checked and imported while the user waits.
INLINE_MAX_BYTES = getattr(settings, "SHAHRAK_IMPORT_INLINE_MAX_BYTES", 256 * 1024)


def _progress_writer(job_id: int):
    last = [0.0]

    def report(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and done < total:
            return
        last[0] = now
        ImportJob.objects.filter(pk=job_id).update(phase=phase, done=done, total=total)

    return report


def run_check(job: ImportJob) -> ImportJob:
    """The dry run: what would change, and every problem, without writing."""
    job.status, job.phase = JobStatus.CHECKING, "check"
    job.save(update_fields=["status", "phase", "updated"])
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
    job.status, job.phase = JobStatus.IMPORTING, "check"
    job.save(update_fields=["status", "phase", "updated"])
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
