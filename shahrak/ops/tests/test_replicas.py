"""Read replicas against a real streaming replica: the set-up makes a PostgreSQL primary of its own
(initdb, a spare port) and a replica of it with pg_basebackup on a second port. With the replica's
replay paused (so it is surely behind), a plain page view reads the replica and does not see a new
row yet; the user who just wrote reads the primary and sees it; once replay resumes, everyone does."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(PG_BIN is None, reason="PostgreSQL server binaries not installed"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(args, **kwargs):
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        prefix + [str(a) for a in args], check=True, capture_output=True, text=True, **kwargs
    )


def psql(port, sql, db="postgres"):
    return as_postgres(
        [PG_BIN / "psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", db, "-Atc", sql]
    ).stdout.strip()


@pytest.fixture(scope="module")
def cluster():
    # Not under pytest's temporary folder: that is private to root, and the server runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="shahrak-replica-"))
    os.chmod(base, 0o777)
    primary, replica = base / "primary", base / "replica"
    p1, p2 = free_port(), free_port()
    as_postgres([PG_BIN / "initdb", "-D", primary, "--auth=trust", "-U", "postgres"])
    options = f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={base} -c fsync=off"
    as_postgres(
        [
            PG_BIN / "pg_ctl",
            "-D",
            primary,
            "-o",
            f"-p {p1} {options}",
            "-w",
            "-l",
            base / "primary.log",
            "start",
        ]
    )
    try:
        as_postgres(
            [
                PG_BIN / "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                p1,
                "-U",
                "postgres",
                "-D",
                replica,
                "-R",
                "-X",
                "stream",
            ]
        )
        as_postgres(
            [
                PG_BIN / "pg_ctl",
                "-D",
                replica,
                "-o",
                f"-p {p2} {options}",
                "-w",
                "-l",
                base / "replica.log",
                "start",
            ]
        )
        try:
            assert psql(p2, "SELECT pg_is_in_recovery()") == "t"
            psql(p1, "CREATE DATABASE shahrak")
            yield {"primary": p1, "replica": p2}
        finally:
            as_postgres([PG_BIN / "pg_ctl", "-D", replica, "-m", "immediate", "stop"])
    finally:
        as_postgres([PG_BIN / "pg_ctl", "-D", primary, "-m", "immediate", "stop"])
        shutil.rmtree(base, ignore_errors=True)


SCRIPT = r"""
import json, time
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from shahrak.accounts.models import Role, User
from tests.factories import make_estate

def caught_up():
    lsn = connections["default"].cursor()
    lsn.execute("SELECT pg_current_wal_lsn()")
    target = lsn.fetchone()[0]
    for _ in range(200):
        with connections["replica1"].cursor() as c:
            c.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if c.fetchone()[0]:
                return
        time.sleep(0.05)
    raise SystemExit("replica did not catch up")

def replay(paused):
    with connections["replica1"].cursor() as c:
        c.execute("SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()")

def visit(client, path):
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica1"]) as replica:
        body = client.get(path).content.decode()
    return {"primary": len(primary), "replica": len(replica), "body": body}

writer_user = User.objects.create_user("writer", password="x", role=Role.ADMINISTRATOR, language="en")
reader_user = User.objects.create_user("reader", password="x", role=Role.ADMINISTRATOR, language="en")
writer, reader = Client(), Client()
writer.force_login(writer_user); reader.force_login(reader_user)
caught_up()
out = {"before": visit(reader, "/estates/")}
replay(paused=True)
# A write by the writer (a web POST: the language switch), then a new estate on the primary.
writer.post("/language/", {"language": "en", "next": "/estates/"})
make_estate(code="RPL-1", name_fa="شهرک تازه")
out["reader_stale"] = visit(reader, "/estates/")
out["writer_pinned"] = visit(writer, "/estates/")
replay(paused=False)
caught_up()
out["reader_after"] = visit(reader, "/estates/")
for k, v in out.items():
    v["sees_new"] = "RPL-1" in v.pop("body")
print(json.dumps(out))
"""


def test_reads_go_to_the_replica_and_a_writer_reads_the_primary(cluster, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URLS"}}
    env.update(
        PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="shahrak.settings", DEBUG="true", SHAHRAK_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{cluster['primary']}/shahrak",
        DATABASE_REPLICA_URLS=f"postgres://postgres@127.0.0.1:{cluster['replica']}/shahrak",
    )  # fmt: skip
    shahrak = [sys.executable, "-m", "shahrak.manage"]
    subprocess.run([*shahrak, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([*shahrak, "load_reference", "-v0"], env=env, check=True, timeout=300)
    result = subprocess.run([*shahrak, "shell", "--no-imports", "-c", SCRIPT], env=env, capture_output=True,
                            text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    import json

    out = json.loads(result.stdout.strip().splitlines()[-1])
    # A plain page view reads only from the replica.
    assert out["before"]["primary"] == 0 and out["before"]["replica"] > 0
    # Replay paused: the replica is behind, and the reader's page does not show the new estate yet.
    assert out["reader_stale"]["primary"] == 0 and out["reader_stale"]["sees_new"] is False
    # The user who just wrote reads from the primary and sees it at once.
    assert out["writer_pinned"]["replica"] == 0 and out["writer_pinned"]["sees_new"] is True
    # After replication, the replica shows it to everyone.
    assert out["reader_after"]["primary"] == 0 and out["reader_after"]["sees_new"] is True
