"""scripts/supervise (what `make run` runs): starts every command, and a signal, or any one of
them exiting, stops them all. With the real web server and task worker, an import too big for the
request (over 256 KB) is checked by the worker."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SUPERVISE = str(ROOT / "scripts" / "supervise")


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_every_command(sig, status):
    process = subprocess.Popen([SUPERVISE, "sleep 60", "sleep 61"], stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: len(children(process.pid)) == 2, 10)
    started = children(process.pid)
    assert all(running(pid) for pid in started)
    process.send_signal(sig)
    assert process.wait(15) == status
    assert not any(running(pid) for pid in started)


def test_one_command_exiting_stops_the_others_and_gives_its_status():
    process = subprocess.Popen(
        [SUPERVISE, "sleep 60", "sleep 0.5; exit 3"], stderr=subprocess.PIPE, text=True
    )
    assert wait_for(lambda: len(children(process.pid)) == 2, 10)
    started = children(process.pid)
    assert process.wait(15) == 3
    assert not any(running(pid) for pid in started)
    assert "a command exited with status 3; stopping the others" in process.stderr.read()


def test_a_stopped_command_that_ignores_term_is_killed():
    stubborn = "trap '' TERM; while :; do sleep 0.1; done"
    process = subprocess.Popen([SUPERVISE, stubborn, "sleep 0.3; exit 1"], stderr=subprocess.PIPE)
    assert wait_for(lambda: len(children(process.pid)) == 2, 10)
    started = children(process.pid)
    assert process.wait(30) == 1
    assert not any(running(pid) for pid in started)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_web_and_worker_run_together_and_a_big_import_finishes(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="shahrak.settings", DEBUG="true",
        SHAHRAK_VAR_DIR=str(tmp_path), LOG_LEVEL="WARNING",
    )  # fmt: skip
    shahrak = f"{sys.executable} -m shahrak.manage"
    subprocess.run([*shahrak.split(), "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)
    port = free_port()
    process = subprocess.Popen(
        [SUPERVISE, f"{shahrak} runserver --noreload 127.0.0.1:{port}", f"{shahrak} db_worker --interval 0.2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:

        def ready():
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2).status == 200
            except OSError:
                return False

        assert wait_for(ready, 120), "web server and worker did not both come up"  # a loaded CI machine
        # A 300 KB file: the web import sends it to the worker (over INLINE_MAX_BYTES, 256 KB).
        enqueue = (
            "from django.core.files.base import ContentFile\n"
            "from shahrak.accounts.models import User\n"
            "from shahrak.imports import jobs\n"
            "from shahrak.imports.models import ImportJob\n"
            "user = User.objects.create_superuser('boss', password='x')\n"
            "data = ('national_id,name,estate,isic,employees\\n' + 'x,y,z,1,1\\n' * 31000).encode()\n"
            "job = ImportJob(user=user, filename='big.csv', size=len(data), resource='units')\n"
            "job.file.save('big.csv', ContentFile(data), save=False)\n"
            "job.save()\n"
            "jobs.start_check(job)\n"
            "print(ImportJob.objects.get().status, len(data))\n"
        )
        queued = subprocess.run([*shahrak.split(), "shell", "--no-imports", "-c", enqueue], env=env,
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        status, size = queued.stdout.split()
        assert (status, int(size) > 256 * 1024) == ("queued_check", True), queued.stderr

        def checked():
            out = subprocess.run(
                [*shahrak.split(), "shell", "--no-imports", "-c",
                 "from shahrak.imports.models import ImportJob; print(ImportJob.objects.get().status)"],
                env=env, capture_output=True, text=True, timeout=60,
            ).stdout.strip()  # fmt: skip
            return out not in {"queued_check", "checking"}

        assert wait_for(checked, 120), "the worker did not check the queued import"
        started = children(process.pid)
        assert len(started) == 2
    finally:
        process.send_signal(signal.SIGINT)
        returned = process.wait(30)
    assert returned == 130
    assert not any(running(pid) for pid in started)
    assert not ready()
