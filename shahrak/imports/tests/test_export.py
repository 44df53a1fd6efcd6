"""Exports: every list to CSV and XLSX, formulas neutralised, and back in again without a change."""

import csv
import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from shahrak.imports.export import export_response, write_csv, write_template_xlsx
from shahrak.imports.importer import import_file
from shahrak.imports.resources import IMPORTABLE, RESOURCES
from shahrak.projects.models import DevelopmentProject
from shahrak.units.models import ProductionUnit

from .sample import build_land, build_world, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, admin_user):
    world = build_world()
    build_land(world, admin_user)
    # Text a spreadsheet would run as a formula, and an amount past a spreadsheet's 15 digits.
    ProductionUnit.objects.filter(pk=world.outside_unit.pk).unaudited_update(
        name='=HYPERLINK("http://x","y")'
    )
    DevelopmentProject.objects.filter(pk=world.isfahan_project.pk).unaudited_update(
        credit_rials=1_234_567_890_123_456_789, title="-بودجه+"
    )
    return world


# Text as people type it: Persian and Arabic digits, a Persian decimal point, ZWNJ and double spaces.
TYPED = {
    "estates": ("name_fa", "شهرک صنعتی شمس‌آباد فاز ۲"),
    "units": ("name", "کارگاه  ۱۲ ٫ بلوک ٣"),
    "projects": ("title", "آب‌رسانی فاز ۲، ۱٫۵ کیلومتر"),
    "disbursements": ("reference", "سند ۴۵۶‌الف"),
    "targets": ("note", "هدف ۱۴۰۱ (برنامه ۷)"),
    "counties": ("deprivation_source", "مصوبه ۱۳۹۹/۰۴/۰۱ هیئت‌وزیران"),
}


@pytest.fixture
def typed_world(world):
    """The world with one record of each type whose text was typed with Persian digits and ZWNJ."""
    for slug, (field, text) in TYPED.items():
        model = RESOURCES[slug].model
        model._default_manager.filter(pk=model._default_manager.order_by("pk").first().pk).unaudited_update(
            **{field: text}
        )
    return world


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(data: bytes) -> list[list]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return workbook.get_sheet_by_index(0).to_python()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("slug", sorted(IMPORTABLE))
def test_an_export_imports_back_without_a_change(slug, fmt, typed_world, admin_user, tmp_path):
    resource = RESOURCES[slug]
    if slug in TYPED:
        field, text = TYPED[slug]
        assert list(
            resource.model._default_manager.filter(**{field: text}).values_list(field, flat=True)
        ) == [text]
    with translation.override("fa"):
        response = export_response(resource.model._default_manager.all(), resource, fmt)
    path = tmp_path / f"{slug}.{fmt}"
    path.write_bytes(body(response))
    before = snapshot()
    with translation.override("en"):
        result = import_file(path, user=admin_user)
    assert result.error_lines() == []
    assert (result.resource, result.created, result.updated) == (slug, 0, 0)
    assert result.unchanged == resource.model._default_manager.count()
    assert snapshot() == before
    if slug in TYPED:
        field, text = TYPED[slug]
        assert resource.model._default_manager.filter(**{field: text}).count() == 1


def test_formulas_are_neutralised_in_csv_and_xlsx(world):
    units = RESOURCES["units"]
    with translation.override("en"):
        text = body(export_response(ProductionUnit.objects.all(), units, "csv")).decode("utf-8-sig")
        xlsx = body(export_response(ProductionUnit.objects.all(), ProductionUnit, "xlsx"))
    rows = list(csv.reader(StringIO(text)))
    assert rows[0] == [
        "National ID",
        "Name",
        "Estate code",
        "County code",
        "ISIC class",
        "Knowledge-based since",
        "Employees",
        "Province",
        "Size class",
    ]
    assert [row[1] for row in rows[1:] if row[0] == world.outside_unit.national_id] == [
        '\'=HYPERLINK("http://x","y")'
    ]
    sheet = xlsx_rows(xlsx)
    assert [row[1] for row in sheet if row[0] == world.outside_unit.national_id] == [
        '\'=HYPERLINK("http://x","y")'
    ]
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_projects_export_in_persian_with_big_amounts_as_text(world):
    with translation.override("fa"):
        data = body(export_response(DevelopmentProject.objects.order_by("code"), "projects", "xlsx"))
    sheet = xlsx_rows(data)
    assert sheet[0][:6] == ["کد پروژه", "کد شهرک", "عنوان", "عنوان انگلیسی", "نوع زیرساخت", "اعتبار (ریال)"]
    assert [row[0] for row in sheet[1:]] == ["PRJ-I-1", "PRJ-T-1"]
    assert sheet[1][2] == "'-بودجه+"
    assert sheet[1][5] == "1234567890123456789"  # text: a number cell would round it
    assert sheet[2][5] == 1_000_000_000_000.0  # 10¹² fits a number cell exactly
    assert sheet[1][7] == "1399/10/21"  # approved 2021-01-10, written in Solar Hijri


def test_the_web_lists_export_with_their_filters(world, client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("units:productionunit_export"), {"format": "csv", "province": "IR-10"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="units-')
    rows = list(csv.reader(StringIO(body(response).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [world.isfahan_unit.national_id]


@pytest.mark.parametrize("slug", sorted(IMPORTABLE))
def test_templates_name_every_column_and_import_as_empty(slug, tmp_path, admin_user):
    resource = IMPORTABLE[slug]
    path = tmp_path / f"{slug}.xlsx"
    write_template_xlsx(str(path), resource, lang="fa")
    workbook = CalamineWorkbook.from_path(str(path))
    assert workbook.sheet_names[0] == slug
    assert workbook.get_sheet_by_index(0).to_python() == [[c.header_fa for c in resource.writable_columns]]
    guide = workbook.get_sheet_by_index(1).to_python()
    assert [row[0] for row in guide[1 : 1 + len(resource.writable_columns)]] == [
        c.name for c in resource.writable_columns
    ]
    with translation.override("en"):
        assert import_file(path, user=admin_user).error_lines() == [
            f"{slug}.xlsx: The file has a header but no rows."
        ]


def test_template_download(client, officer):
    client.force_login(officer)
    response = client.get(reverse("imports:template", args=["events", "csv"]), {"lang": "en"})
    assert (
        body(response).decode("utf-8-sig").strip()
        == "Unit national ID,Date,Event,Cause of idling,Jobs restored"
    )
    response = client.get(reverse("imports:template", args=["events", "xlsx"]), {"lang": "fa"})
    assert xlsx_rows(body(response)) == [["شناسه ملی واحد", "تاریخ", "رویداد", "علت رکود", "اشتغال احیاشده"]]
    assert client.get(reverse("imports:template", args=["provinces", "csv"])).status_code == 404


def test_export_command_with_filters(world, tmp_path):
    out = tmp_path / "payments.csv"
    err = StringIO()
    call_command(
        "export",
        "disbursements",
        "--output",
        str(out),
        "--filter",
        "province=IR-23",
        "--lang",
        "en",
        stderr=err,
    )
    with open(out, encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle)) == [
            ["Project code", "Date", "Amount (rials)", "Funding source", "Payment reference"],
            ["PRJ-T-1", "1401/01/21", "2500000000", "internal", "PAY-1"],
        ]
    assert write_csv(tmp_path / "all.csv", ProductionUnit.objects.all(), "units") == 3
