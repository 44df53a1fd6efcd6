"""Importing files: all or nothing, idempotent, with history, within the user's province."""

import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from shahrak.estates.models import Estate
from shahrak.imports.importer import import_file
from shahrak.projects.models import Disbursement, PlannedDisbursement
from shahrak.regions.models import County
from shahrak.targets.models import Target
from shahrak.units import caches
from shahrak.units.models import ProductionUnit, UnitEvent
from tests.factories import national_id

from .helpers import write_csv, write_xlsx
from .sample import build_world, snapshot

pytestmark = pytest.mark.django_db

UNIT_HEADER_FA = [
    "شناسه ملی",
    "نام واحد",
    "کد شهرک",
    "کد شهرستان",
    "کد آیسیک",
    "دانش‌بنیان از تاریخ",
    "تعداد کارکنان",
]
A, B, C = national_id(9001), national_id(9002), national_id(9003)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return build_world()


def units_file(tmp_path, rows, header=UNIT_HEADER_FA, name="units.csv"):
    return write_csv(tmp_path / name, [header, *rows])


def test_units_are_created_with_history_and_a_second_import_changes_nothing(tmp_path, world, admin_user):
    path = units_file(
        tmp_path,
        [
            [A, "شركت نمونه ي", "TH-001", "", "1079", "۱۴۰۰/۱۱/۰۵", "۱۲"],
            [B, "Outside Co", "", "1002", "1410", "", "3"],
            [C, "  صنايع  ", "IS-001", "", "2410", "2021-06-01", "1,250"],
        ],
    )
    result = import_file(path, user=admin_user)
    assert result.error_lines() == []
    assert (result.resource, result.rows, result.created, result.updated, result.unchanged) == (
        "units",
        3,
        3,
        0,
        0,
    )
    assert result.written
    rows = sorted(
        ProductionUnit.objects.filter(national_id__in=[A, B, C]).values_list(
            "national_id",
            "name",
            "estate__code",
            "county__sci_code",
            "isic_id",
            "knowledge_based_since",
            "employees",
        )
    )
    assert rows == sorted(
        [
            (A, "شرکت نمونه ی", "TH-001", "2301", "1079", dt.date(2022, 1, 25), 12),
            (B, "Outside Co", None, "1002", "1410", None, 3),
            (C, "صنایع", "IS-001", "1002", "2410", dt.date(2021, 6, 1), 1250),
        ]
    )
    history = ProductionUnit.history.filter(national_id__in=[A, B, C])
    assert sorted(
        history.values_list("national_id", "history_type", "history_user__username", "history_change_reason")
    ) == [
        (A, "+", "admin", "imported from units.csv"),
        (B, "+", "admin", "imported from units.csv"),
        (C, "+", "admin", "imported from units.csv"),
    ]
    before = snapshot()
    again = import_file(path, user=admin_user)
    assert (again.created, again.updated, again.unchanged, again.written) == (0, 0, 3, False)
    assert snapshot() == before


def test_a_changed_row_is_updated_with_its_history(tmp_path, world, admin_user):
    unit = world.tehran_unit
    path = units_file(tmp_path, [[unit.national_id, unit.name, "TH-001", "", unit.isic_id, "", "30"]])
    result = import_file(path, user=admin_user)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    unit.refresh_from_db()
    assert unit.employees == 30
    last = unit.history.order_by("-history_id").first()
    assert (last.history_type, last.employees, last.history_user, last.history_change_reason) == (
        "~",
        30,
        admin_user,
        "imported from units.csv",
    )
    assert result.changes == [
        {
            "row": 2,
            "action": "update",
            "key": unit.national_id,
            "fields": [{"column": "Employees", "before": "25", "after": "30"}],
        }
    ]


def test_one_bad_row_and_nothing_is_written(tmp_path, world, admin_user):
    before = snapshot()
    path = units_file(
        tmp_path,
        [
            [A, "Good", "TH-001", "", "1079", "", "12"],
            [B, "Bad date", "TH-001", "", "1079", "1401-12-30", "12"],
            ["10100000017", "Bad ID", "NOPE", "", "9999", "", "0"],
        ],
    )
    result = import_file(path, user=admin_user)
    assert not result.written
    assert result.error_lines() == [
        "units.csv, row 3, column F (دانش‌بنیان از تاریخ): «1401-12-30» does not exist: Esfand 1401 has 29 days.",
        "units.csv, row 4, column A (شناسه ملی): The check digit of national ID 10100000017 is wrong.",
        "units.csv, row 4, column G (تعداد کارکنان): 0 is below the smallest allowed value, 1.",
        "units.csv, row 4, column C (کد شهرک): No estate has the code «NOPE».",
        "units.csv, row 4, column E (کد آیسیک): No ISIC class has the ISIC Rev.4 code «9999».",
    ]
    assert snapshot() == before


