"""REDIS_URL: one cache every process shares — the public form's rate limit counts a client's posts
across processes, figures computed by one process serve the next — and a Redis that stops
answering turns into computing (figures), an open form (rate limit) and a failing /readyz.

Against the machine's real Redis (127.0.0.1:6379, database 15, or REDIS_TEST_URL); skipped when
none answers."""

import os
import socket
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.test import RequestFactory, override_settings
from django.utils import timezone

from shahrak.ops import heartbeat

ROOT = Path(__file__).resolve().parents[3]
REDIS = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
CLOSED = "redis://127.0.0.1:9/0"  # the discard port: nothing answers there


def redis_answers(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not redis_answers(REDIS), reason=f"no Redis answers at {REDIS}")


def caches_at(url: str) -> dict:
    backend = "django.core.cache.backends.redis.RedisCache"
    return {a: {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": f"test:{a}"} for a in ("default", "figures")}


def run_in_a_new_process(code: str, **env) -> str:
    """Run Python code in a fresh interpreter with Shahrak's settings from the environment."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="shahrak.settings", **env)
    script = "import django; django.setup()\n" + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@needs_redis
def test_redis_url_makes_both_caches_redis_and_the_rate_limit_counts_across_processes():
    bucket = f"test-{uuid.uuid4().hex}"
    post_three_times = f"""
        from django.test import RequestFactory
        from django.conf import settings
        from shahrak.web.public import over_limit
        print(settings.CACHES["default"]["BACKEND"], settings.CACHES["figures"]["BACKEND"])
        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
        print(*[over_limit(request, "{bucket}", 5) for _ in range(3)])
    """
    first = run_in_a_new_process(post_three_times, REDIS_URL=REDIS).splitlines()
    second = run_in_a_new_process(post_three_times, REDIS_URL=REDIS).splitlines()
    redis = "django.core.cache.backends.redis.RedisCache"
    assert first[0] == f"{redis} {redis}"
    # Posts 1–3 in one process, 4–6 in the next: the sixth is over the limit of five.
    assert (first[1], second[1]) == ("False False False", "False False True")
    # Without REDIS_URL each process counts alone.
    alone = run_in_a_new_process(post_three_times).splitlines()
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    assert alone == [f"{locmem} {locmem}", "False False False"]


@needs_redis
@pytest.mark.django_db
def test_a_figure_computed_once_is_read_back_from_redis(settings):
    from shahrak.core import versions
    from shahrak.metrics import cache as figure_cache

    settings.FIGURE_CACHE_SECONDS = 60
    versions.data_changed()  # a version, so that figures may be cached
    computed = []

    def compute():
        computed.append(1)
        return {}

    parts = ("test", uuid.uuid4().hex)
    with override_settings(CACHES=caches_at(REDIS)):
        figure_cache.cached(parts, compute)
        figure_cache.cached(parts, compute)
        key = figure_cache.key_for(parts)
        from django.core.cache import caches

        assert caches["figures"].get(key) == {}  # stored in Redis under its version's key
    assert computed == [1]


@pytest.mark.django_db
def test_a_redis_that_does_not_answer_means_computing_an_open_form_and_a_failing_readyz(client, settings):
    from shahrak.core import versions
    from shahrak.metrics import cache as figure_cache
    from shahrak.web.public import over_limit

    settings.FIGURE_CACHE_SECONDS = 60
    versions.data_changed()
    computed = []
    with override_settings(CACHES=caches_at(CLOSED), REDIS_URL=CLOSED):
        for _ in range(2):
            figure_cache.cached(("down",), lambda: computed.append(1) or {})
        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.10")
        assert not any(over_limit(request, "down", 1) for _ in range(3))
        heartbeat.beat("w-cache", timezone.now())
        response = client.get("/readyz")
    assert computed == [1, 1]
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["worker"]["ok"] and checks["database"]["ok"]
    assert checks["cache"]["ok"] is False and "Error" in checks["cache"]["error"]


@needs_redis
@pytest.mark.django_db
def test_readyz_checks_the_shared_cache_when_one_is_configured(client):
    heartbeat.beat("w-cache", timezone.now())
    with override_settings(CACHES=caches_at(REDIS), REDIS_URL=REDIS):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == {"ok": True}
