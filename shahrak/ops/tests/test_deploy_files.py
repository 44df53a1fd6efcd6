"""deploy/: the systemd units run what the project ships (gunicorn on shahrak.wsgi, shahrak
db_worker), and the example environment passes `check --deploy` except for the OC4IDS publisher,
which only the organization can fill in."""

import configparser
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(DEPLOY / name)
    return parser


def example_environment(tmp_path) -> dict:
    values = {}
    for line in (DEPLOY / "shahrak.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    key = tmp_path / "secret_key"
    key.write_text("q7Yt2-Zx8-Lm2_Rt5Vb7Nc4Kj9Hg3Fd6Sa1Pw0Oe-Uu4Ii3Tt2Rr1")
    values.update(SECRET_KEY_FILE=str(key), SHAHRAK_VAR_DIR=str(tmp_path / "var"))
    del values["DATABASE_URL"]  # the check needs no database; the test machine's SQLite stands in
    return values


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="shahrak.settings", **extra)
    return env


def test_the_units_run_gunicorn_and_the_worker_with_the_environment_file():
    web, worker = unit("shahrak-web.service"), unit("shahrak-worker.service")
    for service in (web, worker):
        assert service["Service"]["EnvironmentFile"] == "/etc/shahrak/shahrak.env"
    web_command = shlex.split(web["Service"]["ExecStart"])
    assert web_command[:2] == ["/opt/shahrak/.venv/bin/gunicorn", "shahrak.wsgi:application"]
    assert shlex.split(worker["Service"]["ExecStart"])[:2] == ["/opt/shahrak/.venv/bin/shahrak", "db_worker"]
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in (DEPLOY / "nginx.conf").read_text()


def test_the_example_environment_passes_check_deploy_but_for_the_oc4ids_publisher(tmp_path):
    env = clean_env(**example_environment(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "shahrak.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    found = sorted(
        {w.strip("():") for w in result.stderr.split() if w.startswith(("(security.", "(shahrak."))}
    )
    assert found == ["shahrak.E001", "shahrak.E002"]
    filled = clean_env(
        **example_environment(tmp_path),
        OC4IDS_PREFIX="oc4ids-ab12cd-",
        OC4IDS_PUBLISHER_URI="https://isipo.ir",
    )
    result = subprocess.run(
        [sys.executable, "-m", "shahrak.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=filled, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_gunicorn_serves_the_app_with_the_units_options(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = shlex.split(unit("shahrak-web.service")["Service"]["ExecStart"])
    command[0] = str(VENV_BIN / "gunicorn")
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "2"
    env = clean_env(DEBUG="true", SHAHRAK_VAR_DIR=str(tmp_path))
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        body = None
        deadline = time.monotonic() + 60
        while body is None and time.monotonic() < deadline:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            except OSError:
                time.sleep(0.2)
        assert body == b'{"status": "ok"}'
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(40)
    log = process.stderr.read()
    assert '"path": "/healthz", "status": 200' in log  # the JSON request line, on stderr for the journal
