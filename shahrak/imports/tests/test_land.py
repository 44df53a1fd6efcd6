"""Land and workshops in the spreadsheets: the land rules hold on import as in the named actions.

The world: build_world's two provinces and build_land's Tehran land (sample.py). Contract
TH-001-1401-0001 is signed on 1401/02/01 (2022-04-21) on plot A-1; the terminated contract
(signed 1400/03/20, terminated 1401/06/10) reclaimed plot B-1; plot A-2 was never held.
"""

import datetime as dt

import pytest
from django.utils import timezone, translation

from shahrak.imports.importer import import_file
from shahrak.land import actions
from shahrak.land.models import AllocationContract, Application, LandPayment, Plot, PlotHold, WorkshopLease
from shahrak.land.validators import national_code_check_digit
from shahrak.records.guards import WriteRefused
from shahrak.returns.models import MonthlyReturn, ReturnState

from .helpers import write_csv
from .sample import build_land, build_world, snapshot

pytestmark = pytest.mark.django_db

CONTRACT_HEADER = [
    "Contract number", "Estate code", "Plot codes", "Holder national ID", "Signed", "Right-of-use fee (rials)",
    "Cash share (rials)", "Construction deadline",
]  # fmt: skip


@pytest.fixture
def world(db, admin_user):
    world = build_world()
    world.land = build_land(world, admin_user)
    return world


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def contract_row(number, plots, *, holder, signed="1401/07/01", fee="3000000000", cash="900000000"):
    return [number, "TH-001", plots, holder, signed, fee, cash, "1403/07/01"]


