"""Every file of the hostile corpus is refused with its message and writes nothing: through the
importer, `shahrak import` and the web upload. The worst of them, read in a child process limited
to 1 GB of memory, ends with the message, not a signal."""

import os
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from shahrak.imports import jobs
from shahrak.imports.importer import import_file
from shahrak.imports.models import ImportJob, JobStatus

from ..sample import build_world, snapshot
from . import CORPUS

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    def apply(overrides):
        settings.SHAHRAK = {**django_settings.SHAHRAK, **overrides}

    return apply


@pytest.fixture(scope="module")
def outcomes(pytestconfig):
    seen = {}
    yield seen
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if seen and reporter is not None:
        refused = sum(1 for ok in seen.values() if ok)
        reporter.write_line(
            f"hostile corpus (tests/hostile): {len(seen)} files tried, {refused} refused cleanly"
        )


def test_the_corpus_covers_issue_11_item_1():
    assert {
        "xfd1048576-only-cell",
        "huge-shared-strings",
        "csv-with-a-10-mb-cell",
        "wrong-encoding-gb18030",
        "empty-csv-file",
        "non-zip-named-xlsx",
    } <= set(CORPUS)


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_refused_by_the_importer(case, tmp_path, admin_user, limits, outcomes):
    name, build, expected, overrides = CORPUS[case]
    limits(overrides)
    build_world()
    path = build(tmp_path / name)
    before = snapshot()
    started = time.perf_counter()
    with translation.override("en"):
        result = import_file(path, user=admin_user)
        lines = result.error_lines()
    elapsed = time.perf_counter() - started
    outcomes[case] = False
    assert not result.written
    assert len(lines) == 1 and lines[0].startswith(f"{name}: {expected}"), lines
    assert snapshot() == before
    assert elapsed < 10, f"{case} took {elapsed:.1f} s"
    outcomes[case] = True


@pytest.mark.parametrize(
    "case", ["xfd1048576-only-cell", "a1-and-xfd1048576", "csv-with-a-10-mb-cell", "wrong-encoding-koi8-r"]
)
def test_refused_by_the_command(case, tmp_path, admin_user, limits):
    name, build, expected, overrides = CORPUS[case]
    limits(overrides)
    path = build(tmp_path / name)
    err = StringIO()
    with pytest.raises(CommandError, match="^1 problems; nothing was written.$"):
        call_command("import", str(path), "--lang", "en", stdout=StringIO(), stderr=err)
    assert f"{name}: {expected}" in err.getvalue()


@pytest.mark.parametrize("case", ["a1-and-xfd1048576", "huge-shared-strings", "bytes-over-the-limit-csv"])
def test_refused_by_the_web_upload(case, tmp_path, client, admin_user, limits, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(jobs, "INLINE_MAX_BYTES", 10 * 2**20)  # checked in the request
    name, build, expected, overrides = CORPUS[case]
    limits(overrides)
    build_world()
    data = build(tmp_path / name).read_bytes()
    before = snapshot()
    client.force_login(admin_user)
    response = client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(name, data)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    if "IMPORT_MAX_BYTES" in overrides:  # refused by the form, before a job exists
        assert response.status_code == 200
        assert "حجم پرونده" in response.content.decode()  # the page is in Persian
        assert not ImportJob.objects.exists()
    else:
        job = ImportJob.objects.get()
        assert job.status == JobStatus.REJECTED
        assert job.preview["error_lines"][0].startswith(f"{name}: ")
        page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
        assert 'data-testid="errors"' in page
    assert snapshot() == before


CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
import django
django.setup()
from django.utils import translation
from shahrak.imports.readers import FileError, read_table
translation.activate("en")
try:
    read_table(sys.argv[1])
except FileError as error:
    print(error)
"""


@pytest.mark.parametrize("case", ["a1-and-xfd1048576", "sparse-rectangle-a1-cv1000001"])
def test_the_reader_does_not_die_in_1_gb(case, tmp_path):
    """Before the fix this child process died of SIGABRT (calamine asked for 512 GiB)."""
    name, build, expected, _overrides = CORPUS[case]
    path = build(tmp_path / name)
    assert path.stat().st_size < 4096
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=120
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.startswith(expected)


def test_the_limits_are_read_from_the_environment():
    child = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s;"
         " print(*(s.SHAHRAK[f'IMPORT_MAX_{n}'] for n in ('BYTES', 'ROWS', 'COLUMNS', 'CELL_CHARS')))"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "SHAHRAK_IMPORT_MAX_BYTES": "1000", "SHAHRAK_IMPORT_MAX_ROWS": "5",
             "SHAHRAK_IMPORT_MAX_COLUMNS": "7", "SHAHRAK_IMPORT_MAX_CELL_CHARS": "9"},
    )  # fmt: skip
    assert child.stdout.split() == ["1000", "5", "7", "9"], child.stderr[-1000:]


def test_a_persian_refusal(tmp_path, admin_user):
    name, build, _expected, _overrides = CORPUS["xfd1048576-only-cell"]
    with translation.override("fa"):
        lines = import_file(build(tmp_path / name), user=admin_user).error_lines()
    assert "XFD1048576" in lines[0] and "بیرون از محدودهٔ خواندنِ درون‌ریزی" in lines[0]
