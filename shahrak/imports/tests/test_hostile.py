"""A corpus of malformed and hostile files, made at run time: each is refused with a precise error,
within seconds, and nothing is written."""

import io
import random
import time
import zipfile

import pytest
from django.utils import translation

from shahrak.imports.importer import import_file
from tests.factories import national_id

from .helpers import write_csv, write_xlsx
from .sample import build_world, snapshot

pytestmark = pytest.mark.django_db

ID = national_id(7001)
ID2 = national_id(7002)
UNITS = ["national_id", "name", "estate", "county", "isic", "knowledge_based_since", "employees"]
PAYMENTS = ["project", "date", "amount_rials", "funding_source", "reference"]
EVENTS = ["unit", "date", "kind", "cause", "jobs"]


def unit_row(**changes):
    row = {"national_id": ID, "name": "واحد", "estate": "TH-001", "county": "", "isic": "1079",
           "knowledge_based_since": "", "employees": "12"}  # fmt: skip
    row.update(changes)
    return [row[c] for c in UNITS]


def csv_units(*rows, header=UNITS):
    return lambda path: write_csv(path, [header, *rows])


def raw(data: bytes):
    def make(path):
        path.write_bytes(data)
        return path

    return make


def xlsx(rows, **kwargs):
    return lambda path: write_xlsx(path, rows, **kwargs)


def zip_of(members: dict, compression=zipfile.ZIP_DEFLATED):
    def make(path):
        with zipfile.ZipFile(path, "w", compression) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return path

    return make


def rewritten_xlsx(rows, member: str, change):
    """A real workbook with one part changed (a DTD put in, say)."""

    def make(path):
        write_xlsx(path, rows)
        with zipfile.ZipFile(path) as source:
            parts = {info.filename: source.read(info.filename) for info in source.infolist()}
        parts[member] = change(parts[member])
        path.unlink()
        return zip_of(parts)(path)

    return make


def truncated_xlsx(path):
    write_xlsx(path, [UNITS, unit_row()])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


WORKBOOK = (
    b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
)

