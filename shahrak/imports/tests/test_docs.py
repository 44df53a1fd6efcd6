"""docs/data-format.md lists every column of every record type as the code defines them."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from shahrak.imports.docs import BEGIN, END, columns_markdown


def test_the_column_tables_of_the_docs_are_current():
    text = (Path(settings.BASE_DIR) / "docs" / "data-format.md").read_text(encoding="utf-8")
    section = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert section.strip() == columns_markdown().strip(), (
        "run: python -m shahrak.imports.docs docs/data-format.md"
    )


def _fields_of(condition) -> set[str]:
    names = set()
    for child in getattr(condition, "children", ()):
        if isinstance(child, tuple):
            names.add(child[0].split("__")[0])
        else:
            names |= _fields_of(child)
    return names


def test_every_rule_the_importer_keeps_is_in_the_docs():
    """A rule lives in a constraint with its message or in a model's clean(), named in import_rules.

    Constraints without a message of their own hold one column to its choices or bounds, which the
    column's validators check first (with the column's message) and its type in the table names.
    """
    from shahrak.imports.docs import _has_own_message, rules_of
    from shahrak.imports.resources import IMPORTABLE

    text = (Path(settings.BASE_DIR) / "docs" / "data-format.md").read_text(encoding="utf-8")
    for slug, resource in IMPORTABLE.items():
        model = resource.model
        if "clean" in vars(model):
            assert hasattr(model, "import_rules"), (
                f"{model.__name__}.clean() checks rules the docs do not name"
            )
        for constraint in model._meta.constraints:
            if _has_own_message(constraint):
                continue
            fields = _fields_of(getattr(constraint, "condition", None)) or set(
                getattr(constraint, "fields", ())
            )
            assert len(fields) == 1, f"{constraint.name} ties several columns: give it a message"
            field = model._meta.get_field(fields.pop())
            assert field.choices or field.validators, f"{constraint.name}: no column rule says it"
        section = text.split(f"`{slug}`", 1)[1].split("\n### ", 1)[0]
        with translation.override("en"):
            rules = rules_of(model)
        for rule in rules:
            assert f"- {rule}" in section, f"{slug}: {rule!r} is not in docs/data-format.md"


def test_a_workshop_opened_only_once_completed_is_documented():
    """The rule issue 9 found missing: `completed_date` is optional, but not for an opened workshop."""
    text = (Path(settings.BASE_DIR) / "docs" / "data-format.md").read_text(encoding="utf-8")
    workshops = text.split("`workshops`", 1)[1].split("\n### ", 1)[0]
    assert "- A workshop can be opened only on or after the day it was completed." in workshops


def test_every_example_in_the_docs_and_templates_is_accepted_by_its_column():
    """The examples are what people copy: each must pass its own column's checks (the national
    IDs their check digit: 10320000005 and 10320000013 did not, 10320000002 and 10320000017 do)."""
    from shahrak.core.validators import is_valid_national_id
    from shahrak.imports.columns import CellError
    from shahrak.imports.resources import IMPORTABLE

    refused = []
    for slug, resource in IMPORTABLE.items():
        for column in resource.columns:
            if not column.example:
                continue
            try:
                column.parse(column.example)
            except CellError as error:
                refused.append((slug, column.name, column.example, str(error)))
    assert refused == []
    assert is_valid_national_id("10320000002") and is_valid_national_id("10320000017")
    assert not is_valid_national_id("10320000005") and not is_valid_national_id("10320000013")
