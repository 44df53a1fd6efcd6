"""Search and Persian sorting in the database, the same on SQLite and PostgreSQL.

The keys are the ones of `shahrak.core.text` (`search_key`, `sort_key`, built from the tables
`SEARCH_EQUIVALENTS` and `SORT_EQUIVALENTS`): PostgreSQL computes them with TRANSLATE over those
same tables, SQLite calls the Python functions themselves (registered on every connection by
`register_sqlite_functions`). The sort key is compared by code point (SQLite's default BINARY,
PostgreSQL's "C" collation), whatever the database's own locale. So a list sorted or searched
in the database is the list `sorted(..., key=sort_key)` gives in Python.
"""

from django.db.models import CharField, F, Func, Q, Value

from .text import SEARCH_EQUIVALENTS, SORT_EQUIVALENTS, normalize, search_key, sort_key

# Codes and identifiers hold no ZWNJ or spaces and are stored with Latin digits: they are searched
# as they are, with the query's digits made Latin (a key per row costs ~10 µs; names need it).
CODE_FIELDS = frozenset({"code", "national_id", "iso_code", "sci_code", "currency"})

_SQLITE_FUNCTIONS = {"shahrak_search_key": search_key, "shahrak_sort_key": sort_key}


def _or_null(function):
    return lambda value: None if value is None else function(value)


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created: give SQLite the Python keys (PostgreSQL has TRANSLATE)."""
    if connection.vendor == "sqlite":
        for name, function in _SQLITE_FUNCTIONS.items():
            connection.connection.create_function(name, 1, _or_null(function), deterministic=True)


def _translate_arguments(table: dict) -> tuple[str, str]:
    """TRANSLATE(text, from, to): characters of `from` past the length of `to` are deleted."""
    kept = [(source, target) for source, target in table.items() if target]
    dropped = [source for source, target in table.items() if not target]
    return "".join(s for s, _ in kept) + "".join(dropped), "".join(t for _, t in kept)


class _Key(Func):
    output_field = CharField()
    sqlite_function = ""
    table: dict = {}

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function=self.sqlite_function, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        source, target = _translate_arguments(self.table)
        translated = Func(*self.get_source_expressions(), Value(source), Value(target), function="TRANSLATE",
                          output_field=CharField())  # fmt: skip
        return compiler.compile(translated)


class SearchKey(_Key):
    """`text.search_key` of a field, in the database (case is left to icontains)."""

    sqlite_function = "shahrak_search_key"
    table = SEARCH_EQUIVALENTS


class SortKey(_Key):
    """`text.sort_key` of a field, in the database, compared by code point."""

    sqlite_function = "shahrak_sort_key"
    table = SORT_EQUIVALENTS

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = super().as_postgresql(compiler, connection, **extra_context)
        return f'({sql}) COLLATE "C"', params


def persian_order(field):
    """An expression to order by: the field in Persian alphabetical order (.asc() / .desc())."""
    return SortKey(F(field) if isinstance(field, str) else field)


def search(queryset, fields, text: str):
    """The records whose fields contain the text, ignoring digit systems, ZWNJ and spaces."""
    key = search_key(text)
    if not key:
        return queryset
    names = [field for field in fields if field.rsplit("__", 1)[-1] not in CODE_FIELDS]
    condition = Q()
    for field in fields:
        if field not in names:
            condition |= Q(**{f"{field}__icontains": normalize(text)})
    aliases = {f"_search_{i}": SearchKey(F(field)) for i, field in enumerate(names)}
    for alias in aliases:
        condition |= Q(**{f"{alias}__icontains": key})
    return queryset.alias(**aliases).filter(condition)


def by_name(queryset, fa_field: str = "name_fa", en_field: str = "name_en"):
    """Records in the reader's alphabetical order: Persian order on a Persian page, else English."""
    from django.utils import translation

    if (translation.get_language() or "fa").startswith("fa"):
        return queryset.order_by(persian_order(fa_field), "pk")
    return queryset.order_by(en_field, "pk")
