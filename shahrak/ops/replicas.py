"""Read replicas (DATABASE_REPLICA_URLS): reads of a plain page view go to a replica, every write and
every read of a user who just wrote go to the primary.

ReadAfterWriteMiddleware lets a request read from a replica only when it is a safe request (GET,
HEAD, OPTIONS) and its user has not written in the last PRIMARY_PIN_SECONDS (a cookie set by every
unsafe request). Everything outside such a request (the task worker, commands, a write request,
any transaction) reads from the primary: a replica serves only what may be a little behind.
"""

import contextvars
import random
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

COOKIE = "shahrak_primary_until"
SAFE = {"GET", "HEAD", "OPTIONS"}
_replica_reads = contextvars.ContextVar("shahrak_replica_reads", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def pin_seconds() -> int:
    return int(settings.SHAHRAK.get("PRIMARY_PIN_SECONDS", 10))


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _replica_reads.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return random.choice(replica_aliases())  # noqa: S311 (load spreading, not security)

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


class ReadAfterWriteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        try:
            pinned_until = float(request.COOKIES.get(COOKIE, 0))
        except ValueError:
            pinned_until = 0
        writes = request.method not in SAFE
        token = _replica_reads.set(not writes and pinned_until <= time.time())
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if writes:
            # This user reads from the primary until the replicas have surely caught up.
            response.set_cookie(
                COOKIE, f"{time.time() + pin_seconds():.3f}", max_age=pin_seconds(), httponly=True,
                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
            )  # fmt: skip
        return response
