"""Deadline extensions, contract transfers and plot holds in the spreadsheets: templates, imports
with the named actions' rules and effects (actions.extend, actions.transfer), exports.

The world: build_world's two provinces and build_land's Tehran land (sample.py). Contract
TH-001-1401-0001 (the Tehran unit's) is signed on 1401/02/01, its deadline 1403/02/01 extended on
1401/10/25 to 1403/08/01. The terminated contract (signed 1400/03/20 by the Isfahan unit) was
transferred on 1400/12/10 to the Tehran unit and terminated on 1401/06/10.
"""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from shahrak.core.jalali import month_bounds
from shahrak.core.jalali import parse_jalali as j
from shahrak.imports.export import export_response, write_template_xlsx
from shahrak.imports.importer import import_file
from shahrak.imports.resources import RESOURCES
from shahrak.land.models import AllocationContract, ContractExtension, ContractTransfer, PlotHold
from shahrak.metrics.engine import compute
from shahrak.returns.models import MonthlyReturn, ReturnState

from .helpers import write_csv
from .sample import build_land, build_world, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, admin_user):
    world = build_world()
    world.land = build_land(world, admin_user)
    return world


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def template_header(slug, tmp_path, lang="fa") -> list[str]:
    path = tmp_path / f"{slug}-template.xlsx"
    write_template_xlsx(str(path), RESOURCES[slug], lang=lang)
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[0]


def exported(slug, fmt="csv", queryset=None, lang="fa") -> bytes:
    resource = RESOURCES[slug]
    with translation.override(lang):
        return body(export_response(queryset or resource.model._default_manager.all(), resource, fmt))


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# --- extensions ---------------------------------------------------------------------------------


def test_an_extension_from_the_template_moves_the_deadline_stalled_contracts_reads(
    world, admin_user, tmp_path
):
    header = template_header("contract-extensions", tmp_path)
    assert header == ["شماره قرارداد", "تاریخ موافقت", "مهلت ساخت جدید", "دلیل"]
    contract = world.land.contract
    autumn = month_bounds(1403, 9)  # 1403/09: past 1403/08/01, the deadline in force before the import
    assert set(compute("stalled_contracts", autumn).records()) == {contract}
    rows = [header, [contract.number, "۱۴۰۳/۰۷/۰۱", "1403/12/01", "تأخیر در گازرسانی"]]
    result = import_file(write_csv(tmp_path / "e.csv", rows), user=admin_user)
    assert (result.error_lines(), result.resource, result.created) == ([], "contract-extensions", 1)
    extension = ContractExtension.objects.get(contract=contract, granted_date=j("1403-07-01"))
    assert (extension.new_deadline, extension.reason) == (j("1403-12-01"), "تأخیر در گازرسانی")
    assert extension.history.get().history_change_reason == "imported from e.csv"
    assert contract.deadline_on(j("1403-09-01")) == j("1403-12-01")
    assert contract.deadline_on(j("1403-06-31")) == j("1403-08-01")  # granted on 1403/07/01, not before
    assert list(compute("stalled_contracts", autumn).records()) == []
    # Export (Persian and English, CSV and XLSX) and import back: nothing created, changed or written.
    for fmt, lang in (("csv", "fa"), ("xlsx", "en")):
        path = tmp_path / f"back.{fmt}"
        path.write_bytes(exported("contract-extensions", fmt, lang=lang))
        before = snapshot()
        again = import_file(path, user=admin_user)
        assert (again.error_lines(), again.created, again.updated, again.unchanged) == ([], 0, 0, 2)
        assert snapshot() == before
    assert csv_rows(exported("contract-extensions", lang="en")) == [
        ["Contract number", "Granted", "New construction deadline", "Reason", "Province"],
        [contract.number, "1401/10/25", "1403/08/01", "تأخیر در برق‌رسانی", "IR-23"],
        [contract.number, "1403/07/01", "1403/12/01", "تأخیر در گازرسانی", "IR-23"],
    ]


