"""One JSON log line per background task (name, id, status, duration, queries), from the task
signals that django.tasks sends around every task the worker runs."""

import logging
import threading

from django.dispatch import receiver
from django.tasks.signals import task_finished, task_started

from .logs import QueryCounter

logger = logging.getLogger("shahrak.tasks")
_running = threading.local()


@receiver(task_started)
def count_task_queries(sender, task_result, **kwargs):
    counters = getattr(_running, "counters", None)
    if counters is None:
        counters = _running.counters = {}
    counters[task_result.id] = QueryCounter().install()


@receiver(task_finished)
def log_task(sender, task_result, **kwargs):
    counter = getattr(_running, "counters", {}).pop(task_result.id, None)
    queries = counter.remove() if counter else None
    duration_ms = None
    if task_result.started_at and task_result.finished_at:
        duration_ms = round((task_result.finished_at - task_result.started_at).total_seconds() * 1000, 1)
    status = str(task_result.status.value if hasattr(task_result.status, "value") else task_result.status)
    logger.log(
        logging.ERROR if status == "FAILED" else logging.INFO,
        "task",
        extra={
            "fields": {
                "task": task_result.task.module_path,
                "task_id": str(task_result.id),
                "status": status,
                "duration_ms": duration_ms,
                "queries": queries,
            }
        },
    )
