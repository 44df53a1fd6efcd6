"""The task worker's heartbeat: a row per worker process, refreshed from a thread beside the worker
loop, so a long import does not make a busy worker look dead. `/readyz` calls the worker alive when
some row was refreshed within WORKER_HEARTBEAT_MAX_AGE seconds."""

import datetime as dt
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def interval() -> float:
    return float(settings.SHAHRAK.get("WORKER_HEARTBEAT_SECONDS", 10))


def max_age() -> float:
    return float(settings.SHAHRAK.get("WORKER_HEARTBEAT_MAX_AGE", 60))


def beat(worker_id: str, started_at: dt.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": timezone.now(),
        },
    )


def latest_age(now: dt.datetime | None = None) -> float | None:
    """Seconds since the freshest heartbeat of any worker, or None when no worker ever beat."""
    last = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if last is None:
        return None
    return ((now or timezone.now()) - last).total_seconds()


class HeartbeatThread(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name="shahrak-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                beat(self.worker_id, self.started_at)
            except Exception:  # a database hiccup must not kill the worker: /readyz will say so
                logger.exception("worker heartbeat failed")
            self.stopping.wait(interval())
        connection.close()

    def stop(self) -> None:
        """Stop beating and remove this worker's row: a worker that stopped cleanly is gone, not stale."""
        self.stopping.set()
        self.join(timeout=5)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:
            logger.exception("could not remove the worker's heartbeat row")