def test_extensions_are_refused_row_by_row_and_nothing_is_written(world, admin_user, tmp_path):
    contract, terminated = world.land.contract, world.land.terminated
    header = ["Contract number", "Granted", "New construction deadline", "Reason"]
    rows = [
        header,
        ["TH-001-1399-9999", "1402/01/01", "1404/01/01", "نامعلوم"],  # no such contract
        [terminated.number, "1401/05/01", "1404/01/01", "دیرهنگام"],  # terminated
        [contract.number, "1401/01/15", "1404/01/01", "پیش از امضا"],  # before signing
        [contract.number, "1402/01/01", "1403/07/01", "زودتر"],  # earlier than 1403/08/01, in force then
        [contract.number, "1402/02/01", "1403/10/01", "بعدی"],  # later than 1403/08/01: accepted alone
        [contract.number, "1402/03/01", "1403/09/01", "پس از ردیف قبل"],  # earlier than the row above's
        [contract.number, "1402/04/01", "1403/11/01", ""],  # no reason
    ]
    before = snapshot()
    result = import_file(write_csv(tmp_path / "e.csv", rows), user=admin_user)
    assert result.error_lines() == [
        "e.csv, row 2, column A (Contract number): No allocation contract has the contract number «TH-001-1399-9999».",
        "e.csv, row 3, column A (Contract number): Contract TH-001-1400-0001 is terminated: only an "
        "active contract is extended or transferred.",
        "e.csv, row 4, column B (Granted): An extension is granted on or after signing.",
        "e.csv, row 5, column C (New construction deadline): An extension moves the deadline later than it is "
        "now (1403/08/01).",
        "e.csv, row 7, column C (New construction deadline): An extension moves the deadline later than it is "
        "now (1403/10/01).",
        "e.csv, row 8, column D (Reason): This cell is required.",
    ]
    assert not result.written
    assert snapshot() == before  # all or nothing


def test_a_stored_extension_is_updated_and_its_row_of_a_terminated_contract_stays_unchanged(
    world, admin_user, tmp_path
):
    """An unchanged row is accepted whatever its contract's state (a round trip); a change to a
    stored extension is checked by the same rules as a new one."""
    contract = world.land.contract
    header = ["Contract number", "Granted", "New construction deadline", "Reason"]
    rows = [header, [contract.number, "1401/10/25", "1403/09/01", "تأخیر در برق‌رسانی و گاز"]]
    result = import_file(write_csv(tmp_path / "e.csv", rows), user=admin_user)
    assert (result.error_lines(), result.created, result.updated) == ([], 0, 1)
    assert contract.deadline_on(j("1403-01-01")) == j("1403-09-01")
    rows[1][2] = "1403/01/01"  # before the contract's own deadline (1403/02/01)
    refused = import_file(write_csv(tmp_path / "e.csv", rows), user=admin_user)
    assert refused.error_lines() == [
        "e.csv, row 2, column C (New construction deadline): An extension moves the deadline later than it is "
        "now (1403/02/01)."
    ]
    # The contract is terminated afterwards: its extension's row still imports back unchanged.
    from shahrak.land import actions

    actions.terminate(contract, date=j("1403-10-01"), reason="عدم ساخت", actor=admin_user)
    path = tmp_path / "back.csv"
    path.write_bytes(exported("contract-extensions"))
    before = snapshot()
    again = import_file(path, user=admin_user)
    assert (again.error_lines(), again.created, again.updated, again.unchanged) == ([], 0, 0, 1)
    assert snapshot() == before


