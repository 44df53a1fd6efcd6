"""Reading CSV and XLSX files that people upload, guarded against hostile ones.

Before python-calamine loads a workbook (it keeps the whole sheet in memory), the zip is checked
member by member: the real decompressed sizes (not the sizes the zip declares), the compression
ratio, the number of members, no DTD in any XML part, and no formulas in the sheet that is read.
CSV is checked for binary content, decoded as UTF-8 (or Windows-1256, which Persian Excel writes)
and split with the delimiter it uses. Bytes, rows, columns and cell length are capped by the
settings SHAHRAK["IMPORT_MAX_*"] (read at call time; docs/data-format.md lists them).

Before anything allocates a sheet, its declared <dimension> and every cell and row reference are
checked against the limits: calamine allocates the rectangle from the first to the last cell, so
one cell at XFD1048576 beside A1 would ask for 17 billion cells.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

MAX_MEMBER_RATIO = 200  # compressed → uncompressed; real sheets are 5–30×, zip bombs 1000× and more
RATIO_CHECK_FROM = 2 * 1024 * 1024  # small members (styles, a short sheet) may compress very well
MAX_MEMBERS = 2000
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # the grid of a worksheet: A1 to XFD1048576
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary .xls / .doc


class FileError(ValueError):
    """A problem with the file as a whole (not one cell); the message is in the user's language."""


@dataclass
class Table:
    """The first sheet of a workbook or a CSV file: a header and numbered rows of raw cells."""

    kind: str  # "csv" | "xlsx"
    header: list
    rows: list = field(default_factory=list)  # (row number as the spreadsheet shows it, cells)
    first_column: int = 0  # index of column A's offset (XLSX data may start further right)
    sheet: str = ""


@dataclass(frozen=True)
class Limits:
    """What one file read may hold; from SHAHRAK["IMPORT_MAX_*"] unless given."""

    max_bytes: int
    max_unpacked_bytes: int
    max_rows: int
    max_columns: int
    max_cell_chars: int

    @classmethod
    def from_settings(cls) -> "Limits":
        conf = settings.SHAHRAK
        return cls(
            max_bytes=conf.get("IMPORT_MAX_BYTES", 200 * 1024 * 1024),
            max_unpacked_bytes=conf.get("IMPORT_MAX_UNPACKED_BYTES", 600 * 1024 * 1024),
            max_rows=conf.get("IMPORT_MAX_ROWS", 1_000_000),
            max_columns=conf.get("IMPORT_MAX_COLUMNS", 100),
            max_cell_chars=conf.get("IMPORT_MAX_CELL_CHARS", 100_000),
        )


def size_error(size: int, limits: Limits | None = None) -> str | None:
    """The message refusing a file of `size` bytes, or None when it may be read."""
    limits = limits or Limits.from_settings()
    if size <= limits.max_bytes:
        return None
    return _("The file is %(size)s; at most %(max)s can be imported.") % {
        "size": _human_size(size),
        "max": _human_size(limits.max_bytes),
    }


def _human_size(size: int) -> str:
    if size >= 2**20:
        return _("%(count)s MB") % {"count": f"{size / 2**20:.1f}".removesuffix(".0")}
    if size >= 1024:
        return _("%(count)s KB") % {"count": f"{size / 1024:.1f}".removesuffix(".0")}
    return _("%(count)d bytes") % {"count": size}


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26 (the inverse of column_letter)."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def read_table(path: Path, name: str | None = None, limits: Limits | None = None) -> Table:
    """Read a CSV or XLSX file, deciding by its content (a misnamed file is still read right)."""
    path = Path(path)
    name = name or path.name
    limits = limits or Limits.from_settings()
    size = path.stat().st_size
    if size == 0:
        raise FileError(_("The file is empty."))
    if message := size_error(size, limits):
        raise FileError(message)
    with open(path, "rb") as handle:
        head = handle.read(8)
    lower = name.lower()
    if head.startswith(XLSX_MAGIC):
        return read_xlsx(path, limits)
    if head.startswith(OLE_MAGIC):
        raise FileError(
            _("This is an old Excel (.xls) file or another binary document; save it as .xlsx or CSV.")
        )
    if lower.endswith((".xlsx", ".xlsm", ".xls")):
        raise FileError(
            _("The file is named %(name)s but is not an Excel workbook (.xlsx).") % {"name": name}
        )
    if not lower.endswith((".csv", ".txt", ".tsv")):
        raise FileError(_("Only CSV and XLSX files can be imported, not %(name)s.") % {"name": name})
    return read_csv(path, limits)


