"""Trigram indexes that let PostgreSQL answer a list's search box without reading every row.

`collation.search` asks `UPPER(code::text) LIKE UPPER('%…%')` of codes and
`UPPER(TRANSLATE(name, from, to)::text) LIKE UPPER('%…%')` of names (the search key). A GIN
index with `gin_trgm_ops` on exactly those expressions serves both (pg_trgm, a trusted extension
that a database owner may create). Without it, a search of 100,000 units read them all: 2.5 s at
scale 1 (issue 12, item 9). The name expressions are written from the same tables as the query's
(`_translate_arguments(SEARCH_EQUIVALENTS)`); a test checks on PostgreSQL that the plans use them.
SQLite has no such index: its searches scan, as before.
"""

from django.db import migrations

from .collation import CODE_FIELDS, _translate_arguments
from .text import SEARCH_EQUIVALENTS


def _expression(column: str, connection) -> str:
    quoted = connection.ops.quote_name(column)
    if column in CODE_FIELDS:
        return f"UPPER({quoted}::text)"
    source, target = _translate_arguments(SEARCH_EQUIVALENTS)
    return f"UPPER(TRANSLATE({quoted}, {_quote(source)}, {_quote(target)})::text)"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def index_name(table: str, column: str) -> str:
    return f"{table[:40]}_{column[:12]}_trgm"


def search_index_operation(table: str, columns: list[str]) -> migrations.RunPython:
    """A migration step that makes (or drops, backwards) the trigram indexes of `columns` on PostgreSQL."""

    def forwards(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {index_name(table, column)} ON {connection.ops.quote_name(table)} "
                f"USING gin ({_expression(column, connection)} gin_trgm_ops)"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(table, column)}")

    return migrations.RunPython(forwards, backwards, elidable=False)