def test_keep_valid_loads_the_good_rows_and_returns_the_rejected_ones(tmp_path, world, admin_user):
    path = units_file(
        tmp_path,
        [
            [A, "Good", "TH-001", "", "1079", "", "12"],
            [B, "Bad", "TH-001", "", "1079", "", "-4"],
            [C, "Good too", "", "2301", "1079", "", "7"],
        ],
    )
    rejected = tmp_path / "rejected.csv"
    result = import_file(path, user=admin_user, keep_valid=True, rejected_path=rejected)
    assert (result.created, result.rejected, result.written) == (2, 1, True)
    assert set(
        ProductionUnit.objects.filter(national_id__in=[A, B, C]).values_list("national_id", flat=True)
    ) == {A, C}
    with open(rejected, encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle)) == [
            [*UNIT_HEADER_FA, "row", "errors"],
            [B, "Bad", "TH-001", "", "1079", "", "-4", "3", "G: -4 is below the smallest allowed value, 1."],
        ]


def test_an_officer_writes_only_their_province(tmp_path, world, officer):
    """The officer of Tehran: a new Isfahan unit and a change to an Isfahan unit are refused by row."""
    before = snapshot()
    isfahan = world.isfahan_unit
    path = units_file(
        tmp_path,
        [
            [A, "Tehran new", "TH-001", "", "1079", "", "5"],
            [B, "Isfahan new", "IS-001", "", "1079", "", "5"],
            [isfahan.national_id, "renamed", "IS-001", "", isfahan.isic_id, "", "140"],
            [C, "Moved out", "", "1002", "1079", "", "5"],
        ],
    )
    result = import_file(path, user=officer)
    outside = "This production unit is outside your province (Tehran); you may only read it."
    assert result.error_lines() == [
        f"units.csv, row 3, column C (کد شهرک): {outside}",
        f"units.csv, row 4, column C (کد شهرک): {outside}",
        f"units.csv, row 5, column D (کد شهرستان): {outside}",
    ]
    assert snapshot() == before


def test_an_officer_may_import_a_national_file_that_changes_nothing_elsewhere(tmp_path, world, officer):
    isfahan = world.isfahan_unit
    path = units_file(
        tmp_path,
        [
            [isfahan.national_id, isfahan.name, "IS-001", "", isfahan.isic_id, "", "140"],
            [A, "Tehran new", "TH-001", "", "1079", "", "5"],
        ],
    )
    result = import_file(path, user=officer)
    assert (result.created, result.unchanged, result.error_count) == (1, 1, 0)


@pytest.mark.parametrize("who", ["analyst", "viewer"])
def test_roles_that_write_nothing_cannot_import(tmp_path, world, who, request):
    user = request.getfixturevalue(who)
    result = import_file(units_file(tmp_path, [[A, "x", "TH-001", "", "1079", "", "5"]]), user=user)
    role = {"analyst": "national analyst", "viewer": "viewer"}[who]
    assert result.error_lines() == [f"units.csv: Your role ({role}) may not change production units."]


def test_an_officer_cannot_import_exchange_rates(tmp_path, world, officer):
    path = write_csv(
        tmp_path / "rates.csv",
        [["date", "currency", "source", "rials_per_unit"], ["1401/10/01", "USD", "free_market", "390000"]],
    )
    assert import_file(path, user=officer).error_lines() == [
        "rates.csv: Your role (provincial officer) may not change exchange rates."
    ]