def test_a_contract_imported_holds_its_plots_from_signing_and_a_second_import_touches_nothing(
    world, admin_user, tmp_path
):
    unit = world.tehran_unit.national_id
    path = write_csv(tmp_path / "c.csv", [CONTRACT_HEADER + ["Status"],
                                          contract_row("OLD-1", "A-2; B-1", holder=unit) + ["terminated"]])  # fmt: skip
    result = import_file(path, user=admin_user)
    assert result.error_lines() == []
    assert (result.resource, result.created) == ("contracts", 1)
    contract = AllocationContract.objects.get(number="OLD-1")
    # Active whatever the file says: termination is the named action's (it reclaims the plots).
    assert (contract.status, contract.area_m2, contract.signed_date) == ("active", 4500.50, dt.date(2022, 9, 23))
    holds = PlotHold.objects.filter(contract=contract).order_by("plot__code")
    assert [(h.plot.code, h.kind, h.start_date, h.released_on) for h in holds] == [
        ("A-2", "contract", dt.date(2022, 9, 23), None),
        ("B-1", "contract", dt.date(2022, 9, 23), None),
    ]
    assert [h.history.get().history_change_reason for h in holds] == ["imported from c.csv"] * 2
    assert Plot.objects.get(code="B-1").status_on(dt.date(2022, 9, 23)) == "allocated"
    assert Plot.objects.get(code="B-1").status_on(dt.date(2022, 9, 22)) == "reclaimed"
    before = snapshot()
    again = import_file(path, user=admin_user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert snapshot() == before


def test_a_plot_is_never_held_twice_on_one_day_by_an_import(world, admin_user, tmp_path):
    unit = world.tehran_unit.national_id
    rows = [
        CONTRACT_HEADER,
        contract_row("NEW-1", "A-1", holder=unit),  # A-1 is held by the signed contract, open ended
        contract_row("NEW-2", "B-1", holder=unit, signed="1401/06/01"),  # B-1 is held until 1401/06/10
        contract_row("NEW-3", "A-2", holder=unit),
        contract_row("NEW-4", "A-2", holder=unit, signed="1402/01/01"),  # A-2 again, in this file
    ]
    before = snapshot()
    result = import_file(write_csv(tmp_path / "c.csv", rows), user=admin_user)
    assert result.error_lines() == [
        "c.csv, row 2, column C (Plot codes): Plot \u2066TH-001/A-1\u2069 is already held on these days (contract): "
        "a plot is never held twice on one day.",
        "c.csv, row 3, column C (Plot codes): Plot \u2066TH-001/B-1\u2069 is already held on these days (contract): "
        "a plot is never held twice on one day.",
        "c.csv, row 5, column C (Plot codes): Plot \u2066TH-001/A-2\u2069 is also in row 4 of this file: "
        "a plot is never held twice on one day.",
    ]
    assert snapshot() == before  # all or nothing


def test_a_bad_row_is_refused_in_persian_naming_its_row(world, admin_user, tmp_path):
    rows = [CONTRACT_HEADER, contract_row("NEW-1", "A-1", holder=world.tehran_unit.national_id)]
    before = snapshot()
    with translation.override("fa"):
        result = import_file(write_csv(tmp_path / "c.csv", rows), user=admin_user)
        lines = result.error_lines()
    assert lines == [
        "c.csv، سطر 2، ستون C (Plot codes): قطعهٔ \u2066TH-001/A-1\u2069 در این روزها در اختیار است (قرارداد): "
        "یک قطعه هرگز در یک روز دو بار در اختیار کسی نیست."
    ]
    assert snapshot() == before


def test_a_stored_contracts_plots_and_signing_day_are_not_changed_by_an_import(world, admin_user, tmp_path):
    c = world.land.contract
    unit = world.tehran_unit.national_id
    rows = [
        CONTRACT_HEADER,
        contract_row(c.number, "A-1, A-2", holder=unit, signed="1401/02/01"),
        [c.number.replace("1401", "1400"), "TH-001", "A-1", unit, "1401/02/01", "1", "1", "1403/01/01"],
    ]
    rows[2][0] = world.land.terminated.number
    rows[2][2] = "B-1"
    result = import_file(write_csv(tmp_path / "c.csv", rows), user=admin_user)
    assert result.error_lines() == [
        "c.csv, row 2, column C (Plot codes): The plots of a stored contract cannot be changed by an import.",
        "c.csv, row 3, column E (Signed): The signing day of a stored contract cannot be changed by an import.",
    ]


def test_a_plots_status_is_derived_never_typed(world, admin_user, tmp_path):
    header = ["Estate code", "Plot code", "Area (m²)", "Price per m² (rials)", "Status today"]
    rows = [header, ["TH-001", "A-2", "1500.50", "1500000", "allocated"], ["TH-001", "C-9", "800", "900000", "allocated"]]
    result = import_file(write_csv(tmp_path / "p.csv", rows), user=admin_user)
    assert result.error_lines() == []
    assert (result.created, result.updated, result.unchanged) == (1, 0, 1)
    today = dt.date(2023, 1, 1)
    statuses = dict(Plot.objects.with_status(today).filter(code__in=["A-2", "C-9"]).values_list("code", "status"))
    assert statuses == {"A-2": "free", "C-9": "free"}


def test_a_polygon_is_geojson_text_checked_by_the_model_rule(world, admin_user, tmp_path):
    header = ["Estate code", "Plot code", "Area (m²)", "Price per m² (rials)", "Polygon (GeoJSON)"]
    rows = [
        header,
        ["TH-001", "C-1", "800", "900000", '{"type":"Polygon","coordinates":[[[0,0],[9,0],[9,9],[0,0]]]}'],
        ["TH-001", "C-2", "800", "900000", '{"type":"Polygon","coordinates":[[[0,0],[9,0],[9,9]]]}'],
        ["TH-001", "C-3", "800", "900000", "{not json"],
    ]
    result = import_file(write_csv(tmp_path / "p.csv", rows), user=admin_user)
    assert result.error_lines() == [
        "p.csv, row 3, column E (Polygon (GeoJSON)): The polygon is a GeoJSON Polygon: a closed ring of at "
        "least four [x, y] points.",
        "p.csv, row 4, column E (Polygon (GeoJSON)): This is not GeoJSON text (JSON could not be read).",
    ]
    assert not Plot.objects.filter(code__startswith="C-").exists()


def test_a_locked_month_refuses_the_whole_file(world, admin_user, tmp_path):
    """Tehran's 1401/02 is approved: a payment dated in it refuses the file, the other row too; the
    named actions are refused the same way (the lock covers land's dated facts in the write path)."""
    MonthlyReturn.objects.create(
        province=world.tehran, year=1401, month=2, state=ReturnState.APPROVED, approved_at=timezone.now()
    )
    number = world.land.contract.number
    rows = [
        ["Contract number", "Date", "Amount (rials)", "Payment reference"],
        [number, "1401/08/01", "100000000", "LP-2"],
        [number, "1401/02/20", "100000000", "LP-3"],
    ]
    before = snapshot()
    result = import_file(write_csv(tmp_path / "lp.csv", rows), user=admin_user)
    assert not result.written
    assert result.error_lines() == [
        "lp.csv: Nothing was imported: 1 rows touch locked months (rows 3). "
        "Remove them, or ask an administrator to reopen those months.",
        "lp.csv, row 3: Ordibehesht 1401 of Tehran is locked (its return was approved), so a land payment "
        "whose “date” is in that month cannot be added, changed, deleted or restored. An administrator can "
        "reopen the month, with a reason, for a limited time.",
    ]
    assert snapshot() == before
    with pytest.raises(WriteRefused):
        actions.record_payment(world.land.contract, date=dt.date(2022, 5, 10), amount_rials=1, actor=admin_user)
    # A contract signed in the locked month cannot be imported either.
    contract = [CONTRACT_HEADER, contract_row("NEW-1", "A-2", holder=world.tehran_unit.national_id,
                                              signed="1401/02/15")]  # fmt: skip
    refused = import_file(write_csv(tmp_path / "c.csv", contract), user=admin_user)
    assert "1 rows touch locked months (rows 2)" in refused.error_lines()[0]
    assert not AllocationContract.objects.filter(number="NEW-1").exists()


def test_a_payment_before_signing_is_refused_and_a_new_payment_is_added(world, admin_user, tmp_path):
    number = world.land.contract.number
    rows = [
        ["Contract number", "Date", "Amount (rials)"],
        [number, "1401/01/20", "5"],
    ]
    result = import_file(write_csv(tmp_path / "lp.csv", rows), user=admin_user)
    assert result.error_lines() == [
        "lp.csv, row 2, column B (Date): A payment is made on or after the contract is signed."
    ]
    rows[1][1] = "1401/03/01"
    assert import_file(write_csv(tmp_path / "lp.csv", rows), user=admin_user).created == 1
    assert LandPayment.objects.filter(contract__number=number).count() == 2


def test_an_officer_imports_only_their_provinces_land(world, make_user, tmp_path):
    from shahrak.accounts.models import Role

    isfahan_officer = make_user(Role.OFFICER, province="IR-10", username="officer-isfahan")
    rows = [["Estate code", "Plot code", "Area (m²)", "Price per m² (rials)"], ["TH-001", "Z-1", "900", "1000"]]
    result = import_file(write_csv(tmp_path / "p.csv", rows), user=isfahan_officer)
    assert len(result.error_lines()) == 1 and "row 2, column A (Estate code)" in result.error_lines()[0]
    programmes = [["Programme code", "Persian name", "Target (workshops)"], ["P2", "طرح دو", "10"]]
    refused = import_file(write_csv(tmp_path / "g.csv", programmes), user=isfahan_officer)
    assert refused.error_lines() == ["g.csv: Your role (provincial officer) may not change programmes."]


def test_leases_keep_one_tenant_a_day_and_move_the_occupant(world, admin_user, tmp_path):
    header = ["Workshop (estate code/workshop code)", "Tenant national ID", "Start", "End", "Monthly rent (rials)"]
    unit = world.isfahan_unit.national_id
    rows = [header, ["TH-001/W-1", unit, "1401/09/01", "", "50000000"]]
    result = import_file(write_csv(tmp_path / "l.csv", rows), user=admin_user)
    assert result.error_lines() == [
        "l.csv, row 2, column C (Start): Workshop \u2066TH-001/W-1\u2069 is already leased on some of these days."
    ]
    # End the stored lease (as end_lease does), then lease to the next tenant from the next day.
    rows = [
        header,
        ["TH-001/W-1", world.tehran_unit.national_id, "1401/03/11", "1401/08/30", "45000000"],
        ["TH-001/W-1", unit, "1401/09/01", "", "50000000"],
        ["TH-009/W-1", unit, "1401/09/01", "", "50000000"],
    ]
    result = import_file(write_csv(tmp_path / "l.csv", rows), user=admin_user)
    assert result.error_lines() == [
        "l.csv, row 4, column A (Workshop (estate code/workshop code)): No workshop unit is «TH-009/W-1» "
        "(estate code/code)."
    ]
    del rows[3]
    result = import_file(write_csv(tmp_path / "l.csv", rows), user=admin_user)
    assert (result.error_lines(), result.created, result.updated) == ([], 1, 1)
    assert WorkshopLease.objects.filter(workshop=world.tehran_workshop).count() == 2
    world.tehran_workshop.refresh_from_db()
    assert world.tehran_workshop.occupant_id == world.isfahan_unit.pk


def test_new_applications_are_submitted_with_their_own_tracking_codes(world, admin_user, tmp_path):
    header = ["Estate code", "National legal ID or national code", "Applicant's name", "Requested area (m²)",
              "Applied", "Applicant", "Status"]  # fmt: skip
    code = "001035082" + str(national_code_check_digit("001035082"))
    wrong = code[:9] + str((int(code[9]) + 1) % 10)
    rows = [
        header,
        ["TH-001", world.isfahan_unit.national_id, "الف", "1000", "1401/05/01", "legal", "approved"],
        ["TH-001", code, "ب", "1000", "1401/05/01", "natural", "contracted"],
        ["TH-001", wrong, "پ", "1000", "1401/05/01", "natural", ""],
    ]
    result = import_file(write_csv(tmp_path / "a.csv", rows), user=admin_user)
    assert result.error_lines() == [
        "a.csv, row 4, column B (National legal ID or national code): The check digit of this national code is wrong."
    ]
    del rows[3]
    result = import_file(write_csv(tmp_path / "a.csv", rows), user=admin_user)
    assert (result.error_lines(), result.created) == ([], 2)
    imported = Application.objects.filter(applied_date=dt.date(2022, 7, 23))
    assert sorted(imported.values_list("status", flat=True)) == ["submitted", "submitted"]
    assert len(set(imported.values_list("tracking_hash", flat=True))) == 2


def test_the_land_lists_link_their_exports_and_export_as_filtered(world, client, viewer):
    import csv
    import io

    from django.urls import reverse

    client.force_login(viewer)
    page = client.get(reverse("land:allocationcontract_list"), {"status": "active"})
    assert f'{reverse("land:allocationcontract_export")}?status=active&amp;format=csv' in page.content.decode()
    response = client.get(reverse("land:allocationcontract_export"), {"status": "active", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [(row[0], row[2]) for row in rows[1:]] == [(world.land.contract.number, "A-1")]
    for name in ("plot", "application", "instalment", "landpayment", "workshoplease", "programme"):
        assert client.get(reverse(f"land:{name}_export"), {"format": "xlsx"}).status_code == 200, name
