"""Exports of any list (as filtered) to CSV and XLSX, and the blank templates for imports.

Exports use the resource's columns, so an exported file imports back without changing anything.
Text that a spreadsheet program would run as a formula (it starts with = + - @, tab or CR) is
written with an apostrophe in front (OWASP "CSV injection"); the importer takes it off again.
Amounts of 15 digits or more are written as text: spreadsheets keep only 15 significant digits.
"""

import csv
import datetime as dt
import tempfile
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .columns import Column, neutralize
from .resources import Resource, resource_for

FORMATS = ("csv", "xlsx")
CHUNK = 2000


class _Echo:
    def write(self, value):
        return value


def _lang(lang: str | None) -> str:
    lang = lang or translation.get_language() or "fa"
    return "fa" if lang.startswith("fa") else "en"


def cell_values(resource: Resource, obj, *, calendar: str = "jalali") -> list:
    values = []
    for column in resource.columns:
        values.append(column.format(column.value_of(obj), calendar=calendar))
    return values


def export_rows(queryset, resource: Resource, *, calendar: str = "jalali"):
    """The rows of an export, read in chunks (a million-row list never sits in memory)."""
    queryset = resource.export_queryset(queryset)
    if not queryset.query.order_by and not queryset.ordered:
        queryset = queryset.order_by("pk")
    for obj in queryset.iterator(chunk_size=CHUNK):
        yield cell_values(resource, obj, calendar=calendar)


def headers(resource: Resource, lang: str, columns: list[Column] | None = None) -> list[str]:
    return [column.header(lang) for column in (columns or resource.columns)]


def export_filename(resource: Resource, fmt: str) -> str:
    return f"{resource.slug}-{timezone.localdate():%Y%m%d}.{fmt}"


def export_response(
    queryset, resource_or_model, fmt: str, *, lang: str | None = None, calendar: str = "jalali"
):
    """An HTTP download of the queryset's records (the web list, as filtered) as CSV or XLSX.

    The caller has already restricted the queryset to what the user may see (scope.restrict).
    """
    resource = resource_for(resource_or_model)
    lang = _lang(lang)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    filename = export_filename(resource, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(queryset, resource, lang=lang, calendar=calendar),
            content_type="text/csv; charset=utf-8",
        )
    else:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it when sent
        write_xlsx(handle, export_rows(queryset, resource, calendar=calendar), resource, lang=lang)
        handle.seek(0)
        response = FileResponse(
            handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_lines(queryset, resource: Resource, *, lang: str, calendar: str = "jalali"):
    """CSV text, UTF-8 with a byte-order mark so that Excel reads the Persian right."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers(resource, lang))
    for row in export_rows(queryset, resource, calendar=calendar):
        yield writer.writerow(row)


def write_csv(path, queryset, resource_or_model, *, lang: str | None = None, calendar: str = "jalali") -> int:
    resource = resource_for(resource_or_model)
    lines = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for line in csv_lines(queryset, resource, lang=_lang(lang), calendar=calendar):
            handle.write(line)
            lines += 1
    return lines - 1  # the header is not a record


def write_xlsx(
    target, rows, resource: Resource, *, lang: str, columns: list[Column] | None = None, guide: bool = False
) -> int:
    """Write rows to an XLSX workbook (a path or a binary file); returns the number of rows."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(resource.slug)
    if lang == "fa":
        sheet.right_to_left()
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    required_format = workbook.add_format({"bold": True, "bg_color": "#FCE8C8", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    columns = columns or resource.columns
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.header(lang), required_format if column.required else bold)
        sheet.set_column(index, index, max(12, min(40, len(column.header(lang)) + 4)), text)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, values in enumerate(rows, start=1):
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_boolean(count, index, value)
            elif isinstance(value, int) and abs(value) < 10**15:
                sheet.write_number(count, index, value)
            elif isinstance(value, (float, Decimal)):
                sheet.write_number(count, index, float(value))
            elif isinstance(value, (dt.date, dt.datetime)):
                sheet.write_string(count, index, value.isoformat())
            else:
                sheet.write_string(count, index, str(value))
    if columns:
        sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    if guide:
        _write_guide(workbook, resource, lang)
    workbook.close()
    return count


def _write_guide(workbook, resource: Resource, lang: str) -> None:
    sheet = workbook.add_worksheet(_("guide"))
    if lang == "fa":
        sheet.right_to_left()
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    titles = [_("Column"), "فارسی", "English", _("Type"), _("Required"), _("Example"), _("Notes")]
    for index, title in enumerate(titles):
        sheet.write_string(0, index, title, bold)
    widths = [18, 24, 24, 40, 10, 18, 40]
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width, wrap)
    line = 1
    for column in resource.writable_columns:
        notes = str(column.help_text or "")
        if column.name in resource.key:
            notes = (_("Part of the natural key.") + " " + notes).strip()
        values = [
            column.name,
            column.header_fa,
            column.header_en,
            column.describe_type(),
            _("yes") if column.required else _("no"),
            str(column.example),
            notes,
        ]
        for index, value in enumerate(values):
            sheet.write_string(line, index, neutralize(value))
        line += 1
    line += 1
    sheet.write_string(line, 0, _("Natural key"), bold)
    sheet.write_string(
        line, 1, str(resource.key_help or " + ".join(resource.by_name[k].header(lang) for k in resource.key))
    )
    sheet.write_string(line + 1, 0, _("Dates"), bold)
    sheet.write_string(
        line + 1,
        1,
        _("Solar Hijri (1401/01/15) or Gregorian (2022-04-04); Persian or Arabic digits are read."),
    )


def template_response(resource_or_model, fmt: str, *, lang: str | None = None):
    """A blank file for a record type: its header (and, for XLSX, a guide sheet with every column)."""
    resource = resource_for(resource_or_model)
    lang = _lang(lang)
    columns = resource.writable_columns
    filename = f"{resource.slug}-template-{lang}.{fmt}"
    if fmt == "csv":
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            iter(["\ufeff" + writer.writerow(headers(resource, lang, columns))]),
            content_type="text/csv; charset=utf-8",
        )
    elif fmt == "xlsx":
        handle = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it when sent
        write_template_xlsx(handle, resource, lang=lang)
        handle.seek(0)
        response = FileResponse(
            handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise ValueError(f"unknown template format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_template_xlsx(target, resource: Resource, *, lang: str) -> None:
    with translation.override(lang):
        write_xlsx(target, [], resource, lang=lang, columns=resource.writable_columns, guide=True)


def write_template_csv(path, resource: Resource, *, lang: str) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerow(headers(resource, lang, resource.writable_columns))