def test_events_keep_their_order_rules(tmp_path, world, admin_user):
    unit = world.tehran_unit  # established 2021-04-01 (1400/01/12)
    path = write_csv(
        tmp_path / "events.csv",
        [
            ["unit", "date", "kind", "cause", "jobs"],
            [unit.national_id, "1400/01/01", "idled", "market", ""],
            [unit.national_id, "1401/05/01", "established", "", ""],
            [unit.national_id, "1401/06/01", "revived", "", ""],
            [unit.national_id, "1401/07/01", "idled", "", ""],
            [unit.national_id, "1401/08/01", "revived", "finance", "10"],
        ],
    )
    result = import_file(path, user=admin_user)
    assert result.error_lines() == [
        "events.csv, row 2, column B (date): An event cannot come before the unit was established.",
        "events.csv, row 3, column C (kind): This unit already has an establishment event.",
        "events.csv, row 4, column E (jobs): Jobs restored are given for a «revived» event, and only for it.",
        "events.csv, row 5, column D (cause): A cause of idling is given for an «idled» event, and only for it.",
        "events.csv, row 6, column D (cause): A cause of idling is given for an «idled» event, and only for it.",
    ]
    assert UnitEvent.objects.filter(unit=unit).count() == 1


def test_events_are_keyed_on_unit_and_day(tmp_path, world, admin_user):
    unit = world.isfahan_unit  # idled (finance) on 2022-07-01 = 1401/04/10
    path = write_csv(
        tmp_path / "events.csv",
        [["unit", "date", "kind", "cause", "jobs"], [unit.national_id, "1401/04/10", "idled", "market", ""],
         [unit.national_id, "1401/09/01", "revived", "", "40"]],
    )  # fmt: skip
    result = import_file(path, user=admin_user)
    assert (result.created, result.updated) == (1, 1)
    assert list(
        UnitEvent.objects.filter(unit=unit).order_by("date").values_list("date", "kind", "cause", "jobs")
    ) == [
        (dt.date(2022, 7, 1), "idled", "market", None),
        (dt.date(2022, 11, 22), "revived", None, 40),
    ]


def test_payments_are_keyed_on_reference_or_amount(tmp_path, world, admin_user):
    header = ["project", "date", "amount_rials", "funding_source", "reference"]
    path = write_csv(
        tmp_path / "payments.csv",
        [
            header,
            [
                "PRJ-T-1",
                "1401/01/21",
                "3,000,000,000",
                "internal",
                "PAY-1",
            ],  # PAY-1 of 2022-04-10: amount changes
            ["PRJ-I-1", "1401/05/10", "7000000000", "national_budget", ""],  # no reference: keyed on amount
            ["PRJ-I-1", "1401/05/10", "1000", "internal", ""],  # same day, another amount: a new payment
        ],
    )
    result = import_file(path, user=admin_user)
    assert result.error_lines() == []
    assert (result.created, result.updated, result.unchanged) == (1, 2, 0)
    assert sorted(
        Disbursement.objects.values_list(
            "project__code", "date", "amount_rials", "funding_source", "reference"
        )
    ) == [
        ("PRJ-I-1", dt.date(2022, 8, 1), 1000, "internal", ""),
        ("PRJ-I-1", dt.date(2022, 8, 1), 7_000_000_000, "national_budget", ""),
        ("PRJ-T-1", dt.date(2022, 4, 10), 3_000_000_000, "internal", "PAY-1"),
    ]
    assert import_file(path, user=admin_user).unchanged == 3


def test_the_same_record_twice_in_a_file(tmp_path, world, admin_user):
    path = write_csv(
        tmp_path / "planned.csv",
        [
            ["project", "year", "month", "amount_rials"],
            ["PRJ-T-1", "1401", "9", "5"],
            ["PRJ-T-1", "۱۴۰۱", "۹", "6"],
        ],
    )
    assert import_file(path, user=admin_user).error_lines() == [
        "planned.csv, row 3, column A (project): The same record is already in row 2 of this file."
    ]


def test_planned_payments_get_their_month_start(tmp_path, world, admin_user):
    path = write_csv(
        tmp_path / "p.csv",
        [["کد پروژه", "سال", "ماه", "مبلغ برنامه‌ریزی‌شده (ریال)"], ["PRJ-I-1", "1401", "12", "5"]],
    )
    assert import_file(path, user=admin_user).created == 1
    plan = PlannedDisbursement.objects.get(project__code="PRJ-I-1", year=1401, month=12)
    assert plan.month_start == dt.date(2023, 2, 20)  # 1 Esfand 1401


