"""Reading CSV and XLSX files that people upload, guarded against hostile ones.

Before python-calamine loads a workbook (it keeps the whole sheet in memory), the zip is checked
member by member: the real decompressed sizes (not the sizes the zip declares), the compression
ratio, the number of members, no DTD in any XML part, and no formulas in the sheet that is read.
CSV is checked for binary content, decoded as UTF-8 (or Windows-1256, which Persian Excel writes)
and split with the delimiter it uses. Rows and columns are capped.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # compressed → uncompressed; real sheets are 5–30×, zip bombs 1000× and more
RATIO_CHECK_FROM = 2 * 1024 * 1024  # small members (styles, a short sheet) may compress very well
MAX_MEMBERS = 2000
MAX_ROWS = 1_000_000
MAX_COLUMNS = 100
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


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def read_table(path: Path, name: str | None = None) -> Table:
    """Read a CSV or XLSX file, deciding by its content (a misnamed file is still read right)."""
    path = Path(path)
    name = name or path.name
    size = path.stat().st_size
    if size == 0:
        raise FileError(_("The file is empty."))
    if size > MAX_FILE_BYTES:
        raise FileError(
            _("The file is %(size)d MB; at most %(max)d MB can be imported.")
            % {"size": size // 2**20, "max": MAX_FILE_BYTES // 2**20}
        )
    with open(path, "rb") as handle:
        head = handle.read(8)
    lower = name.lower()
    if head.startswith(XLSX_MAGIC):
        return read_xlsx(path)
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
    return read_csv(path)


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
    if text is None or len(_CONTROL.findall(text[:65536])) > 0:
        raise FileError(
            _("The file is not UTF-8 text (byte %(position)d); save it as «CSV UTF-8».")
            % {"position": utf8_error.start + 1}
        )
    return text


def read_csv(path: Path) -> Table:
    text = _decode(Path(path).read_bytes())
    if not text.strip():
        raise FileError(_("The file is empty."))
    if len(_CONTROL.findall(text[:65536])) > 0:
        raise FileError(_("The file is not text: it contains control characters. Upload a CSV or XLSX file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    csv.field_size_limit(1_000_000)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = None
    rows = []
    try:
        for cells in reader:
            if header is None:
                if not any(cell.strip() for cell in cells):
                    continue
                header = [cell.replace("\ufeff", "").strip() for cell in cells]
                if len(header) > MAX_COLUMNS:
                    raise FileError(
                        _("The file has %(count)d columns; at most %(max)d are allowed.")
                        % {"count": len(header), "max": MAX_COLUMNS}
                    )
                continue
            if len(rows) >= MAX_ROWS:
                raise FileError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
            rows.append((reader.line_num, cells))
    except csv.Error as error:
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


def check_xlsx(path: Path) -> None:
    """Refuse zip bombs, DTDs and formulas before anything parses the workbook."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileError(_("The file is not a valid XLSX workbook (the zip container is damaged).")) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise FileError(_("The workbook has too many parts (%(count)d).") % {"count": len(members)})
        if "xl/workbook.xml" not in archive.namelist():
            raise FileError(_("The file is a zip archive but not an Excel workbook."))
        declared = sum(m.file_size for m in members)
        if declared > MAX_UNCOMPRESSED_BYTES:
            raise FileError(
                _("The workbook unpacks to %(size)d MB; at most %(max)d MB is accepted.")
                % {"size": declared // 2**20, "max": MAX_UNCOMPRESSED_BYTES // 2**20}
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
            total += _scan_member(archive, member, is_sheet=member.filename == sheet)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise FileError(
                    _("The workbook unpacks to more than %(max)d MB.")
                    % {"max": MAX_UNCOMPRESSED_BYTES // 2**20}
                )


def _scan_member(archive, member, *, is_sheet: bool) -> int:
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
                    if is_sheet and (match := _FORMULA.search(window)):
                        refs = _CELL_REF.findall(window[: match.start()])
                        cell = refs[-1].decode() if refs else "?"
                        raise FileError(
                            _(
                                "Cell %(cell)s contains a formula; imports take values only. Copy the sheet and paste it as values."
                            )
                            % {"cell": cell}
                        )
                    tail = window[-256:]
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        if isinstance(error, FileError):
            raise
        raise FileError(_("The workbook part %(name)s is damaged.") % {"name": member.filename}) from None
    return size


def read_xlsx(path: Path) -> Table:
    import python_calamine

    check_xlsx(path)
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
        if sheet.total_width > MAX_COLUMNS * 10 or sheet.width > MAX_COLUMNS:
            raise FileError(
                _("The sheet has %(count)d columns; at most %(max)d are allowed.")
                % {"count": sheet.width, "max": MAX_COLUMNS}
            )
        if sheet.height > MAX_ROWS + 1:
            raise FileError(_("The sheet has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
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