# name: (file name, builder, expected message (exact line, or a part of it), import options)
CASES = {
    "empty": ("units.csv", raw(b""), "units.csv: The file is empty.", {}),
    "blank-lines": ("units.csv", raw(b"\r\n\r\n  \r\n"), "units.csv: The file is empty.", {}),
    "header-only": ("units.csv", csv_units(), "units.csv: The file has a header but no rows.", {}),
    "binary-garbage": (
        "units.csv",
        raw(random.Random(1).randbytes(4096)),
        "units.csv: The file is not text: it contains binary data. Upload a CSV or XLSX file.",
        {},
    ),
    "png-as-csv": (
        "units.csv",
        raw(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64),
        "units.csv: The file is not text: it contains binary data.",
        {},
    ),
    "control-characters": (
        "units.csv",
        raw(b"national_id,name\x07\x1b[31m\n1,2\n"),
        "units.csv: The file is not text: it contains control characters.",
        {},
    ),
    "nul-in-a-cell": (
        "units.csv",
        raw(("\n".join([",".join(UNITS), ",".join(unit_row(name="a\x00b"))])).encode()),
        "units.csv: The file is not text: it contains binary data.",
        {},
    ),
    "pdf-named-exe": (
        "units.exe",
        raw(b"%PDF-1.4 hello"),
        "units.exe: Only CSV and XLSX files can be imported, not units.exe.",
        {},
    ),
    "old-xls": (
        "units.xls",
        raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512),
        "units.xls: This is an old Excel (.xls) file or another binary document; save it as .xlsx or CSV.",
        {},
    ),
    "broken-quotes": (
        "units.csv",
        raw(f'{",".join(UNITS)}\n{ID},"never closed,TH-001\n'.encode()),
        "units.csv: Line 2 cannot be read as CSV:",
        {},
    ),
    "wrong-columns": (
        "units.csv",
        csv_units(["red", "2"], header=["colour", "size"]),
        "units.csv: Cannot tell which record type this file holds from its header",
        {},
    ),
    "missing-key-column": (
        "units.csv",
        csv_units(["x", "12"], header=["name", "employees"]),
        "units.csv, row 1: The column «National ID» is missing: it identifies each record.",
        {"resource": "units"},
    ),
    "unknown-column": (
        "units.csv",
        csv_units([*unit_row(), "blue"], header=[*UNITS, "colour"]),
        "units.csv, row 1, column H (colour): Unknown column «colour» for production units",
        {},
    ),
    "duplicate-column": (
        "units.csv",
        csv_units([*unit_row(), "x"], header=[*UNITS, "نام واحد"]),
        "units.csv, row 1, column H (نام واحد): Column «نام واحد» appears twice (also column B).",
        {},
    ),
    "value-without-header": (
        "units.csv",
        csv_units([*unit_row(), "stray"]),
        "units.csv, row 2: Cell H2 has a value but its column has no header.",
        {},
    ),
    "too-many-columns": (
        "units.csv",
        csv_units(["x"] * 150, header=[f"c{i}" for i in range(150)]),
        "units.csv: The file has 150 columns; at most 100 are allowed.",
        {},
    ),
    "esfand-30-of-1401": (
        "units.csv",
        csv_units(unit_row(knowledge_based_since="1401-12-30")),
        "units.csv, row 2, column F (knowledge_based_since): «1401-12-30» does not exist: Esfand 1401 has 29 days.",
        {},
    ),
    "month-13": (
        "units.csv",
        csv_units(unit_row(knowledge_based_since="1400/13/01")),
        "units.csv, row 2, column F (knowledge_based_since): «1400/13/01»: there is no month 13.",
        {},
    ),
    "february-29-2023": (
        "units.csv",
        csv_units(unit_row(knowledge_based_since="2023-02-29")),
        "units.csv, row 2, column F (knowledge_based_since): «2023-02-29» is not a valid Gregorian date.",
        {},
    ),
    "day-month-year": (
        "units.csv",
        csv_units(unit_row(knowledge_based_since="30/12/1401")),
        "units.csv, row 2, column F (knowledge_based_since): «30/12/1401» is not a date",
        {},
    ),
    "negative-rials": (
        "payments.csv",
        lambda p: write_csv(p, [PAYMENTS, ["PRJ-T-1", "1401/05/01", "-2,500", "internal", ""]]),
        "payments.csv, row 2, column C (amount_rials): An amount of rials cannot be negative (-2500).",
        {},
    ),
    "overflowing-rials": (
        "payments.csv",
        lambda p: write_csv(
            p, [PAYMENTS, ["PRJ-T-1", "1401/05/01", "9,223,372,036,854,775,808", "internal", ""]]
        ),
        "payments.csv, row 2, column C (amount_rials): 9223372036854775808 rials is too large to store",
        {},
    ),
    "zero-rials-payment": (
        "payments.csv",
        lambda p: write_csv(p, [PAYMENTS, ["PRJ-T-1", "1401/05/01", "0", "internal", ""]]),
        "payments.csv, row 2, column C (amount_rials): The amount must be at least 1 rials.",
        {},
    ),
    "rials-with-words": (
        "payments.csv",
        lambda p: write_csv(p, [PAYMENTS, ["PRJ-T-1", "1401/05/01", "۴۰ هزار میلیارد", "internal", ""]]),
        "payments.csv, row 2, column C (amount_rials): «۴۰ هزار میلیارد» is not a whole number.",
        {},
    ),
    "duplicate-keys": (
        "units.csv",
        csv_units(unit_row(), unit_row(name="دوباره")),
        "units.csv, row 3, column A (national_id): The same record is already in row 2 of this file.",
        {},
    ),
    "check-digit": (
        "units.csv",
        csv_units(unit_row(national_id=ID[:10] + str((int(ID[10]) + 1) % 10))),
        f"units.csv, row 2, column A (national_id): The check digit of national ID {ID[:10] + str((int(ID[10]) + 1) % 10)} is wrong.",
        {},
    ),
    "short-national-id": (
        "units.csv",
        csv_units(unit_row(national_id="1234567890")),
        "units.csv, row 2, column A (national_id): «1234567890» is not a national ID: it must have exactly 11 digits.",
        {},
    ),
    "unknown-estate": (
        "units.csv",
        csv_units(unit_row(estate="NOWHERE")),
        "units.csv, row 2, column C (estate): No estate has the code «NOWHERE».",
        {},
    ),
    "unknown-isic": (
        "units.csv",
        csv_units(unit_row(isic="0000")),
        "units.csv, row 2, column E (isic): No ISIC class has the ISIC Rev.4 code «0000».",
        {},
    ),
    "formula-hyperlink": (
        "units.csv",
        csv_units(unit_row(name='=HYPERLINK("http://evil.example","x")')),
        'units.csv, row 2, column B (name): «=HYPERLINK("http://evil.example","x")» looks like a spreadsheet formula',
        {},
    ),
    "formula-dde": (
        "units.csv",
        csv_units(unit_row(name="+cmd|' /C calc'!A0")),
        "units.csv, row 2, column B (name): «+cmd|' /C calc'!A0» looks like a spreadsheet formula",
        {},
    ),
    "formula-at": (
        "units.csv",
        csv_units(unit_row(name="@SUM(1+9)*cmd|' /C calc'!A0")),
        "units.csv, row 2, column B (name): «@SUM(1+9)*cmd|' /C calc'!A0» looks like a spreadsheet formula",
        {},
    ),
    "formula-minus": (
        "units.csv",
        csv_units(unit_row(name="-2+3+cmd|' /C calc'!A0")),
        "units.csv, row 2, column B (name): «-2+3+cmd|' /C calc'!A0» looks like a spreadsheet formula",
        {},
    ),
    "devanagari-digits": (
        "units.csv",
        csv_units(unit_row(employees="१२")),
        "units.csv, row 2, column G (employees): «१२» is not a whole number.",
        {},
    ),
    "full-width-digits": (
        "units.csv",
        csv_units(unit_row(employees="１２")),
        "units.csv, row 2, column G (employees): «１２» is not a whole number.",
        {},
    ),
    "fractional-employees": (
        "units.csv",
        csv_units(unit_row(employees="12.5")),
        "units.csv, row 2, column G (employees): «12.5» is not a whole number.",
        {},
    ),
    "no-employees": (
        "units.csv",
        csv_units(unit_row(employees="0")),
        "units.csv, row 2, column G (employees): 0 is below the smallest allowed value, 1.",
        {},
    ),
    "very-long-name": (
        "units.csv",
        csv_units(unit_row(name="ن" * 3000)),
        "units.csv, row 2, column B (name): The text is 3000 characters long; at most 250 are allowed.",
        {},
    ),
    "idled-without-cause": (
        "events.csv",
        lambda p: write_csv(p, [EVENTS, ["{unit}", "1401/05/01", "idled", "", ""]]),
        "events.csv, row 2, column D (cause): A cause of idling is given for an «idled» event, and only for it.",
        {},
    ),
    "unknown-event": (
        "events.csv",
        lambda p: write_csv(p, [EVENTS, ["{unit}", "1401/05/01", "bankrupt", "", ""]]),
        "events.csv, row 2, column C (kind): «bankrupt» is not one of: established, idled, revived, closed.",
        {},
    ),
    "event-before-establishment": (
        "events.csv",
        lambda p: write_csv(p, [EVENTS, ["{unit}", "1399/01/01", "closed", "", ""]]),
        "events.csv, row 2, column B (date): An event cannot come before the unit was established.",
        {},
    ),
    "industrial-over-gross": (
        "estates.csv",
        lambda p: write_csv(
            p,
            [
                ["code", "name_fa", "kind", "county", "gross_area_ha", "industrial_area_ha"],
                ["TH-9", "ش", "park", "2301", "10", "20"],
            ],
        ),
        "estates.csv, row 2, column F (industrial_area_ha): Industrial land cannot exceed gross land.",
        {},
    ),
    "completed-without-end": (
        "projects.csv",
        lambda p: write_csv(
            p,
            [
                [
                    "code",
                    "estate",
                    "title",
                    "category",
                    "credit_rials",
                    "funding_source",
                    "start_date",
                    "status",
                ],
                ["P-9", "TH-001", "آب", "water", "10", "internal", "1401/01/01", "completed"],
            ],
        ),
        "projects.csv, row 2, column H (status): A completed project needs an actual end date.",
        {},
    ),
    "outside-the-officers-province": (
        "units.csv",
        csv_units(unit_row(estate="IS-001")),
        "units.csv, row 2, column C (estate): This production unit is outside your province (Tehran); you may only read it.",
        {"as": "officer"},
    ),
    "text-named-xlsx": (
        "units.xlsx",
        raw(b"national_id,name\n1,2\n"),
        "units.xlsx: The file is named units.xlsx but is not an Excel workbook (.xlsx).",
        {},
    ),
    "zip-not-workbook": (
        "units.xlsx",
        zip_of({"readme.txt": b"hello"}),
        "units.xlsx: The file is a zip archive but not an Excel workbook.",
        {},
    ),
    "truncated-xlsx": (
        "units.xlsx",
        truncated_xlsx,
        "units.xlsx: The file is not a valid XLSX workbook (the zip container is damaged).",
        {},
    ),
    "zip-bomb-xlsx": (
        "units.xlsx",
        zip_of(
            {
                "[Content_Types].xml": b"<Types/>",
                "xl/workbook.xml": WORKBOOK,
                "xl/_rels/workbook.xml.rels": RELS,
                "xl/worksheets/sheet1.xml": b"<worksheet>" + b"<row/>" * 12_000_000 + b"</worksheet>",
            }
        ),
        "units.xlsx: The workbook part xl/worksheets/sheet1.xml is compressed",
        {},
    ),
    "billion-laughs-xlsx": (
        "units.xlsx",
        rewritten_xlsx(
            [UNITS, unit_row()],
            "xl/worksheets/sheet1.xml",
            lambda xml: BILLION_LAUGHS + xml.split(b"?>", 1)[1],
        ),
        "units.xlsx: The workbook contains a document type declaration (DTD), which is refused.",
        {},
    ),
    "formula-cell-xlsx": (
        "units.xlsx",
        xlsx([UNITS, unit_row()], formulas={"G2": "=SUM(1,2)"}),
        "units.xlsx: Cell G2 contains a formula; imports take values only.",
        {},
    ),
    "empty-xlsx": ("units.xlsx", xlsx([]), "units.xlsx: The file is empty.", {}),
    "huge-float-xlsx": (
        "payments.xlsx",
        xlsx([PAYMENTS, ["PRJ-T-1", "1401/05/01", 1e17, "internal", ""]]),
        "payments.xlsx, row 2, column C (amount_rials): This number is too long to be stored exactly as a number; type it as text.",
        {},
    ),
    "wide-xlsx": (
        "units.xlsx",
        xlsx([[f"c{i}" for i in range(120)], ["x"] * 120]),
        "units.xlsx: The sheet has 120 columns; at most 100 are allowed.",
        {},
    ),
    "mixed-digits-bad-check": (
        "units.csv",
        csv_units(unit_row(national_id="۱۰۱00000٠١٧")),
        "units.csv, row 2, column A (national_id): The check digit of national ID 10100000017 is wrong.",
        {},
    ),
}


