from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per task worker process, refreshed every few seconds while it runs (`/readyz`
    reads the freshest)."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.worker_id}@{self.hostname}:{self.pid}"


class DemoLoad(models.Model):
    """Written by `shahrak demo` in the transaction that loads the demo rows: this database holds
    invented data, and every page says so until an administrator deletes this row."""

    loaded_at = models.DateTimeField(auto_now_add=True)
    scale = models.FloatField()
    seed = models.IntegerField()

    class Meta:
        verbose_name = _("demo data load")
        verbose_name_plural = _("demo data loads")

    def __str__(self):
        return f"demo scale {self.scale:g} seed {self.seed} ({self.loaded_at:%Y-%m-%d})"
