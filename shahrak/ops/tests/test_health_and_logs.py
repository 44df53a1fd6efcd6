"""/healthz, /readyz, the worker heartbeat, and the JSON log lines of requests and tasks."""

import datetime as dt
import json
import logging
import os
import time

import pytest
from django.db import connection
from django.tasks import task
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shahrak.ops import heartbeat
from shahrak.ops.logs import JsonFormatter
from shahrak.ops.models import WorkerHeartbeat


class Lines(logging.Handler):
    """The JSON lines one logger writes (the shahrak.* loggers do not propagate to pytest's caplog)."""

    def __init__(self, name):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.logger = logging.getLogger(name)
        self.lines = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))

    def __enter__(self):
        self.logger.addHandler(self)
        return self.lines

    def __exit__(self, *exc):
        self.logger.removeHandler(self)


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0


@pytest.mark.django_db
def test_readyz_wants_a_fresh_worker_heartbeat(client, settings):
    settings.SHAHRAK = {**settings.SHAHRAK, "WORKER_HEARTBEAT_MAX_AGE": 60}
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"] == {"ok": True, "pending": []}
    assert body["checks"]["worker"]["ok"] is False

    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, started_at=now, beat_at=now - dt.timedelta(seconds=61)
    )
    assert client.get("/readyz").status_code == 503  # 61 s old: stale

    heartbeat.beat("w1", now)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["worker"]["ok"] is True


@pytest.mark.django_db
def test_readyz_reports_pending_migrations(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    heartbeat.beat("w1", timezone.now())
    real_plan = MigrationExecutor.migration_plan

    def plan_with_ops_unapplied(self, targets, clean_start=False):
        # As if ops.0001 had not been applied yet: the plan towards the leaves contains it.
        migration = self.loader.graph.nodes[("ops", "0001_initial")]
        return [*real_plan(self, targets, clean_start), (migration, False)]

    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan_with_ops_unapplied)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "pending": ["ops.0001_initial"]}


@pytest.mark.django_db(transaction=True)
def test_heartbeat_thread_beats_while_the_worker_runs_then_removes_its_row(settings):
    settings.SHAHRAK = {**settings.SHAHRAK, "WORKER_HEARTBEAT_SECONDS": 0.05}
    thread = heartbeat.HeartbeatThread("worker-a")
    thread.start()
    beats = []
    deadline = time.monotonic() + 10
    while len(set(beats)) < 2 and time.monotonic() < deadline:
        row = WorkerHeartbeat.objects.filter(worker_id="worker-a").first()
        if row:
            beats.append(row.beat_at)
        time.sleep(0.02)
    thread.stop()
    assert len(set(beats)) >= 2  # refreshed, not written once
    assert row.pid == os.getpid()
    assert not WorkerHeartbeat.objects.filter(worker_id="worker-a").exists()


@pytest.mark.django_db
def test_one_json_line_per_request_with_user_path_status_duration_and_queries(client, admin_user):
    client.force_login(admin_user)
    with Lines("shahrak.requests") as lines, CaptureQueriesContext(connection) as queries:
        response = client.get("/estates/?q=x")
    assert response.status_code == 200
    assert len(lines) == 1
    line = lines[0]
    assert set(line) == {
        "ts",
        "level",
        "logger",
        "event",
        "method",
        "path",
        "status",
        "user",
        "duration_ms",
        "queries",
    }
    assert (line["logger"], line["event"], line["level"]) == ("shahrak.requests", "request", "INFO")
    assert (line["method"], line["path"], line["status"], line["user"]) == ("GET", "/estates/", 200, "admin")
    assert line["queries"] == len(queries)
    assert line["queries"] > 0
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0


@pytest.mark.django_db
def test_anonymous_and_refused_requests_are_logged_too(client):
    with Lines("shahrak.requests") as lines:
        client.get("/healthz")
        client.get("/no-such-page/")
    assert [(line["path"], line["status"], line["user"], line["queries"]) for line in lines] == [
        ("/healthz", 200, None, 0),
        ("/no-such-page/", 404, None, lines[1]["queries"]),
    ]


@task
def count_estates() -> int:
    from shahrak.estates.models import Estate

    return Estate.objects.count() + Estate.objects.filter(kind="park").count()


@task
def fail_loudly() -> None:
    raise ValueError("no")


@pytest.mark.django_db
def test_one_json_line_per_task_with_name_status_duration_and_queries(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with Lines("shahrak.tasks") as lines:
        count_estates.enqueue()
        fail_loudly.enqueue()
    assert len(lines) == 2
    ok, failed = lines
    assert set(ok) == {
        "ts",
        "level",
        "logger",
        "event",
        "task",
        "task_id",
        "status",
        "duration_ms",
        "queries",
    }
    assert (ok["event"], ok["task"], ok["status"], ok["queries"], ok["level"]) == (
        "task", "shahrak.ops.tests.test_health_and_logs.count_estates", "SUCCESSFUL", 2, "INFO",
    )  # fmt: skip
    assert ok["duration_ms"] >= 0
    assert (failed["task"], failed["status"], failed["queries"], failed["level"]) == (
        "shahrak.ops.tests.test_health_and_logs.fail_loudly", "FAILED", 0, "ERROR",
    )  # fmt: skip


def test_logging_routes_requests_and_tasks_through_the_json_formatter():
    for name in ("shahrak.requests", "shahrak.tasks"):
        logger = logging.getLogger(name)
        assert logger.level == logging.INFO
        assert not logger.propagate
        assert JsonFormatter in [type(handler.formatter) for handler in logger.handlers]