def test_a_locked_month_refuses_the_whole_file_of_extensions_and_transfers(world, admin_user, tmp_path):
    """Tehran's 1402/01 is approved: an extension granted in it, or a transfer dated in it, refuses its file."""
    MonthlyReturn.objects.create(
        province=world.tehran, year=1402, month=1, state=ReturnState.APPROVED, approved_at=timezone.now()
    )
    number = world.land.contract.number
    rows = [
        ["Contract number", "Granted", "New construction deadline", "Reason"],
        [number, "1402/02/10", "1403/10/01", "باز"],
        [number, "1402/01/10", "1403/09/01", "قفل"],
    ]
    before = snapshot()
    result = import_file(write_csv(tmp_path / "e.csv", rows), user=admin_user)
    assert not result.written
    assert result.error_lines() == [
        "e.csv: Nothing was imported: 1 rows touch locked months (rows 3). "
        "Remove them, or ask an administrator to reopen those months.",
        "e.csv, row 3: Farvardin 1402 of Tehran is locked (its return was approved), so a deadline extension "
        "whose “granted” is in that month cannot be added, changed, deleted or restored. An administrator can "
        "reopen the month, with a reason, for a limited time.",
    ]
    transfers = [
        ["Contract number", "Date", "New holder national ID"],
        [number, "1402/01/20", world.isfahan_unit.national_id],
    ]
    refused = import_file(write_csv(tmp_path / "t.csv", transfers), user=admin_user)
    assert "1 rows touch locked months (rows 2)" in refused.error_lines()[0]
    assert snapshot() == before


def test_an_officer_imports_extensions_only_in_their_province(world, make_user, tmp_path):
    from shahrak.accounts.models import Role

    isfahan_officer = make_user(Role.OFFICER, province="IR-10", username="officer-isfahan")
    rows = [
        ["Contract number", "Granted", "New construction deadline", "Reason"],
        [world.land.contract.number, "1402/02/10", "1403/10/01", "—"],
    ]
    result = import_file(write_csv(tmp_path / "e.csv", rows), user=isfahan_officer)
    assert len(result.error_lines()) == 1
    assert result.error_lines()[0].startswith("e.csv, row 2, column A (Contract number): ")
    assert not ContractExtension.objects.filter(granted_date=j("1402-02-10")).exists()


# --- transfers ----------------------------------------------------------------------------------


def test_transfers_from_the_template_change_the_holder_in_order(world, admin_user, tmp_path):
    header = template_header("contract-transfers", tmp_path)
    assert header == ["شماره قرارداد", "تاریخ انتقال", "شناسه ملی دارنده جدید", "دلیل"]
    contract = world.land.contract
    tehran, isfahan = world.tehran_unit, world.isfahan_unit
    rows = [
        header,
        # Out of order on purpose: the later one back to the Tehran unit, the earlier one to Isfahan's.
        [contract.number, "1402/06/01", tehran.national_id, "بازگشت"],
        [contract.number, "1402/03/01", isfahan.national_id, "فروش"],
    ]
    result = import_file(write_csv(tmp_path / "t.csv", rows), user=admin_user)
    assert (result.error_lines(), result.resource, result.created) == ([], "contract-transfers", 2)
    records = ContractTransfer.objects.filter(contract=contract).order_by("date")
    assert [(t.date, t.from_holder, t.to_holder) for t in records] == [
        (j("1402-03-01"), tehran, isfahan),
        (j("1402-06-01"), isfahan, tehran),
    ]
    contract.refresh_from_db()
    assert contract.holder == tehran
    # One new transfer: the contract's holder changes, written with the contract's history.
    rows = [header, [contract.number, "1402/09/01", isfahan.national_id, ""]]
    history = contract.history.count()
    assert import_file(write_csv(tmp_path / "t2.csv", rows), user=admin_user).created == 1
    contract.refresh_from_db()
    assert contract.holder == isfahan
    assert contract.history.count() == history + 1
    assert contract.history.first().history_change_reason == "imported from t2.csv"
    # Export and import back: nothing changes, nothing is written.
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"back.{fmt}"
        path.write_bytes(exported("contract-transfers", fmt))
        before = snapshot()
        again = import_file(path, user=admin_user)
        assert (again.error_lines(), again.created, again.updated, again.unchanged) == ([], 0, 0, 4)
        assert snapshot() == before
    assert csv_rows(exported("contract-transfers", lang="en"))[0] == [
        "Contract number", "Date", "New holder national ID", "Reason", "Previous holder national ID", "Province",
    ]  # fmt: skip