def test_targets_by_year_and_province(tmp_path, world, admin_user):
    path = write_csv(
        tmp_path / "targets.csv",
        [
            ["metric", "year", "start_date", "end_date", "province", "value", "note"],
            ["units_revived", "1401", "", "", "", "2100", ""],  # the national target of 1401: changed
            ["units_revived", "1401", "", "", "IR-23", "300", "Tehran"],  # a new provincial one
        ],
    )
    result = import_file(path, user=admin_user)
    assert result.error_lines() == []
    assert (result.created, result.updated) == (1, 1)
    targets = Target.objects.filter(metric="units_revived").order_by("value")
    assert list(targets.values_list("province__iso_code", "start_date", "end_date", "value")) == [
        ("IR-23", dt.date(2022, 3, 21), dt.date(2023, 3, 20), 300),
        (None, dt.date(2022, 3, 21), dt.date(2023, 3, 20), 2100),
    ]


def test_a_targets_file_with_the_year_and_no_dates(tmp_path, world, admin_user):
    """docs/data-format.md: a target's period is its year, or both dates; the dates' columns may be
    left out of the header when the year is there, and such a header is still recognised as targets."""
    path = write_csv(
        tmp_path / "anything.csv",
        [["metric", "year", "province", "value"], ["units_revived", "1402", "IR-23", "5"]],
    )
    result = import_file(path, user=admin_user)
    assert (result.resource, result.error_lines(), result.created) == ("targets", [], 1)
    target = Target.objects.get(metric="units_revived", province__iso_code="IR-23")
    assert (target.year, target.start_date, target.end_date) == (
        1402,
        dt.date(2023, 3, 21),
        dt.date(2024, 3, 19),
    )
    # Without the year the dates identify the record: their columns are needed.
    path = write_csv(
        tmp_path / "dates.csv", [["metric", "province", "value"], ["units_revived", "IR-23", "5"]]
    )
    assert import_file(path, user=admin_user, resource="targets").error_lines() == [
        "dates.csv, row 1: The column «From» is missing: it identifies each record.",
        "dates.csv, row 1: The column «To» is missing: it identifies each record.",
    ]


def test_a_name_that_shows_nothing_is_an_empty_cell(tmp_path, world, admin_user):
    """A name of zero-width non-joiners looks blank: it is refused as blank, as in forms and the API."""
    before = snapshot()
    path = units_file(
        tmp_path,
        [
            [A, "\u200c\u200c", "TH-001", "", "1079", "", "12"],
            [B, "\u200b \u200c", "TH-001", "", "1079", "", "3"],
        ],
    )
    assert import_file(path, user=admin_user).error_lines() == [
        "units.csv, row 2, column B (نام واحد): This cell is required.",
        "units.csv, row 3, column B (نام واحد): This cell is required.",
    ]
    assert snapshot() == before
    path = units_file(tmp_path, [[A, "آزمون\u200cگر", "TH-001", "", "1079", "", "12"]])
    assert import_file(path, user=admin_user).created == 1
    assert ProductionUnit.objects.get(national_id=A).name == "آزمون\u200cگر"  # a ZWNJ inside a word stays


def test_an_officer_is_told_another_provinces_project_is_outside_their_province(tmp_path, world, officer):
    """A reference to another province's record is refused as outside the province, never as missing."""
    path = write_csv(
        tmp_path / "payments.csv",
        [
            ["project", "date", "amount_rials", "funding_source"],
            [world.isfahan_project.code, "1401/05/01", "1000", "internal"],
            ["PRJ-NONE", "1401/05/01", "1000", "internal"],
        ],
    )
    assert import_file(path, user=officer).error_lines() == [
        "payments.csv, row 2, column A (project): This disbursement is outside your province (Tehran); you may only read it.",
        "payments.csv, row 3, column A (project): No development project has the code «PRJ-NONE».",
    ]


def test_counties_are_only_updated(tmp_path, world, admin_user):
    path = write_csv(
        tmp_path / "counties.csv",
        [
            ["sci_code", "deprivation", "deprivation_basis", "deprivation_source"],
            ["302", "whole", "decree", "مصوبه ۱۴۰۱"],
            ["9999", "whole", "decree", ""],
        ],
    )
    result = import_file(path, user=admin_user)
    assert result.error_lines() == [
        "counties.csv, row 3, column A (sci_code): No stored county matches this row; this import only updates."
    ]
    result = import_file(path, user=admin_user, keep_valid=True)
    assert result.updated == 1
    county = County.objects.get(sci_code="0302")
    assert (county.deprivation, county.deprivation_basis, county.deprivation_source) == (
        "whole",
        "decree",
        "مصوبه ۱۴۰۱",  # free text kept as typed; the code 302 read as 0302
    )


