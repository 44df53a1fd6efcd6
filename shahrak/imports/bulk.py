"""Writing many checked records with their history rows, in the caller's transaction.

On PostgreSQL the rows go in through COPY (ids are taken from the table's sequence first) and
the database copies them into their history rows with one INSERT … SELECT: Django's bulk_create
spends most of its time building one huge INSERT, which made an import ten times slower than
COPY. The history rows are the ones django-simple-history writes itself (every tracked field, who, when, why, '+' for a
creation, '~' for a change). On other databases, and for history models with fields this module
does not know, simple-history's own bulk_create_with_history / bulk_update_with_history do it.
"""

import json

from django.db import connection
from django.db.models import JSONField

from shahrak.core.history import bulk_create_with_history, bulk_update_with_history
from shahrak.core.versions import data_changed
from shahrak.metrics import tallies

BATCH = 2000
_HISTORY_OWN = {"history_id", "history_date", "history_user", "history_change_reason", "history_type"}


def _history_columns(model):
    """(history model, [(column, how to get its value)]) or None when a field is unknown."""
    history = model.history.model
    own = {f.attname for f in model._meta.concrete_fields}
    columns = []
    for field in history._meta.concrete_fields:
        if field.name == "history_id":
            continue
        if field.name in _HISTORY_OWN:
            columns.append((field.column, field.name))
        elif field.attname in own:
            columns.append((field.column, field.attname))
        else:
            return None
    return history, columns


def _copy_history(model, objs, history_type: str, *, user, reason: str, when, ids=None) -> None:
    """One history row per record, copied by the database from the rows just written (so the
    history holds exactly what is stored), in one INSERT … SELECT. `ids`: the records' ids when
    they are one run (a range), which the SELECT then reads as a range instead of a list."""
    history, columns = _history_columns(model)
    fixed = {
        "history_date": when,
        "history_user": getattr(user, "pk", None),
        "history_change_reason": reason,
        "history_type": history_type,
    }
    quote = connection.ops.quote_name
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    names, selected, params = [], [], []
    for column, source in columns:
        names.append(quote(column))
        if source in fixed:
            selected.append("%s")
            params.append(fixed[source])
        else:
            selected.append(f"t.{quote(by_attname[source])}")
    pk = quote(model._meta.pk.column)
    if isinstance(ids, range) and len(ids) == len(objs):
        where = f"t.{pk} BETWEEN %s AND %s"
        params += [ids.start, ids.stop - 1]
    else:
        where = f"t.{pk} = ANY(%s)"
        params.append([obj.pk for obj in objs])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(names)}) "
            f"SELECT {', '.join(selected)} FROM {quote(model._meta.db_table)} AS t WHERE {where}",
            params,
        )


def _reserve_ids(cursor, table: str, column: str, count: int):
    """`count` new ids from the table's sequence, taken in one statement.

    Each id is the sequence's own nextval (so saves running meanwhile never get one of them); when
    nobody else took one in between, as is usual, they are one run and only its ends come back
    (a range), otherwise the whole list does."""
    # The sequence is looked up once: as an argument of nextval() it was looked up for every row
    # (0.3 s of catalogue reads per 100,000 ids).
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)::regclass::oid", [table, column])
    (sequence,) = cursor.fetchone()
    cursor.execute(
        "WITH taken AS MATERIALIZED (SELECT nextval(%s::oid::regclass) AS id FROM generate_series(1, %s)), "
        "ends AS (SELECT min(id) AS low, max(id) AS high, count(*) AS n FROM taken) "
        "SELECT low, high, CASE WHEN high - low + 1 = n THEN NULL "
        "ELSE (SELECT array_agg(id ORDER BY id) FROM taken) END FROM ends",
        [sequence, count],
    )
    low, high, every = cursor.fetchone()
    return range(low, high + 1) if every is None else every


def _json(value):
    """A JSON field's value as COPY takes it: its JSON text (SQL NULL for None)."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _fast(model) -> bool:
    return connection.vendor == "postgresql" and _history_columns(model) is not None


def insert_with_history(model, objs: list, *, user, reason: str, when) -> None:
    """Insert new records and one '+' history row each; the objects get their ids."""
    if not objs:
        return
    tallies.bulk_written(model)  # no signals here: the finished months they may touch are stale
    if not _fast(model):
        bulk_create_with_history(
            objs, model, batch_size=BATCH, default_user=user, default_change_reason=reason, default_date=when
        )
        return
    table = model._meta.db_table
    pk = model._meta.pk
    fields = list(model._meta.concrete_fields)
    with connection.cursor() as cursor:
        ids = _reserve_ids(cursor, table, pk.column, len(objs))
        alias = connection.alias
        for obj, new_id in zip(objs, ids, strict=True):
            obj.__dict__[pk.attname] = new_id
            state = obj._state
            state.adding = False
            state.db = alias
        names = ", ".join(f'"{f.column}"' for f in fields)
        attnames = [f.attname for f in fields]
        as_json = {f.attname for f in fields if isinstance(f, JSONField)}
        # psycopg's COPY is outside Django's cursor wrapper: its errors become Django's (IntegrityError)
        # here, as every other statement's do, so the importer reports them the same on both databases.
        with connection.wrap_database_errors, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for obj in objs:
                data = obj.__dict__
                copy.write_row([_json(data[a]) if a in as_json else data[a] for a in attnames])
    _copy_history(model, objs, "+", user=user, reason=reason, when=when, ids=ids)
    data_changed()


def update_with_history(model, objs: list, fields: list[str], *, user, reason: str, when) -> None:
    """Update the named fields of stored records and write one '~' history row each."""
    if not objs:
        return
    tallies.bulk_written(model)
    if not _fast(model):
        bulk_update_with_history(
            objs, model, fields, batch_size=BATCH // 2, default_user=user, default_change_reason=reason,
            default_date=when,
        )  # fmt: skip
        return
    table = model._meta.db_table
    pk = model._meta.pk
    columns = [model._meta.get_field(name) for name in fields]
    names = [f'"{f.column}"' for f in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TEMPORARY TABLE "shahrak_import_update" ON COMMIT DROP AS '
            f'SELECT "{pk.column}", {", ".join(names)} FROM "{table}" WITH NO DATA'
        )
        with (
            connection.wrap_database_errors,
            cursor.copy(
                f'COPY "shahrak_import_update" ("{pk.column}", {", ".join(names)}) FROM STDIN'
            ) as copy,
        ):
            attnames = [pk.attname] + [f.attname for f in columns]
            as_json = {f.attname for f in columns if isinstance(f, JSONField)}
            for obj in objs:
                data = obj.__dict__
                copy.write_row([_json(data[a]) if a in as_json else data[a] for a in attnames])
        assignments = ", ".join(f"{name} = u.{name}" for name in names)
        cursor.execute(
            f'UPDATE "{table}" AS t SET {assignments} FROM "shahrak_import_update" AS u '
            f'WHERE t."{pk.column}" = u."{pk.column}"'
        )
        cursor.execute('DROP TABLE "shahrak_import_update"')
    _copy_history(model, objs, "~", user=user, reason=reason, when=when)
    data_changed()