def test_transfers_are_refused_row_by_row_and_nothing_is_written(world, admin_user, tmp_path):
    contract, terminated = world.land.contract, world.land.terminated
    tehran, isfahan = world.tehran_unit.national_id, world.isfahan_unit.national_id
    header = ["Contract number", "Date", "New holder national ID", "Reason"]
    rows = [
        header,
        ["NO-SUCH-1", "1402/01/01", isfahan, ""],
        [terminated.number, "1401/05/01", isfahan, ""],  # terminated on 1401/06/10
        [contract.number, "1401/01/20", isfahan, ""],  # before signing
        [contract.number, "1401/03/01", tehran, ""],  # to the holder it already has
        [contract.number, "1401/04/01", "10320000099", ""],  # not a national ID
    ]
    before = snapshot()
    result = import_file(write_csv(tmp_path / "t.csv", rows), user=admin_user)
    assert result.error_lines() == [
        "t.csv, row 2, column A (Contract number): No allocation contract has the contract number «NO-SUCH-1».",
        "t.csv, row 3, column A (Contract number): Contract TH-001-1400-0001 is terminated: only an "
        "active contract is extended or transferred.",
        "t.csv, row 4, column B (Date): A contract is transferred on or after signing.",
        "t.csv, row 5, column C (New holder national ID): A contract is transferred to another holder.",
        "t.csv, row 6, column C (New holder national ID): The check digit of national ID 10320000099 is wrong.",
    ]
    assert snapshot() == before
    # A stored transfer keeps its new holder; a new one comes after the contract's last transfer.
    assert import_file(write_csv(tmp_path / "ok.csv", [header, [contract.number, "1402/01/01", isfahan, ""]]),
                       user=admin_user).created == 1  # fmt: skip
    rows = [
        header,
        [contract.number, "1402/01/01", world.outside_unit.national_id, ""],
        [contract.number, "1401/12/01", tehran, ""],
    ]
    result = import_file(write_csv(tmp_path / "t.csv", rows), user=admin_user)
    assert result.error_lines() == [
        "t.csv, row 2, column C (New holder national ID): The new holder of a stored transfer cannot be changed "
        "by an import; record a new transfer.",
        "t.csv, row 3, column B (Date): Contract TH-001-1401-0001 was last transferred on 1402/01/01: "
        "a new transfer comes after it.",
    ]


def test_a_refused_transfer_is_named_in_persian(world, admin_user, tmp_path):
    rows = [
        ["شماره قرارداد", "تاریخ انتقال", "شناسه ملی دارنده جدید"],
        [world.land.terminated.number, "1401/05/01", world.isfahan_unit.national_id],
    ]
    with translation.override("fa"):
        lines = import_file(write_csv(tmp_path / "t.csv", rows), user=admin_user).error_lines()
    assert len(lines) == 1
    assert lines[0].startswith("t.csv، سطر 2، ستون A (شماره قرارداد): ")
    assert "فسخ" in lines[0] and "Contract" not in lines[0]


# --- plot holds ---------------------------------------------------------------------------------


def test_plot_holds_are_exported_and_never_imported(world, admin_user, tmp_path):
    rows = csv_rows(exported("plot-holds", lang="en", queryset=PlotHold.objects.order_by("pk")))
    assert rows == [
        ["Plot (estate code/plot code)", "Kind", "Contract number", "Applicant's national legal ID or national code",
         "Applied", "From", "Released on", "Released because", "Province"],
        ["TH-001/A-1", "reservation", "", world.tehran_unit.national_id, "1401/01/12", "1401/01/21", "1401/02/01",
         "contracted", "IR-23"],
        ["TH-001/A-1", "contract", "TH-001-1401-0001", world.tehran_unit.national_id, "1401/01/12", "1401/02/01",
         "", "", "IR-23"],
        ["TH-001/B-1", "reservation", "", world.isfahan_unit.national_id, "1400/03/11", "1400/03/15", "1400/03/20",
         "contracted", "IR-23"],
        ["TH-001/B-1", "contract", "TH-001-1400-0001", world.isfahan_unit.national_id, "1400/03/11", "1400/03/20",
         "1401/06/10", "terminated", "IR-23"],
    ]  # fmt: skip
    xlsx = tmp_path / "holds.xlsx"
    xlsx.write_bytes(exported("plot-holds", "xlsx"))
    assert len(CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()) == 5
    before = snapshot()
    result = import_file(xlsx, user=admin_user, resource="plot-holds")
    assert result.error_lines() == ["holds.xlsx: plot holds cannot be imported."]
    assert snapshot() == before