@pytest.fixture(scope="module")
def timings(pytestconfig):
    spent = {}
    yield spent
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if spent and reporter is not None:
        total = sum(spent.values())
        slowest = max(spent, key=spent.get)
        reporter.write_line(
            f"hostile corpus: {len(spent)} files in {total:.2f} s (slowest {slowest}: {spent[slowest]:.2f} s)"
        )


def test_the_corpus_has_at_least_forty_files():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused_and_nothing_is_written(case, tmp_path, request, timings, admin_user):
    name, build, expected, options = CASES[case]
    world = build_world()
    user = request.getfixturevalue(options.get("as", "admin_user"))
    path = build(tmp_path / name)
    if name.startswith("events"):  # the unit of the world, established on 2021-04-01
        path.write_text(
            path.read_text(encoding="utf-8").replace("{unit}", world.tehran_unit.national_id),
            encoding="utf-8",
        )
    before = snapshot()
    started = time.perf_counter()
    with translation.override("en"):
        result = import_file(path, user=user, resource=options.get("resource"))
        lines = result.error_lines()
    timings[case] = elapsed = time.perf_counter() - started
    assert not result.written
    assert any(line == expected or line.startswith(expected) for line in lines), lines
    assert snapshot() == before
    assert elapsed < 5, f"{case} took {elapsed:.1f} s"