def test_xlsx_with_number_and_date_cells(tmp_path, world, admin_user):
    path = write_xlsx(
        tmp_path / "estates.xlsx",
        [
            [
                "Estate code",
                "Persian name",
                "Kind",
                "County code",
                "Status",
                "Licence date",
                "Gross land (ha)",
                "Industrial land (ha)",
            ],
            ["TH-002", "شهرک نو", "industrial park", 2302, "licensed", dt.date(2022, 5, 1), 250.5, 100],
            ["TH-003", "ناحیه", "zone", "2302", "operational", "1401/02/11", 10, 12],
        ],
    )
    result = import_file(path, user=admin_user)
    assert result.error_lines() == [
        "estates.xlsx, row 3, column H (Industrial land (ha)): Industrial land cannot exceed gross land.",
        "estates.xlsx, row 3, column E (Status): An operational estate needs its operational date.",
    ]
    result = import_file(path, user=admin_user, keep_valid=True)
    estate = Estate.objects.get(code="TH-002")
    assert (
        estate.kind,
        estate.county.sci_code,
        estate.licence_date,
        estate.gross_area_ha,
        estate.industrial_area_ha,
    ) == ("park", "2302", dt.date(2022, 5, 1), Decimal("250.50"), Decimal("100.00"))


def test_dry_run_reports_and_writes_nothing(tmp_path, world, admin_user):
    before = snapshot()
    path = units_file(tmp_path, [[A, "New", "TH-001", "", "1079", "", "12"]])
    result = import_file(path, user=admin_user, dry_run=True)
    assert (result.created, result.written) == (1, False)
    assert result.changes[0]["action"] == "create"
    assert snapshot() == before


def test_record_type_is_recognised_from_the_header(tmp_path, world, admin_user):
    path = write_csv(
        tmp_path / "anything.csv",
        [
            ["Unit national ID", "Date", "Event", "Jobs restored"],
            [world.isfahan_unit.national_id, "1401/09/01", "revived", "4"],
        ],
    )
    assert import_file(path, user=admin_user).resource == "events"
    path = write_csv(tmp_path / "odd.csv", [["colour", "size"], ["red", "2"]])
    assert (
        import_file(path, user=admin_user)
        .error_lines()[0]
        .startswith("odd.csv: Cannot tell which record type this file holds from its header")
    )


def test_columns_only_needed_to_add_records(tmp_path, world, admin_user):
    unit = world.tehran_unit
    path = write_csv(
        tmp_path / "staff.csv", [["national_id", "employees"], [unit.national_id, "26"], [A, "3"]]
    )
    result = import_file(path, user=admin_user, resource="units")
    assert result.error_lines() == [
        "staff.csv, row 3: To add a new record the file needs the columns: Name, ISIC class."
    ]
    result = import_file(path, user=admin_user, resource="units", keep_valid=True)
    unit.refresh_from_db()
    assert (result.updated, unit.employees, unit.name) == (1, 26, "صنایع غذایی البرز")


def test_imports_keep_the_event_caches_of_the_figures(tmp_path, world, admin_user):
    """Events cache their unit's county and the next event's date; bulk writes must keep them."""
    unit = world.isfahan_unit  # idled on 2022-07-01 in county 1002
    path = write_csv(
        tmp_path / "events.csv",
        [["unit", "date", "kind", "cause", "jobs"], [unit.national_id, "1400/12/01", "established", "", ""],
         [unit.national_id, "1401/09/01", "revived", "", "40"]],
    )  # fmt: skip
    assert import_file(path, user=admin_user).created == 2
    assert list(
        UnitEvent.objects.filter(unit=unit)
        .order_by("date")
        .values_list("date", "ends_on", "county__sci_code")
    ) == [
        (dt.date(2022, 2, 20), dt.date(2022, 7, 1), "1002"),
        (dt.date(2022, 7, 1), dt.date(2022, 11, 22), "1002"),
        (dt.date(2022, 11, 22), None, "1002"),
    ]
    moved = units_file(tmp_path, [[unit.national_id, unit.name, "TH-001", "", unit.isic_id, "", "140"]])
    assert import_file(moved, user=admin_user).updated == 1
    assert set(UnitEvent.objects.filter(unit=unit).values_list("county__sci_code", flat=True)) == {"2301"}
    assert caches.stale_metric_caches() == 0
