"""`shahrak backup` / `shahrak restore`: a backup restored into an empty database is the same,
table by table (row counts and checksums over rows in key order), on SQLite and PostgreSQL; a
restore that does not match its manifest fails loudly."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from shahrak.estates.models import Estate
from shahrak.ops.backup import current_manifest, read_manifest
from shahrak.projects.models import Disbursement
from shahrak.units.models import ProductionUnit
from tests.factories import make_disbursement, make_estate, make_project, make_unit

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def reference_data_back(django_db_blocker):
    """Transactional tests empty every table when they end; later tests expect the reference data."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def records():
    call_command("load_reference", verbosity=0)  # the previous transactional test emptied the tables
    estate = make_estate(name_fa="شهرک «فاز ۲»\tآزمون‌گر")
    make_estate(county="0303")
    make_unit(estate, name="کارگاه \\ تست\nدوخطی")
    project = make_project(estate)
    make_disbursement(project, dt.date(2022, 5, 1), 4 * 10**13)
    make_disbursement(project, dt.date(2022, 6, 1), 1)


@pytest.fixture
def target(tmp_path):
    """An empty database for the restore, and the environment that points `shahrak` at it."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="shahrak.settings", DEBUG="true",
               SHAHRAK_VAR_DIR=str(tmp_path / "var"))  # fmt: skip
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        name = f"{s['NAME']}_restore"
        admin = psycopg.connect(
            host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], dbname="postgres", autocommit=True
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{name}"
        yield env
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    else:
        yield env  # SQLite: var/shahrak.sqlite3 does not exist yet


def shahrak(env, *args):
    return subprocess.run([sys.executable, "-m", "shahrak.manage", *args], env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip


def restored_manifest(env) -> dict:
    code = (
        "import json; from shahrak.ops.backup import current_manifest; print(json.dumps(current_manifest()))"
    )
    result = shahrak(env, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_backup_then_restore_into_an_empty_database_gives_the_same_tables(records, target, tmp_path):
    file = tmp_path / "shahrak.backup"
    out = io.StringIO()
    call_command("backup", str(file), stdout=out)
    manifest = read_manifest(file)
    assert manifest["engine"] == connection.vendor
    tables = manifest["tables"]
    # The manifest counts what the database holds (counted here by the ORM).
    assert tables["estates_estate"]["rows"] == Estate.objects.count() == 2
    assert tables["units_productionunit"]["rows"] == ProductionUnit.objects.count() == 1
    assert tables["projects_disbursement"]["rows"] == Disbursement.objects.count() == 2
    assert tables["regions_province"]["rows"] == 31
    assert "django_migrations" in tables and "ops_workerheartbeat" in tables
    if connection.vendor == "postgresql":
        assert current_manifest() == tables  # from the very snapshot that was dumped

    result = shahrak(target, "restore", str(file))
    assert result.returncode == 0, result.stderr
    assert "restored and checked" in result.stdout
    assert restored_manifest(target) == tables
    names = shahrak(target, "shell", "--no-imports", "-c",
                    "import json; from shahrak.estates.models import Estate; "
                    "print(json.dumps(sorted(Estate.objects.values_list('name_fa', flat=True))))")  # fmt: skip
    assert json.loads(names.stdout) == sorted(Estate.objects.values_list("name_fa", flat=True))
    assert "شهرک «فاز ۲»\tآزمون\u200cگر" in json.loads(names.stdout)

    # The restored database is not empty any more: a second restore is refused unless --replace.
    again = shahrak(target, "restore", str(file))
    assert again.returncode == 1 and "the database is not empty" in again.stderr
    replaced = shahrak(target, "restore", "--replace", str(file))
    assert replaced.returncode == 0, replaced.stderr
    assert restored_manifest(target) == tables


def tampered(file: Path, out: Path, change) -> Path:
    with tarfile.open(file) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        change(manifest)
        dump_name = manifest["file"]
        dump = archive.extractfile(dump_name).read()
    with tarfile.open(out, "w") as archive:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), (dump_name, dump)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out


def test_a_restore_that_does_not_match_the_manifest_fails_loudly(records, target, tmp_path):
    file = tmp_path / "shahrak.backup"
    call_command("backup", str(file), stdout=io.StringIO())

    def more_estates(manifest):
        manifest["tables"]["estates_estate"]["rows"] = 3

    def other_payment(manifest):
        manifest["tables"]["projects_disbursement"]["sha256"] = "0" * 64

    bad = shahrak(target, "restore", str(tampered(file, tmp_path / "a.backup", more_estates)))
    assert bad.returncode == 1
    assert "does not match the backup's manifest" in bad.stderr
    assert "estates_estate: 3 rows in the backup, 2 restored" in bad.stderr

    wrong = shahrak(target, "restore", "--replace", str(tampered(file, tmp_path / "b.backup", other_payment)))
    assert wrong.returncode == 1
    assert "projects_disbursement: same 2 rows, different contents (checksum)" in wrong.stderr


def test_a_damaged_dump_is_refused_before_anything_is_restored(records, tmp_path):
    file = tmp_path / "shahrak.backup"
    call_command("backup", str(file), stdout=io.StringIO())

    def damage(manifest):
        manifest["file_sha256"] = "f" * 64

    with pytest.raises(CommandError, match="is damaged"):
        call_command("restore", str(tampered(file, tmp_path / "c.backup", damage)), replace=True)
    assert Estate.objects.count() == 2


def test_restore_refuses_a_database_that_is_not_empty(records, tmp_path):
    file = tmp_path / "shahrak.backup"
    call_command("backup", str(file), stdout=io.StringIO())
    with pytest.raises(CommandError, match="the database is not empty"):
        call_command("restore", str(file))
