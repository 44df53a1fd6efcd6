"""`shahrak import`, `shahrak template`: what a person at the console sees."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from shahrak.imports.resources import IMPORTABLE
from shahrak.units.models import ProductionUnit
from tests.factories import national_id

from .helpers import write_csv
from .sample import build_world, snapshot

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_dry_run_then_import_then_again(tmp_path, admin_user):
    build_world()
    rows = [["national_id", "name", "county", "isic", "employees"]]
    rows += [[national_id(5000 + i), f"واحد {i}", "2301", "1079", str(i + 1)] for i in range(6_000)]
    path = write_csv(tmp_path / "units.csv", rows)
    before = snapshot()
    out, err = run("import", str(path), "--dry-run", "--lang", "en")
    assert out == "Dry run, nothing written. 6000 rows: 6000 new, 0 changed, 0 unchanged, 0 rejected.\n"
    assert "checking: 5,000/6,000 (83%)" in err  # progress on long files
    assert snapshot() == before
    out, err = run("import", str(path), "--lang", "en", "--user", "admin")
    assert out == "Imported. 6000 rows: 6000 new, 0 changed, 0 unchanged, 0 rejected.\n"
    assert ProductionUnit.objects.count() == 3 + 6_000
    out, err = run("import", str(path), "--lang", "en")
    assert out == "Nothing to change. 6000 rows: 0 new, 0 changed, 6000 unchanged, 0 rejected.\n"


def test_import_errors_stop_the_command(tmp_path, admin_user):
    build_world()
    path = write_csv(
        tmp_path / "units.csv",
        [["national_id", "name", "county", "isic", "employees"], ["1", "x", "2301", "1079", "2"]],
    )
    with pytest.raises(CommandError, match="^1 problems; nothing was written.$"):
        run("import", str(path), "--lang", "en")
    with pytest.raises(CommandError, match="no such file"):
        run("import", str(tmp_path / "missing.csv"))


def test_keep_valid_from_the_console(tmp_path, admin_user):
    build_world()
    good, bad = national_id(5101), "1"
    path = write_csv(
        tmp_path / "units.csv",
        [
            ["national_id", "name", "county", "isic", "employees"],
            [good, "x", "2301", "1079", "2"],
            [bad, "y", "2301", "1079", "2"],
        ],
    )
    out, err = run("import", str(path), "--keep-valid", "--lang", "en")
    assert out.splitlines() == [
        "Imported. 2 rows: 1 new, 0 changed, 0 unchanged, 1 rejected.",
        f"Rejected rows and their errors: {path}.rejected.csv",
    ]
    assert (
        err.splitlines()[-1]
        == "units.csv, row 3, column A (national_id): «1» is not a national ID: it must have exactly 11 digits."
    )
    assert (
        (tmp_path / "units.csv.rejected.csv")
        .read_text(encoding="utf-8-sig")
        .splitlines()[1]
        .startswith("1,y,2301")
    )


def test_every_template_in_both_languages(tmp_path):
    run("template", "--all", "--dir", str(tmp_path))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{slug}-template-{lang}.xlsx" for slug in IMPORTABLE for lang in ("fa", "en"))
    sheet = (
        CalamineWorkbook.from_path(str(tmp_path / "units-template-en.xlsx")).get_sheet_by_index(0).to_python()
    )
    assert sheet == [
        [
            "National ID",
            "Name",
            "Estate code",
            "County code",
            "ISIC class",
            "Knowledge-based since",
            "Employees",
        ]
    ]


def test_a_superuser_acts_without_user(tmp_path):
    """docs/roles.md: a superuser made with `createsuperuser` is an administrator to the console."""
    from shahrak.accounts.models import User

    build_world()
    User.objects.create_superuser("root", "root@example.org", "pw-for-tests")
    path = write_csv(
        tmp_path / "units.csv",
        [
            ["national_id", "name", "county", "isic", "employees"],
            [national_id(5201), "واحد", "2301", "1079", "2"],
        ],
    )
    out, _err = run("import", str(path), "--lang", "en")
    assert out == "Imported. 1 rows: 1 new, 0 changed, 0 unchanged, 0 rejected.\n"
    unit = ProductionUnit.objects.get(national_id=national_id(5201))
    assert unit.history.latest().history_user.username == "root"


def test_import_targets_by_year_from_the_console(tmp_path, admin_user):
    from shahrak.targets.models import Target

    build_world()
    path = write_csv(
        tmp_path / "t.csv", [["metric", "year", "province", "value"], ["units_revived", "1402", "IR-23", "5"]]
    )
    out, _err = run("import", str(path), "--type", "targets", "--lang", "en")
    assert out == "Imported. 1 rows: 1 new, 0 changed, 0 unchanged, 0 rejected.\n"
    assert Target.objects.filter(year=1402, province__iso_code="IR-23", value=5).exists()


def test_the_output_file_name_decides_the_format(tmp_path):
    """`shahrak template targets --output t.csv` writes CSV, `t.xlsx` XLSX; another name is refused."""
    run("template", "targets", "--output", str(tmp_path / "t.csv"), "--lang", "en")
    text = (tmp_path / "t.csv").read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == "Metric,Iranian year,From,To,Province code,Target value,Note"
    run("template", "targets", "--output", str(tmp_path / "t.xlsx"), "--lang", "en")
    assert (tmp_path / "t.xlsx").read_bytes()[:2] == b"PK"
    assert (
        CalamineWorkbook.from_path(str(tmp_path / "t.xlsx")).get_sheet_by_index(0).to_python()[0][0]
        == "Metric"
    )
    with pytest.raises(
        CommandError,
        match=r"^Cannot tell the format of «.*t\.txt» from its name: end it with \.csv, \.xlsx\.$",
    ):
        run("template", "targets", "--output", str(tmp_path / "t.txt"), "--lang", "en")
    with pytest.raises(
        CommandError, match=r"^--format xlsx does not match «.*t\.csv»: the file's extension says csv\.$"
    ):
        run("template", "targets", "--format", "xlsx", "--output", str(tmp_path / "t.csv"), "--lang", "en")
    assert not (tmp_path / "t.txt").exists()


def test_export_follows_the_output_file_name(tmp_path):
    build_world()
    run("export", "units", "--output", str(tmp_path / "u.xlsx"), "--lang", "en")
    assert (
        CalamineWorkbook.from_path(str(tmp_path / "u.xlsx")).get_sheet_by_index(0).to_python()[0][0]
        == "National ID"
    )
    with pytest.raises(CommandError, match=r"end it with \.csv, \.xlsx, \.json\.$"):
        run("export", "units", "--output", str(tmp_path / "u.xls"), "--lang", "en")
