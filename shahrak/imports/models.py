"""An import started from the web: the uploaded file, its progress and its outcome.

The row is the progress report of the background job (django.tasks has no progress API): the
worker writes the phase, the rows done and a heartbeat, the page reads them. A checking or
importing job whose heartbeat is older than SHAHRAK["IMPORT_HEARTBEAT_MAX_AGE"] has lost its
worker (`jobs.fail_stale_jobs`).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED_CHECK = "queued_check", _("waiting to be checked")
    CHECKING = "checking", _("checking")
    CHECKED = "checked", _("checked: confirm to import")
    QUEUED_IMPORT = "queued_import", _("waiting to be imported")
    IMPORTING = "importing", _("importing")
    DONE = "done", _("imported")
    REJECTED = "rejected", _("rejected")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="import_jobs", verbose_name=_("user")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    resource = models.CharField(_("record type"), max_length=20, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    keep_valid = models.BooleanField(_("load the valid rows, return the rejected ones"), default=False)
    language = models.CharField(_("language"), max_length=5, default="fa")
    status = models.CharField(_("status"), max_length=15, choices=JobStatus, default=JobStatus.QUEUED_CHECK)
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    preview = models.JSONField(_("preview"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    rejected_file = models.FileField(_("rejected rows"), upload_to="imports/rejected/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    heartbeat = models.DateTimeField(_("last sign of the worker"), null=True, blank=True)
    phase_started = models.DateTimeField(_("phase started"), null=True, blank=True)
    runner = models.CharField(_("run by (host:process)"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def seconds_left(self) -> int | None:
        """The time the phase still needs at the pace so far (None until a pace is known)."""
        if not (self.running and self.phase_started and self.total and 0 < self.done < self.total):
            return None
        spent = (timezone.now() - self.phase_started).total_seconds()
        if spent < 1:
            return None
        return max(1, round(spent / self.done * (self.total - self.done)))

    @property
    def time_left(self) -> dt.timedelta | None:
        seconds = self.seconds_left
        return None if seconds is None else dt.timedelta(seconds=seconds)

    @property
    def running(self) -> bool:
        return self.status in (
            JobStatus.QUEUED_CHECK,
            JobStatus.CHECKING,
            JobStatus.QUEUED_IMPORT,
            JobStatus.IMPORTING,
        )
