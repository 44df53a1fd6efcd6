"""Benchmark: twenty people at once against gunicorn + PostgreSQL (issue 12, item 10).

    python bench/load.py                                   # the scale-1 bench database, 20 users, 2 minutes
    python bench/load.py --db postgres://postgres@127.0.0.1:5432/shahrak --users 20 --duration 120
    python bench/load.py --workers 5 --threads 1
    python bench/load.py --redis redis://127.0.0.1:6379/14   # the workers share one cache (REDIS_URL)

Starts gunicorn on a free loopback port with a production environment (DEBUG off, the figure
cache on), waits for /readyz's database check through /healthz, then runs locust headless
(`bench/locustfile.py`: sign in, then dashboard, list pages, a figure's records, the regional
balance and the API, 1–3 s between clicks) for at most the given duration, stops both, and prints
p50 / p95 / errors / requests per second overall and per kind of request, with the machine's load
before and after. The database must hold the demo with its users:
    DATABASE_URL=... shahrak migrate && shahrak load_reference && shahrak demo --scale 1 --seed 1401 \
        && shahrak ensure_demo_users

Target (issue 12, item 10): p95 ≤ 500 ms with 0 errors. This prints; it does not assert.
Needs the `bench` extra (pip install -e .[bench]: DuckDB and locust).
"""

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url} within {seconds:.0f} s")


def server_environment(db: str, redis: str = "") -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = redis
    env.update(
        DATABASE_URL=db,
        DEBUG="false",
        SECRET_KEY="bench-load-not-secret-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SHAHRAK_DEFAULT_YEAR="1401",
        DJANGO_SETTINGS_MODULE="shahrak.settings",
    )
    return env


SIGN_IN = """
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
keys = []
for user in get_user_model().objects.filter(username__in=["admin", "analyst", "officer", "viewer"]):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(f"{user.username}={session.session_key}")
print(",".join(keys))
"""


def sign_in(env: dict) -> str:
    """Sessions of the four demo users, made as a sign-in makes them.

    People sign in once and then browse; a password check is deliberately slow (PBKDF2, ~0.3 s of
    CPU), so twenty sign-ins at the start would measure the hash, not the pages. The sessions
    are written to the database before the run and each simulated person carries one.
    """
    done = subprocess.run([sys.executable, "-c", SIGN_IN], cwd=ROOT, env=env, capture_output=True, text=True)
    keys = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode or keys.count("=") < 4:
        raise SystemExit(
            f"could not sign the demo users in (shahrak ensure_demo_users?):\n{done.stderr[-2000:]}"
        )
    return keys


def read_stats(prefix: str) -> list[dict]:
    with open(prefix + "_stats.csv", newline="") as f:
        return list(csv.DictReader(f))


def print_table(rows: list[dict], seconds: float) -> dict:
    def ms(row, column):
        value = row.get(column) or "0"
        return "n/a" if value == "N/A" else f"{float(value):,.0f}"

    print(
        f"\n{'request':32} {'count':>7} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    total = None
    for row in rows:
        name = row["Name"]
        if name == "Aggregated":
            total = row
            continue
        print(
            f"{name[:32]:32} {row['Request Count']:>7} {row['Failure Count']:>7} {ms(row, '50%'):>8} "
            f"{ms(row, '95%'):>8} {ms(row, '99%'):>8} {ms(row, 'Max Response Time'):>8}"
        )
    if total is None:
        raise SystemExit("locust wrote no aggregated row")
    count = int(total["Request Count"])
    summary = {
        "requests": count,
        "errors": int(total["Failure Count"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "requests_per_second": float(total["Requests/s"]),
    }
    print(
        f"{'all':32} {count:>7} {summary['errors']:>7} {ms(total, '50%'):>8} {ms(total, '95%'):>8} "
        f"{ms(total, '99%'):>8} {ms(total, 'Max Response Time'):>8}"
    )
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/shahrak_bench_s1")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=120, help="seconds, at most 120")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (2 × cores + 1)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument(
        "--redis", default="", help="REDIS_URL for the workers' shared cache; its database is emptied first"
    )
    args = parser.parse_args()
    duration = min(args.duration, 120)

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = server_environment(args.db, args.redis)
    if args.redis:  # start cold: no figure computed by an earlier run
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    log = open(tempfile.mkstemp(prefix="shahrak-load-", suffix=".log")[1], "w")  # noqa: SIM115 - kept open for gunicorn
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "shahrak.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_up(host + "/healthz")
        sessions = sign_in(env)
        load_before = os.getloadavg()[0]
        prefix = tempfile.mkdtemp(prefix="shahrak-locust-") + "/run"
        print(
            f"gunicorn: {args.workers} workers × {args.threads} threads at {host}; database {args.db}; "
            f"cache {'Redis ' + args.redis if args.redis else 'per process'}\n"
            f"locust: {args.users} users, {args.spawn_rate}/s spawned, {duration} s; load before {load_before:.1f}"
        )
        started = time.monotonic()
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{duration}s",
                "--host",
                host,
                "--csv",
                prefix,
                "--only-summary",
                "--stop-timeout",
                "10",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            check=False,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "SHAHRAK_LOAD_SESSIONS": sessions},
        )
        seconds = time.monotonic() - started
        summary = print_table(read_stats(prefix), seconds)
        print(
            f"\n{summary['requests']:,} requests in {seconds:.0f} s: {summary['requests_per_second']:.1f} per second; "
            f"p50 {summary['p50_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms, {summary['errors']} errors; "
            f"load after {os.getloadavg()[0]:.1f}. Target: p95 ≤ 500 ms, 0 errors."
        )
        failures = Path(prefix + "_failures.csv")
        if summary["errors"] and failures.exists():
            print("\nfailures:\n" + failures.read_text()[:3000])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    print(f"(gunicorn's log: {log.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
