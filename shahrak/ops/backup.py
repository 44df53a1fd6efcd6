"""`shahrak backup FILE` and `shahrak restore FILE`: the whole database in one file, with a manifest.

The file is a tar archive of `manifest.json` and the database: `database.dump` (pg_dump's custom
format) on PostgreSQL, `database.sqlite3` (SQLite's online backup API) on SQLite. The manifest
gives, per table, its row count and a SHA-256 over its rows in primary-key order; it is computed
from exactly what was saved (PostgreSQL: in the snapshot pg_dump dumps; SQLite: from the copy).
A restore goes into an empty database (or replaces it, when asked), then computes the manifest of
what it restored and fails, naming the tables, when anything differs.
"""

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction

FORMAT = 1
DUMP_NAME = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    pass


class ManifestMismatch(BackupError):
    def __init__(self, differences: list[str]):
        self.differences = differences
        super().__init__(
            "the restored database does not match the backup's manifest:\n  " + "\n  ".join(differences)
        )


def _encode(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def table_digest(cursor, table: str, order_by: list[str], quote) -> dict:
    """Row count and SHA-256 of one table, its rows read in primary-key order."""
    columns = ", ".join(quote(c) for c in order_by)
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {columns}")  # noqa: S608 (names from the catalogue)
    hasher, rows = hashlib.sha256(), 0
    while batch := cursor.fetchmany(5000):
        for row in batch:
            hasher.update(("\t".join(_encode(v) for v in row) + "\n").encode())
        rows += len(batch)
    return {"rows": rows, "sha256": hasher.hexdigest()}


def _sqlite_manifest(path: str) -> dict:
    """Over raw stored values (no Django converters): the same bytes give the same manifest."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        quote = lambda name: '"' + name.replace('"', '""') + '"'  # noqa: E731
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        tables = {}
        for name in names:
            info = db.execute(f"PRAGMA table_info({quote(name)})").fetchall()
            keys = [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]] or [c[1] for c in info]
            tables[name] = table_digest(db.cursor(), name, keys, quote)
        return tables
    finally:
        db.close()


def _postgresql_manifest(connection) -> dict:
    """Of the current transaction's snapshot (the caller holds it open)."""
    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() AND NOT c.relispartition "
            "ORDER BY c.relname"
        )
        names = [r[0] for r in cursor.fetchall()]
        for name in names:
            keys = connection.introspection.get_primary_key_columns(cursor, name)
            if not keys:
                keys = [c.name for c in connection.introspection.get_table_description(cursor, name)]
            tables[name] = table_digest(cursor, name, keys, quote)
    return tables


def current_manifest(alias: str = DEFAULT_DB_ALIAS) -> dict:
    """Row counts and checksums of the live database, table by table."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        return _sqlite_manifest(_sqlite_path(connection))
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _postgresql_manifest(connection)


def _sqlite_path(connection) -> str:
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db():
        raise BackupError("an in-memory SQLite database has no file to restore into or to read back")
    return name


def _pg_args(connection) -> tuple[list[str], dict]:
    s = connection.settings_dict
    args = []
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args + ["--no-password", "--dbname", str(s["NAME"])], env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def backup(target: str | Path, alias: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the whole database and its manifest to `target`; returns the manifest."""
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in DUMP_NAME:
        raise BackupError(f"backup supports PostgreSQL and SQLite, not {vendor}")
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DUMP_NAME[vendor]
        if vendor == "postgresql":
            connection.ensure_connection()
            # pg_dump dumps the very snapshot this transaction reads the manifest from.
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                args, env = _pg_args(connection)
                _run(
                    ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                     "--file", str(dump), *args],
                    env,
                )  # fmt: skip
                tables = _postgresql_manifest(connection)
        else:
            connection.ensure_connection()
            copy = sqlite3.connect(dump)
            try:
                connection.connection.backup(copy)  # the online backup API: a consistent copy
            finally:
                copy.close()
            tables = _sqlite_manifest(str(dump))
        manifest = {
            "format": FORMAT,
            "engine": vendor,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "file": DUMP_NAME[vendor],
            "file_sha256": _file_sha256(dump),
            "tables": tables,
        }
        partial = Path(f"{target}.partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=DUMP_NAME[vendor])
        partial.replace(target)  # never a half-written backup under the real name
    return manifest


def _file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def read_manifest(source: str | Path) -> dict:
    with tarfile.open(source, "r") as archive:
        return json.load(archive.extractfile("manifest.json"))


def compare(expected: dict, actual: dict) -> list[str]:
    differences = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            differences.append(f"{name}: missing after restore")
        elif name not in expected:
            differences.append(f"{name}: not in the backup")
        elif expected[name]["rows"] != actual[name]["rows"]:
            differences.append(
                f"{name}: {expected[name]['rows']} rows in the backup, {actual[name]['rows']} restored"
            )
        elif expected[name]["sha256"] != actual[name]["sha256"]:
            differences.append(f"{name}: same {actual[name]['rows']} rows, different contents (checksum)")
    return differences


def _is_empty(connection) -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(source: str | Path, *, replace: bool = False, alias: str = DEFAULT_DB_ALIAS) -> dict:
    """Restore a backup into the database, then check it against the manifest (ManifestMismatch)."""
    connection = connections[alias]
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(source, "r") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        if manifest["engine"] != vendor:
            raise BackupError(f"this is a {manifest['engine']} backup; the database is {vendor}")
        archive.extract(manifest["file"], tmp, filter="data")
        dump = Path(tmp) / manifest["file"]
        if _file_sha256(dump) != manifest["file_sha256"]:
            raise BackupError(
                f"{manifest['file']} in {source} is damaged: its checksum is not the manifest's"
            )
        if not replace and not _is_empty(connection):
            raise BackupError("the database is not empty: restore into an empty database, or pass --replace")
        if vendor == "sqlite":
            # Check the copy before it replaces anything.
            differences = compare(manifest["tables"], _sqlite_manifest(str(dump)))
            if differences:
                raise ManifestMismatch(differences)
            path = _sqlite_path(connection)
            connection.close()
            source_db, target_db = sqlite3.connect(dump), sqlite3.connect(path)
            try:
                source_db.backup(target_db)
            finally:
                source_db.close()
                target_db.close()
        else:
            args, env = _pg_args(connection)
            connection.close()
            extra = ["--clean", "--if-exists"] if replace else []
            _run(
                ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                 *extra, *args, str(dump)],
                env,
            )  # fmt: skip
    differences = compare(manifest["tables"], current_manifest(alias))
    if differences:
        raise ManifestMismatch(differences)
    return manifest
