"""The figure cache: a figure asked again with no write since comes back without a query.

Keyed on the data version (shahrak/core/versions.py), which every write advances in its own
transaction, and on everything else a figure depends on: its name, period, scope, filters and
options, the language of its words, and today (periods reaching today change as the day turns).
So an entry is never stale: a write makes a new version, and the old entries are not asked again
(they expire). A cached result has no query set of its records; asking for them computes the
figure afresh, as drill-down pages do anyway.

FIGURE_CACHE_SECONDS (default an hour; 0 turns the cache off) and the `figures` cache alias set
where entries live (settings.py: each process's memory, or a Redis all processes share when
REDIS_URL is set; a Redis that does not answer means computing, as with no cache).
"""

import dataclasses
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone, translation

from shahrak.core import versions

from .base import MetricResult

CACHE_ALIAS = "figures"
log = logging.getLogger(__name__)


def key_for(parts: tuple) -> str | None:
    """The cache key, or None while no write has made a version (a new or flushed database, where
    writes that predate the version cannot be told apart)."""
    number, token = versions.current()
    if not token:
        return None
    today = timezone.localdate()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"figures:{number}:{token}:{translation.get_language()}:{today.isoformat()}:{digest}"


def _storable(result: MetricResult) -> MetricResult:
    return dataclasses.replace(result, records_query=None)


def _with_records(cached: dict[str, MetricResult], compute: Callable[[], dict]) -> dict[str, MetricResult]:
    """Copies that find their records by computing afresh (a query set cannot be cached)."""
    fresh: dict = {}

    def records_of(name):
        if not fresh:
            fresh.update(compute())
        return fresh[name].records()

    return {
        name: dataclasses.replace(result, records_query=lambda name=name: records_of(name))
        for name, result in cached.items()
    }


def cached(parts: tuple, compute: Callable[[], dict[str, MetricResult]]) -> dict[str, MetricResult]:
    """compute() → {name: result}, from the cache when the same figures were made at this version."""
    seconds = settings.FIGURE_CACHE_SECONDS
    if not seconds:
        return compute()
    cache = caches[CACHE_ALIAS]
    key = key_for(parts)
    if key is None:
        return compute()
    try:
        stored = cache.get(key)
    except Exception:  # a shared cache (Redis) that does not answer: compute, as with no cache
        log.warning("figure cache unreachable; computing", exc_info=True)
        return compute()
    if stored is not None:
        return _with_records(stored, compute)
    results = compute()
    try:
        cache.set(key, {name: _storable(result) for name, result in results.items()}, seconds)
    except Exception:
        log.warning("figure cache unreachable; result not kept", exc_info=True)
    return results