# --- the contracts' export reads their plots in one query, not one per contract ----------------


def test_the_contract_export_reads_the_plots_of_all_contracts_at_once(world, admin_user, tmp_path):
    def queries_of_export():
        with CaptureQueriesContext(connection) as queries:
            data = exported("contracts", lang="en", queryset=AllocationContract.objects.order_by("number"))
        return len(queries), csv_rows(data)

    few, rows = queries_of_export()
    assert [(row[0], row[2]) for row in rows[1:]] == [
        ("TH-001-1400-0001", "B-1"),
        ("TH-001-1401-0001", "A-1"),
    ]
    # Four more contracts, two of them on two plots each.
    from shahrak.land.models import Plot

    estate = world.tehran_estate
    for code in ("D-1", "D-2", "D-3", "D-4", "D-5", "D-6"):
        Plot.objects.create(estate=estate, code=code, area_m2=1000, price_per_m2_rials=1_000_000)
    header = ["Contract number", "Estate code", "Plot codes", "Holder national ID", "Signed",
              "Right-of-use fee (rials)", "Cash share (rials)", "Construction deadline"]  # fmt: skip
    unit = world.tehran_unit.national_id
    new = [[f"N-{n}", "TH-001", plots, unit, "1401/07/01", "1000", "300", "1403/07/01"]
           for n, plots in enumerate(["D-1, D-2", "D-3", "D-4, D-5", "D-6"])]  # fmt: skip
    assert import_file(write_csv(tmp_path / "c.csv", [header, *new]), user=admin_user).created == 4
    many, rows = queries_of_export()
    assert [(row[0], row[2]) for row in rows[1:]] == [
        ("N-0", "D-1, D-2"), ("N-1", "D-3"), ("N-2", "D-4, D-5"), ("N-3", "D-6"),
        ("TH-001-1400-0001", "B-1"), ("TH-001-1401-0001", "A-1"),
    ]  # fmt: skip
    assert many == few <= 3  # the contracts with their estates and holders, and all their holds


# --- the web lists ------------------------------------------------------------------------------


def test_the_programme_page_links_its_members_list_with_its_export(world, client, viewer):
    from django.urls import reverse

    client.force_login(viewer)
    programme = world.land.programme
    page = client.get(reverse("land:programme", args=[programme.pk])).content.decode()
    members_url = reverse("land:programmemember_list")
    assert f"{members_url}?programme=W1000&amp;sort=workshop" in page
    assert "TH-001/W-1" in page or "W-1" in page
    listing = client.get(members_url, {"programme": "W1000"})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert f"{reverse('land:programmemember_export')}?programme=W1000&amp;format=csv" in html
    response = client.get(reverse("land:programmemember_export"), {"programme": "W1000", "format": "csv"})
    assert csv_rows(body(response))[1:] == [["W1000", "TH-001/W-1", "IR-23"]]
    assert client.get(members_url, {"programme": "NONE"}).context["table"].rows.__len__() == 0
    for name in ("contractextension", "contracttransfer", "plothold"):
        assert client.get(reverse(f"land:{name}_list")).status_code == 200, name
        assert client.get(reverse(f"land:{name}_export"), {"format": "xlsx"}).status_code == 200, name
    holds = client.get(reverse("land:plothold_export"), {"kind": "contract", "format": "csv"})
    assert [row[0] for row in csv_rows(body(holds))[1:]] == ["TH-001/A-1", "TH-001/B-1"]
