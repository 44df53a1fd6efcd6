"""docs/data-format.md lists every column of every record type as the code defines them."""

from pathlib import Path

from django.conf import settings

from shahrak.imports.docs import BEGIN, END, columns_markdown


def test_the_column_tables_of_the_docs_are_current():
    text = (Path(settings.BASE_DIR) / "docs" / "data-format.md").read_text(encoding="utf-8")
    section = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert section.strip() == columns_markdown().strip(), (
        "run: python -m shahrak.imports.docs docs/data-format.md"
    )
