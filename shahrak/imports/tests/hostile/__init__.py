"""A corpus of hostile files that grows with every bug found in the import path.

Each entry is made by code at run time (no committed binaries): a file name, a function that
writes the file, the start of the message that must refuse it, and the limits (settings) in force.
test_corpus.py reads every file through the importer, `shahrak import` and the web upload.
To add a case: add an entry to CORPUS naming the bug it comes from.
"""

import random
import zipfile

CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
WORKBOOK = (
    b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    b"</Relationships>"
)
HEADER = ["national_id", "name", "county", "isic", "employees"]


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(sheet_data: str, *, dimension: str | None = None, shared: bytes | None = None, refs=True):
    """A minimal, valid XLSX whose first sheet holds `sheet_data` (the <row> elements)."""
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{head}<sheetData>{sheet_data}</sheetData></worksheet>"
    ).encode()
    if not refs:
        sheet = sheet.replace(b' r="', b' x="')

    def make(path):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", CONTENT_TYPES)
            archive.writestr("_rels/.rels", ROOT_RELS)
            archive.writestr("xl/workbook.xml", WORKBOOK)
            archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
            archive.writestr(
                "xl/sharedStrings.xml",
                shared
                or b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
            )
        return path

    return make


def header_row() -> str:
    return (
        '<row r="1">' + "".join(inline(f"{chr(65 + i)}1", name) for i, name in enumerate(HEADER)) + "</row>"
    )


def raw(data: bytes):
    def make(path):
        path.write_bytes(data)
        return path

    return make


def text(content: str, encoding: str):
    return raw(content.encode(encoding))


