"""Writing test files as people make them."""

import csv
from pathlib import Path


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list], *, sheet: str = "Sheet1", formulas: dict | None = None) -> Path:
    """An XLSX file: strings, numbers and dates as typed; `formulas` maps 'B3' to '=1+2'."""
    import datetime as dt

    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    worksheet = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, (dt.date, dt.datetime)):
                worksheet.write_datetime(
                    r,
                    c,
                    value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time()),
                    date_format,
                )
            elif isinstance(value, (int, float)):
                worksheet.write_number(r, c, value)
            else:
                worksheet.write_string(r, c, value)
    for cell, formula in (formulas or {}).items():
        worksheet.write_formula(cell, formula)
    workbook.close()
    return path
