"""What `/readyz` checks: the database answers, every migration is applied, a worker beats, and
the shared cache answers when one is configured (REDIS_URL)."""

import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from . import heartbeat


def database() -> dict:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    return {"ok": True}


def migrations() -> dict:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    return {"ok": not pending, "pending": [f"{m.app_label}.{m.name}" for m, _ in pending]}


def worker() -> dict:
    try:
        age = heartbeat.latest_age()
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    limit = heartbeat.max_age()
    if age is None:
        return {"ok": False, "error": "no task worker has ever beaten (is `shahrak db_worker` running?)"}
    return {"ok": age <= limit, "last_beat_seconds_ago": round(age, 1), "max_age_seconds": limit}


def shared_cache() -> dict:
    """A value written to the shared cache reads back (the rate limit and figures depend on it)."""
    key, value = "readyz", secrets.token_hex(8)
    try:
        cache = caches["default"]
        cache.set(key, value, 30)
        ok = cache.get(key) == value
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    return {"ok": ok} if ok else {"ok": False, "error": "a value written to the cache did not read back"}


def readiness() -> dict:
    checks = {"database": database()}
    expected = 3
    if checks["database"]["ok"]:
        checks["migrations"] = migrations()
        checks["worker"] = worker()
    if getattr(settings, "REDIS_URL", ""):
        checks["cache"] = shared_cache()
        expected += 1
    ok = all(check["ok"] for check in checks.values()) and len(checks) == expected
    return {"status": "ok" if ok else "unavailable", "checks": checks}