def huge_shared_strings():
    """100 MB of shared strings that zip to about 100 KB: sharedStrings.xml, not the sheet."""
    strings = b"<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>" * 2_500_000
    shared = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + strings
        + b"</sst>"
    )
    return workbook(header_row() + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', shared=shared)


CSV_HEADER = ",".join(HEADER) + "\n"
PERSIAN_ROW = "10100000017,واحد نمونه,2301,1079,12\n"

# name: (file name, builder, the start of the refusal (English), setting overrides)
CORPUS = {
    # issue 11 item 1: one cell at XFD1048576 (2 KB) made the reader allocate 512 GiB and abort
    "xfd1048576-only-cell": (
        "units.xlsx",
        workbook('<row r="1048576">' + inline("XFD1048576", "x") + "</row>"),
        "The sheet uses cell XFD1048576, beyond what an import reads",
        {},
    ),
    "a1-and-xfd1048576": (
        "units.xlsx",
        workbook(header_row() + '<row r="1048576">' + inline("XFD1048576", "x") + "</row>"),
        "The sheet uses cell XFD1048576, beyond what an import reads",
        {},
    ),
    "declared-dimension-a1-xfd1048576": (
        "units.xlsx",
        workbook(header_row(), dimension="A1:XFD1048576"),
        "The sheet uses cell A1:XFD1048576, beyond what an import reads",
        {},
    ),
    "last-row-of-the-grid": (
        "units.xlsx",
        workbook(header_row() + '<row r="1048576">' + inline("A1048576", "x") + "</row>"),
        "The sheet uses cell A1048576, beyond what an import reads",
        {},
    ),
    "sparse-rectangle-a1-cv1000001": (
        "units.xlsx",
        workbook(header_row() + '<row r="1000001">' + inline("CV1000001", "x") + "</row>"),
        "The sheet has 6 cells spread from A1 to CV1000001; reading it would take 100000100 cells.",
        {},
    ),
    "cells-without-references-far-right": (
        "units.xlsx",
        workbook(
            header_row() + '<row r="2">' + "".join(inline(f"A{i}", "x") for i in range(1, 200)) + "</row>",
            refs=False,
        ),
        "The sheet has 101 columns; at most 100 are allowed.",
        {},
    ),
    "damaged-cell-reference": (
        "units.xlsx",
        workbook(header_row() + '<row r="2">' + inline("A0", "x") + "</row>"),
        "The sheet has a cell at A0, outside a worksheet's grid; the file is damaged.",
        {},
    ),
    "huge-shared-strings": (
        "units.xlsx",
        huge_shared_strings(),
        "The workbook part xl/sharedStrings.xml is compressed",
        {},
    ),
    "rows-over-the-limit-xlsx": (
        "units.xlsx",
        workbook(header_row() + "".join(f'<row r="{r}">{inline(f"A{r}", "x")}</row>' for r in range(2, 13))),
        "The sheet uses cell A12, beyond what an import reads (a header and 10 rows",
        {"IMPORT_MAX_ROWS": 10},
    ),
    "columns-over-the-limit-xlsx": (
        "units.xlsx",
        workbook(header_row()),
        "The sheet has 5 columns; at most 4 are allowed.",
        {"IMPORT_MAX_COLUMNS": 4},
    ),
    "bytes-over-the-limit-xlsx": (
        "units.xlsx",
        workbook(header_row()),
        "The file is ",
        {"IMPORT_MAX_BYTES": 500},
    ),
    "non-zip-named-xlsx": (
        "units.xlsx",
        raw(random.Random(11).randbytes(2048)),
        "The file is named units.xlsx but is not an Excel workbook (.xlsx).",
        {},
    ),
    "zip-magic-then-garbage": (
        "units.xlsx",
        raw(b"PK\x03\x04" + random.Random(12).randbytes(2048)),
        "The file is not a valid XLSX workbook (the zip container is damaged).",
        {},
    ),
    "empty-xlsx-file": ("units.xlsx", raw(b""), "The file is empty.", {}),
    "empty-csv-file": ("units.csv", raw(b""), "The file is empty.", {}),
    "bom-only-csv": ("units.csv", raw(b"\xef\xbb\xbf"), "The file is empty.", {}),
    "csv-with-a-10-mb-cell": (
        "units.csv",
        raw((CSV_HEADER + "10100000017," + "ن" * 5_000_000 + ",2301,1079,12\n").encode()),
        "Line 2 has a cell longer than 100000 characters",
        {},
    ),
    "csv-with-a-10-mb-line-of-commas": (
        "units.csv",
        raw((CSV_HEADER + "1" + "," * 10_000_000 + "\n").encode()),
        "Line 2 has 10000001 cells; at most 100 columns are allowed.",
        {},
    ),
    "rows-over-the-limit-csv": (
        "units.csv",
        raw((CSV_HEADER + PERSIAN_ROW * 11).encode()),
        "The file has more than 10 rows; split it.",
        {"IMPORT_MAX_ROWS": 10},
    ),
    "bytes-over-the-limit-csv": (
        "units.csv",
        raw((CSV_HEADER + PERSIAN_ROW * 40).encode()),
        "The file is 1.8 KB; at most 1000 bytes can be imported.",
        {"IMPORT_MAX_BYTES": 1000},
    ),
    "wrong-encoding-gb18030": (
        "units.csv",
        text(CSV_HEADER + "10100000017,中文工厂名称,2301,1079,12\n", "gb18030"),
        "The file is not UTF-8 text (byte 52); save it as «CSV UTF-8».",
        {},
    ),
    "wrong-encoding-koi8-r": (
        "units.csv",
        text(CSV_HEADER + "10100000017,Завод имени Ленина,2301,1079,12\n", "koi8-r"),
        "The file is not UTF-8 text (byte 52); save it as «CSV UTF-8».",
        {},
    ),
    "wrong-encoding-utf16-without-bom": (
        "units.csv",
        text(CSV_HEADER + PERSIAN_ROW, "utf-16-le"),
        "The file is not text: it contains binary data.",
        {},
    ),
    "wrong-encoding-utf32": (
        "units.csv",
        text(CSV_HEADER + PERSIAN_ROW, "utf-32"),
        "The file is not text: it contains control characters.",
        {},
    ),
}
