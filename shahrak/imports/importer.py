"""Importing a CSV or XLSX file of one record type: check every row, then write all or nothing.

The steps, each over the whole file so that the database is asked a few times, not once a row:
read (guarded), map the header to columns, parse every cell, resolve references by natural key
(one query per referenced type), find the stored records by natural key, build each record and
check the model's rules (its CheckConstraints, evaluated in Python) and the user's write scope
(`shahrak.accounts.scope.check_write`, the one place roles are decided), then write the new and
changed records with their history in one transaction. Rows that change nothing write nothing,
so importing a file twice changes nothing the second time.
"""

import contextlib
import csv
import datetime as dt
import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shahrak.accounts.scope import check_write, is_admin, may_write_model
from shahrak.core.places import county_path, has_place
from shahrak.records.guards import Write, refusals

from .bulk import insert_with_history, update_with_history
from .columns import CellError, ForeignKeyColumn, header_key, is_blank
from .constraints import compile_checks
from .readers import FileError, Table, column_letter, read_table
from .resources import IMPORTABLE, LOOKUP_CHUNK, Resource, resource_for

MAX_ERRORS_KEPT = 1000
MAX_CHANGES_KEPT = 200
ANALYZE_FROM_ROWS = 10_000
REFRESH_UNITS_ONE_BY_ONE = 500
TRIAL_MISSES = 2000  # distinct cells a column's memo is tried on before it is kept or dropped

Progress = Callable[[str, int, int], None]


@dataclass
class RowError:
    """A problem in a row (row 0: the file as a whole), at a column (letter and header) if known."""

    row: int
    column: str
    header: str
    message: str

    def as_text(self, filename: str) -> str:
        if self.row == 0:
            return _("%(file)s: %(message)s") % {"file": filename, "message": self.message}
        if not self.column:
            return _("%(file)s, row %(row)d: %(message)s") % {
                "file": filename,
                "row": self.row,
                "message": self.message,
            }
        return _("%(file)s, row %(row)d, column %(column)s (%(header)s): %(message)s") % {
            "file": filename,
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "header": self.header, "message": self.message}


@dataclass
class ImportResult:
    filename: str
    resource: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False
    written: bool = False
    changes: list[dict] = field(default_factory=list)
    rejected_file: str = ""
    # Rows accepted with something to check (the model's save_warnings, as the write path gives them).
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)

    def error_lines(self) -> list[str]:
        lines = [error.as_text(self.filename) for error in self.errors]
        if self.error_count > len(self.errors):
            lines.append(_("… and %(count)d more problems.") % {"count": self.error_count - len(self.errors)})
        return lines

    def warning_lines(self) -> list[str]:
        return [warning.as_text(self.filename) for warning in self.warnings[:MAX_ERRORS_KEPT]]

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "resource": self.resource,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "error_count": self.error_count,
            "errors": [e.as_dict() for e in self.errors],
            "error_lines": self.error_lines(),
            "dry_run": self.dry_run,
            "written": self.written,
            "changes": self.changes,
            "rejected_file": self.rejected_file,
            "warning_lines": self.warning_lines(),
        }


@dataclass
class Row:
    number: int
    cells: list
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (column name or "", message)
    key: tuple | None = None
    existing: object = None
    obj: object = None
    changed: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # (column name or "", message), as errors


class ImportAborted(Exception):
    """Raised inside the write transaction to roll it back."""


