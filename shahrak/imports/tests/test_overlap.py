"""Two imports of the same new records at once (issue 11 item 4): the second one's rows were new
when it checked them and are taken when it writes. Both databases answer in the same words, row by
row, and nothing of the second file is written (on PostgreSQL the write is a COPY, whose errors
once escaped as a traceback)."""

import pytest
from django.utils import translation

from shahrak.imports.importer import Importer, import_file
from shahrak.units.models import ProductionUnit
from tests.factories import national_id

from .helpers import write_csv
from .sample import build_world

pytestmark = pytest.mark.django_db

HEADER = ["national_id", "name", "county", "isic", "employees"]


def test_rows_saved_meanwhile_are_named_and_nothing_is_written(tmp_path, admin_user, monkeypatch):
    build_world()
    ids = [national_id(7100 + i) for i in range(4)]
    path = write_csv(tmp_path / "units.csv", [HEADER] + [[n, f"واحد {n}", "2301", "1079", "3"] for n in ids])
    # Another import commits two of these units after this one has looked for them (and not found them).
    matched = Importer._match_existing

    def match_then_another_import_saves(self, rows):
        matched(self, rows)
        other = write_csv(
            tmp_path / "other.csv", [HEADER] + [[n, "از فایل دیگر", "2301", "1079", "5"] for n in ids[1:3]]
        )
        monkeypatch.setattr(Importer, "_match_existing", matched)
        assert import_file(other, user=admin_user).written

    monkeypatch.setattr(Importer, "_match_existing", match_then_another_import_saves)
    before = ProductionUnit.objects.count()
    with translation.override("en"):
        result = import_file(path, user=admin_user)
    assert not result.written
    assert ProductionUnit.objects.count() == before + 2  # the other file's two, none of this one's
    texts = [error.message for error in result.errors]
    assert texts.count("This record was saved by someone else while the file was being checked.") == 2
    assert sorted(error.row for error in result.errors if error.row) == [3, 4]
    assert (
        "Nothing was imported: 2 new rows were saved by someone else while this file was being checked "
        "(rows 3, 4). Check the file again: those rows are now updates." in texts
    )
    assert not any("duplicate key" in text or "UNIQUE constraint" in text for text in texts)
    # Checked again, the file is four rows of which two are now updates, and it imports.
    monkeypatch.undo()
    again = import_file(path, user=admin_user)
    assert again.written and again.created == 2 and again.updated == 2