def test_a_zip_bomb_is_refused_before_anything_inflates_it(tmp_path, admin_user):
    """The bomb's sheet would unpack to 72 MB; the check reads sizes, it does not inflate the sheet."""
    path = CASES["zip-bomb-xlsx"][1](tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 1_000_000
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 72_000_023
    started = time.perf_counter()
    with translation.override("en"):
        result = import_file(path, user=admin_user)
    assert time.perf_counter() - started < 1
    assert result.error_lines()[0].startswith(
        "bomb.xlsx: The workbook part xl/worksheets/sheet1.xml is compressed"
    )


def test_a_zip_that_lies_about_its_sizes_is_refused(tmp_path, admin_user):
    """A member whose header declares fewer bytes than it inflates to."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b"<row/>" * 100 + b"</worksheet>")
    data = bytearray(buffer.getvalue())
    # Patch the central directory's uncompressed size of the sheet to 10 bytes.
    name = b"xl/worksheets/sheet1.xml"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bytes(data))
    with translation.override("en"):
        lines = import_file(path, user=admin_user).error_lines()
    assert lines[0] in (
        "liar.xlsx: The workbook part xl/worksheets/sheet1.xml is larger than it declares.",
        "liar.xlsx: The workbook part xl/worksheets/sheet1.xml is damaged.",
    )