def import_file(
    path,
    *,
    user,
    resource: str | Resource | None = None,
    filename: str | None = None,
    dry_run: bool = False,
    keep_valid: bool = False,
    rejected_path: str | Path | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one file as `user`. Nothing is written when any row is wrong, unless keep_valid."""
    with cycle_collector_paused():
        return _import_file(
            Path(path), user=user, resource=resource, filename=filename, dry_run=dry_run,
            keep_valid=keep_valid, rejected_path=rejected_path, progress=progress,
        )  # fmt: skip


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextlib.contextmanager
def cycle_collector_paused():
    """Python's cycle collector off while a file is imported, as it was before afterwards.

    An import makes hundreds of thousands of objects that live until it ends (cells, rows,
    records), and each of the collector's full passes walks them all again: about a quarter of the
    import's Python time at 100,000 rows. The objects are freed by reference counting as before;
    cycles made meanwhile wait for the collector's next pass. Imports in several threads of one
    process share the pause: the last to finish puts the collector back as the first found it.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def _import_file(
    path: Path, *, user, resource, filename, dry_run, keep_valid, rejected_path, progress
) -> ImportResult:
    result = ImportResult(filename=filename or path.name, dry_run=dry_run)
    try:
        table = read_table(path, result.filename)
    except FileError as error:
        result.add_error(RowError(0, "", "", str(error)))
        return result
    try:
        importer = Importer(table, user=user, resource=resource, result=result, progress=progress)
    except _HeaderRejected:
        return result  # the header's problems are already in the result
    except (FileError, LookupError) as error:
        result.add_error(RowError(0, "", "", str(error)))
        return result
    importer.run(dry_run=dry_run, keep_valid=keep_valid, rejected_path=rejected_path)
    return result


def guess_resource(header: list) -> Resource:
    """The record type whose columns the header names (all of its key columns, most matches)."""
    keys = {header_key(h) for h in header if not is_blank(h)}
    scored = []
    for resource in IMPORTABLE.values():
        named = {c.name for c in resource.columns if keys & c.aliases()}
        if named and not resource.missing_key(named):
            unknown = sum(1 for k in keys if not any(k in c.aliases() for c in resource.columns))
            scored.append((len(named) - unknown, resource.slug, resource))
    scored.sort(key=lambda item: (-item[0], item[1]))
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        raise FileError(
            _("Cannot tell which record type this file holds from its header; choose one (%(types)s).")
            % {"types": ", ".join(IMPORTABLE)}
        )
    return scored[0][2]


class Importer:
    def __init__(self, table: Table, *, user, resource, result: ImportResult, progress: Progress | None):
        self.table = table
        self.user = user
        self.result = result
        self.progress = progress or (lambda phase, done, total: None)
        self.resource = resource_for(resource) if resource else guess_resource(table.header)
        if not self.resource.importable:
            raise FileError(_("%(records)s cannot be imported.") % {"records": self.resource.title})
        result.resource = self.resource.slug
        self.model = self.resource.model
        self.columns = self._map_header()  # column index → Column (writable ones only)
        self.present = {c.name for c in self.columns.values()}
        self.position = {c.name: i for i, c in self.columns.items()}
        self.now = timezone.now()
        self.reason = _("imported from %(file)s") % {"file": result.filename}

    # Header -----------------------------------------------------------------------------
    def letter(self, index: int) -> str:
        return column_letter(index + self.table.first_column)

    def _map_header(self) -> dict:
        aliases = {}
        for column in self.resource.columns:
            for alias in column.aliases():
                aliases.setdefault(alias, column)
        mapped, seen, problems = {}, {}, []
        for index, text in enumerate(self.table.header):
            if is_blank(text):
                if any(index < len(cells) and not is_blank(cells[index]) for _n, cells in self.table.rows):
                    problems.append(
                        RowError(1, self.letter(index), "", _("This column has values but no header."))
                    )
                continue
            column = aliases.get(header_key(text))
            if column is None:
                problems.append(
                    RowError(
                        1,
                        self.letter(index),
                        str(text),
                        _("Unknown column «%(header)s» for %(records)s; the columns are: %(names)s.")
                        % {
                            "header": text,
                            "records": self.resource.title,
                            "names": ", ".join(c.header(_lang()) for c in self.resource.columns),
                        },
                    )
                )
                continue
            if column.name in seen:
                problems.append(
                    RowError(
                        1,
                        self.letter(index),
                        str(text),
                        _("Column «%(header)s» appears twice (also column %(other)s).")
                        % {"header": text, "other": self.letter(seen[column.name])},
                    )
                )
                continue
            seen[column.name] = index
            if not column.readonly:
                mapped[index] = column
        for name in self.resource.missing_key(set(seen)):
            header = self.resource.by_name[name].header(_lang())
            problems.append(
                RowError(
                    1,
                    "",
                    header,
                    _("The column «%(header)s» is missing: it identifies each record.") % {"header": header},
                )
            )
        for problem in problems:
            self.result.add_error(problem)
        if problems:
            raise _HeaderRejected
        return mapped

    # The run ---------------------------------------------------------------------------------
    def run(self, *, dry_run: bool, keep_valid: bool, rejected_path) -> None:
        result = self.result
        if not may_write_model(self.user, self.model):
            role = self.user.get_role_display() if getattr(self.user, "is_authenticated", False) else "-"
            result.add_error(
                RowError(
                    0,
                    "",
                    "",
                    _("Your role (%(role)s) may not change %(records)s.")
                    % {"role": role, "records": self.resource.title},
                )
            )
            return
        rows = self._parse_rows()
        result.rows = len(rows)
        if not rows:
            result.add_error(RowError(0, "", "", _("The file has a header but no rows.")))
            return
        self._resolve_references(rows)
        self._complete_and_key(rows)
        self._match_existing(rows)
        self._build(rows)
        self._check_batch(rows)
        locked = self._check_locks(rows)
        for row in rows:
            if row.key is None and not row.errors:  # every row gets a key or says why it has none
                row.errors.append(("", _("This row cannot be matched to a record.")))
        bad = [row for row in rows if row.errors]
        if bad and keep_valid:
            # Rules across rows may depend on a dropped row: check what is left until it holds.
            for _round in range(3):
                before = len(bad)
                self._check_batch(rows)
                bad = [row for row in rows if row.errors]
                if len(bad) == before:
                    break
        for row in bad:
            for column_name, message in row.errors:
                index = self.position.get(column_name)
                header = self.table.header[index] if index is not None else ""
                result.add_error(
                    RowError(
                        row.number, self.letter(index) if index is not None else "", str(header), message
                    )
                )
        good = [row for row in rows if not row.errors]
        for row in good:
            for column_name, message in row.warnings:
                index = self.position.get(column_name)
                header = self.table.header[index] if index is not None else ""
                letter = self.letter(index) if index is not None else ""
                result.warnings.append(RowError(row.number, letter, str(header), message))
        creates = [row for row in good if row.existing is None]
        updates = [row for row in good if row.existing is not None and row.changed]
        result.created, result.updated = len(creates), len(updates)
        result.unchanged = len(good) - len(creates) - len(updates)
        result.rejected = len(bad)
        self._record_changes(creates, updates)
        if bad and keep_valid:
            result.rejected_file = self._write_rejected(bad, rejected_path)
        if (bad and not keep_valid) or locked or dry_run or not (creates or updates):
            return
        self._write(creates, updates)

    def _parse_rows(self) -> list[Row]:
        rows = []
        total = len(self.table.rows)
        width = len(self.table.header)
        # Codes, choices and dates repeat down a file: each distinct cell text is read once. Other
        # columns are tried the same way (a head count, a number of hectares repeats too) until
        # TRIAL_MISSES distinct cells show that most of theirs do not; only plain values are kept.
        columns = [
            [index, column, {}, not column.repeats, 0, 0] for index, column in self.columns.items()
        ]  # index, column, memo (None: parsed every time), on trial, hits, misses
        required = {c.name for c in self.columns.values() if c.required}
        for count, (number, cells) in enumerate(self.table.rows, start=1):
            if all(is_blank(c) for c in cells):
                continue
            row = Row(number, cells)
            for index in range(width, len(cells)):
                if not is_blank(cells[index]):
                    row.errors.append(
                        (
                            "",
                            _("Cell %(cell)s has a value but its column has no header.")
                            % {"cell": f"{self.letter(index)}{number}"},
                        )
                    )
                    break
            values = row.values
            for entry in columns:
                index, column, memo, trial = entry[0], entry[1], entry[2], entry[3]
                raw = cells[index] if index < len(cells) else None
                try:
                    if memo is None:
                        value = column.parse(raw)
                    else:
                        key = (type(raw), raw)
                        value = memo.get(key, _MISSING)
                        if value is _MISSING:
                            value = column.parse(raw)
                            if not trial:
                                memo[key] = value
                            else:
                                if type(value) in _PLAIN:
                                    memo[key] = value
                                entry[5] += 1
                                if entry[5] >= TRIAL_MISSES:
                                    entry[2] = None if entry[4] < entry[5] else memo
                                    entry[3] = False
                        elif trial:
                            entry[4] += 1
                except CellError as error:
                    row.errors.append((column.name, str(error)))
                    continue
                if value is None and column.name in required:
                    row.errors.append((column.name, _("This cell is required.")))
                values[column.name] = value
            rows.append(row)
            if count % 5000 == 0:
                self.progress("check", count, total)
        return rows

    def _resolve_references(self, rows: list[Row]) -> None:
        for column in self.columns.values():
            if not isinstance(column, ForeignKeyColumn):
                continue
            keys = sorted(
                {row.values[column.name] for row in rows if row.values.get(column.name) is not None}
            )
            found = {}
            manager = column.model._default_manager
            related = _location_path(column.model)
            queryset = manager.select_related(related) if related else manager.all()
            for start in range(0, len(keys), LOOKUP_CHUNK):
                found.update(column.lookup(queryset, set(keys[start : start + LOOKUP_CHUNK])))
            for row in rows:
                key = row.values.get(column.name)
                if key is None:
                    continue
                obj = found.get(key)
                if obj is None:
                    row.errors.append((column.name, column.not_found(key)))
                    row.values[column.name] = _MISSING
                else:
                    row.values[column.name] = obj

    def _complete_and_key(self, rows: list[Row]) -> None:
        resource = self.resource
        first_row = {}
        key_columns = set(resource.key)
        required_keys = [name for name in resource.key if resource.by_name[name].required]
        for row in rows:
            values = row.values
            problems = resource.complete(values, self.present)
            if problems:
                row.errors.extend(problems)
            if row.errors and any(name in key_columns for name, _m in row.errors):
                continue
            skip = False
            for name in resource.key:
                value = values.get(name)
                if value is _MISSING or (value is None and name in required_keys):
                    skip = True  # a reference not found, or a required key cell empty: already reported
                    break
            if skip:
                continue
            key = row.key = resource.key_of_values(values)
            if key in first_row:
                row.errors.append(
                    (
                        resource.key[0],
                        _("The same record is already in row %(row)d of this file.")
                        % {"row": first_row[key]},
                    )
                )
                row.key = None
            else:
                first_row[key] = row.number

    def _match_existing(self, rows: list[Row]) -> None:
        keys = [row.key for row in rows if row.key is not None]
        found, ambiguous = self.resource.existing(keys) if keys else ({}, set())
        for row in rows:
            if row.key is None:
                continue
            if row.key in ambiguous:
                row.errors.append(
                    (self.resource.key[0], _("More than one stored record matches this row; fix them first."))
                )
            row.existing = found.get(row.key)

    def _build(self, rows: list[Row]) -> None:
        resource, model = self.resource, self.model
        checks = compile_checks(model)  # once per import, not once per row
        concrete = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        missing_required = [c for c in resource.writable_columns if c.required and c.name not in self.present]
        setters = []
        # A key column the file left out takes the value its stand-ins gave it (`complete`).
        for name in self.present | (set(resource.key_stand_ins) & set(resource.by_name)):
            column = resource.by_name[name]
            if column.virtual:
                continue  # no field of the model: the resource's prepare() reads it
            field = model._meta.get_field(column.field)
            if isinstance(column, ForeignKeyColumn):
                setters.append((name, field.attname, field.name, None))
            else:
                # An empty cell sets the field empty: None, or for a NOT NULL field its default or "".
                empty = None if field.null else (field.get_default() if field.has_default() else "")
                setters.append((name, field.attname, None, empty))
        template = model()  # defaults of the fields the file does not name
        admin = is_admin(self.user)
        total = len(rows)
        scoped = []
        for count, row in enumerate(rows, start=1):
            if count % 5000 == 0:
                self.progress("check", count, total)
            if row.key is None or any(v is _MISSING for v in row.values.values()):
                continue
            # A row with a bad cell is still checked for where it is, so that every problem shows.
            scope_only = bool(row.errors)
            existing = row.existing
            if existing is None and not scope_only:
                if not resource.creatable:
                    row.errors.append(
                        (
                            resource.key[0],
                            _("No stored %(record)s matches this row; this import only updates.")
                            % {"record": model._meta.verbose_name},
                        )
                    )
                    continue
                if missing_required:
                    row.errors.append(
                        ("", _("To add a new record the file needs the columns: %(names)s.")
                         % {"names": ", ".join(c.header(_lang()) for c in missing_required)})
                    )  # fmt: skip
                    continue
            obj = _clone(template) if existing is None else _clone(existing)
            data, cache, values = obj.__dict__, obj._state.fields_cache, row.values
            for name, attname, relation, empty in setters:
                value = values.get(name)
                if relation is not None:
                    # A reference: set the id and the object, past the descriptor (speed).
                    data[attname] = None if value is None else value.pk
                    cache[relation] = value
                else:
                    data[attname] = empty if value is None else value
            problems = resource.prepare(obj, values, self.present)
            if problems:
                row.errors.extend(problems)
                continue
            if scope_only:
                where = self._location_column(obj)
                known = (
                    where and values.get(where) is not None and where not in {name for name, _m in row.errors}
                )
                if not admin and known:
                    scoped.append(row)
                    row.obj = obj
                continue
            if existing is not None:
                row.changed = [name for name in concrete if getattr(existing, name) != data.get(name)]
                if not row.changed:
                    continue  # nothing to write, so nothing to check or permit
            row.obj = obj
            for _constraint, fields, message in checks.violations(obj):
                row.errors.append((self._column_for(fields), message))
            if not row.errors and hasattr(obj, "save_warnings"):
                for message in obj.save_warnings():
                    row.warnings.append(("date", str(message)))
            if not admin and not row.errors:
                scoped.append(row)
        if scoped:
            self._prime_locations(
                [row.existing for row in scoped if row.existing is not None] + [row.obj for row in scoped]
            )
            for row in scoped:
                self._check_scope(row, row.existing, row.obj)

    def _prime_locations(self, objs: list) -> None:
        """Attach each record's estate and county from a few bulk queries, so that check_write
        (which follows the foreign keys to the province) reads no more rows one by one."""
        path = county_path(self.model) if has_place(self.model) else ""
        level = objs
        for step in [p for p in path.split("__") if p]:
            if not level:
                return
            model = type(level[0])
            field = model._meta.get_field(step)
            wanted = {getattr(obj, field.attname) for obj in level} - {None}
            known = {}
            for obj in level:
                cached = obj._state.fields_cache.get(step)
                if cached is not None:
                    known[cached.pk] = cached
            missing = sorted(wanted - set(known))
            for start in range(0, len(missing), LOOKUP_CHUNK):
                known.update(
                    field.related_model._default_manager.in_bulk(missing[start : start + LOOKUP_CHUNK])
                )
            for obj in level:
                value = getattr(obj, field.attname)
                if value is not None:
                    obj._state.fields_cache[step] = known[value]
            level = list(
                {
                    id(o): o for o in (obj._state.fields_cache.get(step) for obj in level) if o is not None
                }.values()
            )

    def _check_scope(self, row: Row, existing, obj) -> None:
        where = self._location_column(obj)
        try:
            if existing is not None:
                check_write(self.user, existing, "change")
            check_write(self.user, obj, "change" if existing is not None else "add")
        except PermissionDenied as error:
            row.errors.append((where, str(error)))

    def _location_column(self, obj) -> str:
        name = self.resource.location_column
        if self.resource.slug == "units" and obj.estate_id is None:
            name = "county"
        return name if name in self.present else ""

    def _column_for(self, fields: list[str]) -> str:
        for name in fields:
            for column in self.resource.columns:
                if column.field == name and column.name in self.present:
                    return column.name
        return ""

    def _check_batch(self, rows: list[Row]) -> None:
        candidates = [row for row in rows if row.obj is not None and not row.errors]
        if not candidates:
            return
        for index, problems in self.resource.check_batch(candidates).items():
            candidates[index].errors.extend(problems)

    def _check_locks(self, rows: list[Row]) -> list[Row]:
        """The rows the write path's guards refuse (a fact in a locked month, shahrak/records/guards.py).
        A file with any such row is refused whole, even when the valid rows would be kept."""
        candidates = [
            row
            for row in rows
            if row.obj is not None and not row.errors and (row.existing is None or row.changed)
        ]
        if not candidates:
            return []
        writes = [
            Write(row.obj, row.existing, "add" if row.existing is None else "change") for row in candidates
        ]
        if has_place(self.model):
            self._prime_locations(
                [row.existing for row in candidates if row.existing is not None]
                + [row.obj for row in candidates]
            )
        refused = refusals(writes)
        hit = []
        for index in sorted(refused):
            row = candidates[index]
            row.errors.append(("", " ".join(refused[index])))
            hit.append(row)
        if hit:
            numbers = [row.number for row in hit]
            shown = ", ".join(str(n) for n in numbers[:50]) + ("…" if len(numbers) > 50 else "")
            self.result.add_error(
                RowError(
                    0,
                    "",
                    "",
                    _(
                        "Nothing was imported: %(count)d rows touch locked months (rows %(rows)s). "
                        "Remove them, or ask an administrator to reopen those months."
                    )
                    % {"count": len(numbers), "rows": shown},
                )
            )
        return hit

    # Output ----------------------------------------------------------------------------------
    def _record_changes(self, creates: list[Row], updates: list[Row]) -> None:
        changes = self.result.changes
        shown = (creates + updates)[:MAX_CHANGES_KEPT]
        # The stored records' references, read in one query per type rather than one per row.
        for column in self.columns.values():
            if isinstance(column, ForeignKeyColumn):
                stored = [row.existing for row in shown if row.existing is not None]
                ids = {getattr(obj, column.attname) for obj in stored} - {None}
                related = column.model._default_manager.in_bulk(list(ids))
                for obj in stored:
                    obj._state.fields_cache[column.field] = related.get(getattr(obj, column.attname))
        for row in shown:
            fields = []
            for column in self.resource.writable_columns:
                if column.name not in self.present:
                    continue
                after = column.format(column.value_of(row.obj))
                before = column.format(column.value_of(row.existing)) if row.existing is not None else ""
                if row.existing is None or before != after:
                    fields.append(
                        {"column": column.header(_lang()), "before": _plain(before), "after": _plain(after)}
                    )
            changes.append(
                {
                    "row": row.number,
                    "action": "update" if row.existing is not None else "create",
                    "key": " / ".join(str(part) for part in _display_key(self.resource, row)),
                    "fields": fields,
                }
            )

    def _write_rejected(self, bad: list[Row], rejected_path) -> str:
        path = Path(rejected_path) if rejected_path else None
        if path is None:
            return ""
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([*self.table.header, _("row"), _("errors")])
            for row in bad:
                messages = []
                for column_name, message in row.errors:
                    index = self.position.get(column_name)
                    prefix = f"{self.letter(index)}: " if index is not None else ""
                    messages.append(prefix + message)
                cells = [_plain(c) for c in row.cells[: len(self.table.header)]]
                cells += [""] * (len(self.table.header) - len(cells))
                writer.writerow([*cells, row.number, " | ".join(messages)])
        return str(path)

    def _write(self, creates: list[Row], updates: list[Row]) -> None:
        self.progress("write", 0, len(creates) + len(updates))
        user = self.user if getattr(self.user, "pk", None) else None
        try:
            with transaction.atomic():
                # Changes first: a row may end a stored lease that a new row then follows, which
                # PostgreSQL's exclusion constraints check statement by statement.
                if updates:
                    fields = _field_names(
                        self.model, sorted({name for row in updates for name in row.changed})
                    )
                    update_with_history(
                        self.model,
                        [row.obj for row in updates],
                        fields,
                        user=user,
                        reason=self.reason,
                        when=self.now,
                    )
                self.progress("write", len(updates), len(creates) + len(updates))
                insert_with_history(
                    self.model, [row.obj for row in creates], user=user, reason=self.reason, when=self.now
                )
                self._refresh_derived(creates, updates)
                # What the record type writes with its rows (a contract's plot holds), same transaction.
                self.resource.after_write(
                    [row.obj for row in creates], [row.obj for row in updates], user=user,
                    reason=self.reason, when=self.now,
                )  # fmt: skip
        except IntegrityError as error:
            self.result.created = self.result.updated = 0
            if self._saved_meanwhile(creates):
                return
            self.result.add_error(
                RowError(
                    0,
                    "",
                    "",
                    _("The database refused the import, so nothing was written: %(error)s")
                    % {"error": error},
                )
            )
            return
        self.result.written = True
        self.progress("write", len(creates) + len(updates), len(creates) + len(updates))
        if len(creates) + len(updates) >= ANALYZE_FROM_ROWS and connection.vendor == "postgresql":
            # Fresh statistics after a bulk load, so the planner sees the new rows (DESIGN "Speed").
            with connection.cursor() as cursor:
                cursor.execute(f'ANALYZE "{self.model._meta.db_table}"')

    def _saved_meanwhile(self, creates: list[Row]) -> bool:
        """After the database refused the write: the new rows whose records someone else saved
        while this file was being checked (another import, say), named row by row, in the same
        words on SQLite and PostgreSQL. False if there are none (another cause, reported as is)."""
        keys = [row.key for row in creates]
        found, _ambiguous = self.resource.existing(keys) if keys else ({}, set())
        taken = [row for row in creates if row.key in found]
        if not taken:
            return False
        index = self.position.get(self.resource.key[0])
        for row in taken:
            self.result.add_error(
                RowError(
                    row.number,
                    self.letter(index) if index is not None else "",
                    str(self.table.header[index]) if index is not None else "",
                    _("This record was saved by someone else while the file was being checked."),
                )
            )
        numbers = [row.number for row in taken]
        shown = ", ".join(str(n) for n in numbers[:50]) + ("…" if len(numbers) > 50 else "")
        self.result.add_error(
            RowError(
                0,
                "",
                "",
                _(
                    "Nothing was imported: %(count)d new rows were saved by someone else while this file "
                    "was being checked (rows %(rows)s). Check the file again: those rows are now updates."
                )
                % {"count": len(numbers), "rows": shown},
            )
        )
        return True

    def _refresh_derived(self, creates: list[Row], updates: list[Row]) -> None:
        """Events cache their unit's county and the date of the unit's next event
        (shahrak.units.caches); bulk writes skip save(), so bring those caches in step here,
        in the import's transaction."""
        label = self.model._meta.label_lower
        if label in PLACED:
            # Projects and payments store where they are (shahrak.projects.places): same transaction.
            from shahrak.projects.places import refresh_places

            if label == "estates.estate":
                refresh_places(estate_ids={row.obj.pk for row in updates if "county_id" in row.changed})
            elif label == "projects.developmentproject":
                refresh_places(project_ids={row.obj.pk for row in creates + updates})
            else:
                refresh_places(project_ids={row.obj.project_id for row in creates + updates})
            return
        if label == "units.unitevent":
            unit_ids = {row.obj.unit_id for row in creates + updates}
            unit_ids |= {row.existing.unit_id for row in updates}
        elif label == "units.productionunit":
            unit_ids = {row.obj.pk for row in updates if "county_id" in row.changed}
        else:
            return
        if not unit_ids:
            return
        from shahrak.units import caches

        if len(unit_ids) > REFRESH_UNITS_ONE_BY_ONE:
            caches.rebuild_metric_caches()  # one set-based statement over all events
        else:
            caches.refresh_unit_caches(*unit_ids)


# Record types whose rows (or whose projects' payments) store a place (shahrak.projects.places).
PLACED = (
    "estates.estate",
    "projects.developmentproject",
    "projects.disbursement",
    "projects.planneddisbursement",
)


# Parsed values that rows may share (a list or a dict could be changed through one row).
_PLAIN = frozenset({str, int, float, bool, type(None), Decimal, dt.date, dt.datetime})


class _HeaderRejected(FileError):
    pass


class _Missing:
    def __repr__(self):
        return "<missing>"


_MISSING = _Missing()


def _clone(instance):
    """A copy of a model instance, much cheaper than copy.copy or Model() for 100,000 rows."""
    clone = instance.__class__.__new__(instance.__class__)
    clone.__dict__ = instance.__dict__.copy()
    state = instance._state
    clone._state = state.__class__()
    clone._state.adding = state.adding
    clone._state.db = state.db
    clone._state.fields_cache = dict(state.fields_cache)
    return clone


def _lang() -> str:
    from django.utils.translation import get_language

    return "fa" if (get_language() or "fa").startswith("fa") else "en"


def _plain(value) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return "" if value is None else str(value)


def _display_key(resource: Resource, row: Row) -> list:
    parts = []
    for name in resource.key:
        value = row.values.get(name)
        if hasattr(value, "_meta"):
            column = resource.by_name[name]
            value = getattr(value, column.key_field)
        column = resource.by_name[name]
        parts.append(column.format(value) if value not in (None, "") else "")
    return [p for p in parts if p != ""]


def _field_names(model, attnames: list[str]) -> list[str]:
    by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
    return [by_attname[name] for name in attnames]


def _location_path(model) -> str:
    """select_related path that lets check_write find a record's province without queries."""
    return county_path(model) if has_place(model) else ""