# CSV -----------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileError(_("The file says it is UTF-16 text but cannot be read as such.")) from None
    if b"\x00" in data[:65536]:
        raise FileError(_("The file is not text: it contains binary data. Upload a CSV or XLSX file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_error = error
    # Persian Excel saves "CSV" in Windows-1256; accept it only if it reads as text.
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = None
    if text is None or len(_CONTROL.findall(text[:65536])) > 0 or not _reads_as_persian(text):
        raise FileError(
            _("The file is not UTF-8 text (byte %(position)d); save it as «CSV UTF-8».")
            % {"position": utf8_error.start + 1}
        )
    return text


# What Persian text in Windows-1256 holds beyond ASCII: Arabic letters, the Persian ones,
# Persian punctuation, the zero-width (non-)joiner, guillemets and the no-break space.
_PERSIAN_1256 = frozenset(
    [chr(c) for c in range(0x0621, 0x064B)]
    + list("\u067e\u0686\u0698\u06af\u06a9\u060c\u061b\u061f")
    + list("\u200c\u200d\u00a0«»")
)


def _reads_as_persian(text: str) -> bool:
    """Windows-1256 maps every byte to something: accept it only when nearly all that is not ASCII
    reads as Persian, so a file in another code page (Cyrillic, Chinese, Western) is refused rather
    than loaded as gibberish."""
    others = [c for c in text[:1_000_000] if ord(c) > 127]
    if not others:
        return True
    return sum(1 for c in others if c in _PERSIAN_1256) >= 0.95 * len(others)


def read_csv(path: Path, limits: Limits | None = None) -> Table:
    limits = limits or Limits.from_settings()
    text = _decode(Path(path).read_bytes())
    if not text.strip():
        raise FileError(_("The file is empty."))
    if len(_CONTROL.findall(text[:65536])) > 0:
        raise FileError(_("The file is not text: it contains control characters. Upload a CSV or XLSX file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    csv.field_size_limit(limits.max_cell_chars + 1)
    max_rows, max_columns = limits.max_rows, limits.max_columns
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = None
    rows = []
    try:
        for cells in reader:
            if header is None:
                if not any(cell.strip() for cell in cells):
                    continue
                header = [cell.replace("\ufeff", "").strip() for cell in cells]
                if len(header) > max_columns:
                    raise FileError(
                        _("The file has %(count)d columns; at most %(max)d are allowed.")
                        % {"count": len(header), "max": max_columns}
                    )
                continue
            if len(rows) >= max_rows:
                raise FileError(_("The file has more than %(max)d rows; split it.") % {"max": max_rows})
            if len(cells) > max_columns:
                raise FileError(
                    _("Line %(line)d has %(count)d cells; at most %(max)d columns are allowed.")
                    % {"line": reader.line_num, "count": len(cells), "max": max_columns}
                )
            rows.append((reader.line_num, cells))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise FileError(
                _("Line %(line)d has a cell longer than %(max)d characters; at most %(max)d are read.")
                % {"line": reader.line_num, "max": limits.max_cell_chars}
            ) from None
        raise FileError(
            _("Line %(line)d cannot be read as CSV: %(error)s") % {"line": reader.line_num, "error": error}
        ) from None
    if header is None:
        raise FileError(_("The file is empty."))
    return Table("csv", header, rows)


# XLSX ----------------------------------------------------------------------------------------

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{1,3}[0-9]{1,7})"')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\s[^>]*?r:id="([^"]+)"')
_REL = re.compile(rb'<Relationship\s[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"')
_REL_REVERSED = re.compile(rb'<Relationship\s[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"')


def _first_sheet_member(archive: zipfile.ZipFile) -> str | None:
    """The zip member of the workbook's first sheet (the one imported)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    sheets = _SHEET.findall(workbook)
    if not sheets:
        return None
    targets = dict(_REL.findall(rels))
    targets.update({rid: target for target, rid in _REL_REVERSED.findall(rels)})
    target = targets.get(sheets[0])
    if target is None:
        return None
    target = target.decode()
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def check_xlsx(path: Path, limits: Limits | None = None) -> None:
    """Refuse zip bombs, DTDs, formulas and sheets larger than the limits before anything parses
    the workbook."""
    limits = limits or Limits.from_settings()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileError(_("The file is not a valid XLSX workbook (the zip container is damaged).")) from None
    max_unpacked = limits.max_unpacked_bytes
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise FileError(_("The workbook has too many parts (%(count)d).") % {"count": len(members)})
        if "xl/workbook.xml" not in archive.namelist():
            raise FileError(_("The file is a zip archive but not an Excel workbook."))
        declared = sum(m.file_size for m in members)
        if declared > max_unpacked:
            raise FileError(
                _("The workbook unpacks to %(size)d MB; at most %(max)d MB is accepted.")
                % {"size": declared // 2**20, "max": max_unpacked // 2**20}
            )
        sheet = _first_sheet_member(archive)
        total = 0
        for member in members:
            if member.flag_bits & 0x1:
                raise FileError(_("The workbook is encrypted; remove the password and upload it again."))
            if member.file_size > RATIO_CHECK_FROM and member.file_size > MAX_MEMBER_RATIO * max(
                member.compress_size, 1
            ):
                raise FileError(
                    _("The workbook part %(name)s is compressed %(ratio)d times: this looks like a zip bomb.")
                    % {"name": member.filename, "ratio": member.file_size // max(member.compress_size, 1)}
                )
            area = SheetArea(limits) if member.filename == sheet else None
            total += _scan_member(archive, member, area=area)
            if area is not None:
                area.check_rectangle()
            if total > max_unpacked:
                raise FileError(
                    _("The workbook unpacks to more than %(max)d MB.") % {"max": max_unpacked // 2**20}
                )


_TAG = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)")
_FAST_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s[^>]*?ref="([^"]*)"')
_R_ATTRIBUTE = re.compile(rb'(?:^|\s)r="([^"]*)"')
_REF_PARTS = re.compile(rb"^\$?([A-Z]{1,4})\$?([0-9]{1,8})$")
# A sheet's cells are read as the rectangle from the first to the last one: it may be at most this
# many times larger than the cells the sheet really has (or this many cells, whichever is more).
SPARSE_FACTOR, SPARSE_ALLOWANCE = 8, 1_000_000


class SheetArea:
    """The rows and columns a sheet's XML uses, followed tag by tag as the sheet is unpacked.

    A row or a cell without an `r` attribute follows the one before it, as Excel reads it.
    """

    def __init__(self, limits: Limits):
        self.limits = limits
        self.row, self.column, self.cells = 0, -1, 0
        self.in_data = False
        self.min_row = self.min_column = None
        self.max_row = self.max_column = 0

    def feed(self, window: bytes) -> None:
        """Read the tags of `window` (complete tags only; the caller keeps any unfinished one).

        The fast way reads every cell's reference with one regular expression; a sheet with a
        cell or row that has no reference (or a strange one) is followed tag by tag instead.
        """
        if not self.in_data:  # the dimension comes before the sheet's data
            if (dimension := _DIMENSION.search(window)) is not None:
                self._check_dimension(dimension.group(1))
            self.in_data = b"sheetData" in window
        found = _FAST_REF.findall(window)
        cells = window.count(b"<c ") + window.count(b"<c>") + window.count(b"<c/>")
        if not found and not cells:
            return
        if len(found) != cells:  # a cell without a reference, or a namespace prefix
            self._feed_slowly(window)
            return
        self.cells += len(found)
        letters = {column for column, _row in found}
        numbers = list(map(int, [row for _column, row in found]))
        columns = [column_index(column.decode()) for column in letters]
        low_row, high_row = min(numbers), max(numbers)
        low_column, high_column = min(columns), max(columns)
        try:
            self._take(low_row, low_column)
            self._take(high_row, high_column)
        except FileError:  # name the very cell: read this part again tag by tag
            self.cells -= len(found)
            self._feed_slowly(window)
            raise
        self.row, self.column = int(found[-1][1]), column_index(found[-1][0].decode())

    def _feed_slowly(self, window: bytes) -> None:
        for match in _TAG.finditer(window):
            kind, attributes = match.group(1), match.group(2)
            found = _R_ATTRIBUTE.search(attributes)
            reference = found.group(1) if found else None
            if kind == b"row":
                self.row = self._row_number(reference) if reference else self.row + 1
                self.column = -1
            elif kind == b"c":
                self.cells += 1
                if reference:
                    column, row = self._cell(reference)
                    self.row, self.column = row, column
                else:
                    self.column += 1
                self._take(self.row, self.column)

    def _row_number(self, reference: bytes) -> int:
        if not reference.isdigit():
            raise FileError(
                _("The sheet has a row numbered «%(row)s»; the file is damaged.")
                % {"row": reference.decode(errors="replace")}
            )
        return int(reference)

    def _cell(self, reference: bytes) -> tuple[int, int]:
        parts = _REF_PARTS.match(reference)
        if not parts:
            raise FileError(
                _("The sheet has a cell named «%(cell)s»; the file is damaged.")
                % {"cell": reference.decode(errors="replace")[:20]}
            )
        return column_index(parts.group(1).decode()), int(parts.group(2))

    def _take(self, row: int, column: int) -> None:
        limits = self.limits
        if row < 1 or row > EXCEL_ROWS or column >= EXCEL_COLUMNS or column < 0:
            raise FileError(
                _("The sheet has a cell at %(cell)s, outside a worksheet's grid; the file is damaged.")
                % {"cell": f"{column_letter(max(column, 0))}{row}"}
            )
        if row > limits.max_rows + 1 or column >= limits.max_columns * 10:
            raise FileError(self._outside(f"{column_letter(column)}{row}"))
        self.min_row = row if self.min_row is None else min(self.min_row, row)
        self.min_column = column if self.min_column is None else min(self.min_column, column)
        self.max_row, self.max_column = max(self.max_row, row), max(self.max_column, column)
        if self.max_column - self.min_column + 1 > limits.max_columns:
            raise FileError(
                _("The sheet has %(count)d columns; at most %(max)d are allowed.")
                % {"count": self.max_column - self.min_column + 1, "max": limits.max_columns}
            )

    def _outside(self, where: str) -> str:
        return _(
            "The sheet uses cell %(cell)s, beyond what an import reads (a header and %(rows)d rows,"
            " %(columns)d columns, nothing past column %(last)s). Delete everything outside the table"
            " and save it again."
        ) % {
            "cell": where,
            "rows": self.limits.max_rows,
            "columns": self.limits.max_columns,
            "last": column_letter(self.limits.max_columns * 10 - 1),
        }

    def _check_dimension(self, ref: bytes) -> None:
        """The area the sheet declares (<dimension ref="A1:D20"/>) must be within the limits too."""
        ends = [self._cell(end) for end in ref.split(b":") if end]
        if not ends:
            return
        for column, row in ends:
            if (
                row > self.limits.max_rows + 1
                or column >= self.limits.max_columns * 10
                or column >= EXCEL_COLUMNS
            ):
                raise FileError(self._outside(ref.decode()))
        if len(ends) == 2 and ends[1][0] - ends[0][0] + 1 > self.limits.max_columns:
            raise FileError(
                _("The sheet has %(count)d columns; at most %(max)d are allowed.")
                % {"count": ends[1][0] - ends[0][0] + 1, "max": self.limits.max_columns}
            )

    def check_rectangle(self) -> None:
        """Refuse a sheet whose few cells span a huge rectangle (A1 and CV1000000, say)."""
        if self.min_row is None:
            return
        rows = self.max_row - self.min_row + 1
        columns = self.max_column - self.min_column + 1
        if rows * columns > max(SPARSE_FACTOR * self.cells, SPARSE_ALLOWANCE):
            raise FileError(
                _(
                    "The sheet has %(cells)d cells spread from %(first)s to %(last)s; reading it would"
                    " take %(area)d cells. Delete everything outside the table and save it again."
                )
                % {
                    "cells": self.cells,
                    "first": f"{column_letter(self.min_column)}{self.min_row}",
                    "last": f"{column_letter(self.max_column)}{self.max_row}",
                    "area": rows * columns,
                }
            )


def _scan_member(archive, member, *, area: SheetArea | None = None) -> int:
    """Decompress one member as a stream; its real size must match what the zip declares."""
    size, tail, first = 0, b"", True
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > member.file_size:
                    raise FileError(
                        _("The workbook part %(name)s is larger than it declares.")
                        % {"name": member.filename}
                    )
                if member.filename.endswith((".xml", ".rels")):
                    window = tail + chunk
                    if first and b"<!DOCTYPE" in window[:4096].upper():
                        raise FileError(
                            _("The workbook contains a document type declaration (DTD), which is refused.")
                        )
                    first = False
                    if area is not None and (match := _FORMULA.search(window)):
                        refs = _CELL_REF.findall(window[: match.start()])
                        cell = refs[-1].decode() if refs else "?"
                        raise FileError(
                            _(
                                "Cell %(cell)s contains a formula; imports take values only. Copy the sheet and paste it as values."
                            )
                            % {"cell": cell}
                        )
                    if area is not None:
                        # Read up to the last complete tag; keep the rest for the next chunk.
                        cut = window.rfind(b">") + 1
                        area.feed(window[:cut])
                        tail = window[cut:]
                        if len(tail) > 1 << 20:  # no tag or text of a sheet is a megabyte long
                            raise FileError(
                                _("The workbook part %(name)s is damaged.") % {"name": member.filename}
                            )
                    else:
                        tail = window[-256:]
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        if isinstance(error, FileError):
            raise
        raise FileError(_("The workbook part %(name)s is damaged.") % {"name": member.filename}) from None
    return size


def read_xlsx(path: Path, limits: Limits | None = None) -> Table:
    import python_calamine

    limits = limits or Limits.from_settings()
    check_xlsx(path, limits)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own errors and, for damaged parts, plain ones
        raise FileError(
            _("The workbook cannot be read; open it in Excel and save it again as .xlsx.")
        ) from None
    with workbook:
        if not workbook.sheet_names:
            raise FileError(_("The workbook has no sheets."))
        try:
            sheet = workbook.get_sheet_by_index(0)
        except Exception:
            raise FileError(_("The first sheet of the workbook cannot be read.")) from None
        if sheet.total_width > limits.max_columns * 10 or sheet.width > limits.max_columns:
            raise FileError(
                _("The sheet has %(count)d columns; at most %(max)d are allowed.")
                % {"count": sheet.width, "max": limits.max_columns}
            )
        if sheet.height > limits.max_rows + 1:
            raise FileError(_("The sheet has more than %(max)d rows; split it.") % {"max": limits.max_rows})
        start = sheet.start
        first_column = start[1] if start else 0
        header, rows = None, []
        try:
            for index, cells in enumerate(sheet.iter_rows()):
                if header is None:
                    if any(not _blank(c) for c in cells):
                        header = [str(c).strip() if not _blank(c) else "" for c in cells]
                    continue
                rows.append((index + 1, cells))
        except Exception:
            raise FileError(
                _("The sheet cannot be read; open it in Excel and save it again as .xlsx.")
            ) from None
    if header is None:
        raise FileError(_("The file is empty."))
    return Table("xlsx", header, rows, first_column=first_column, sheet=sheet.name)


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
