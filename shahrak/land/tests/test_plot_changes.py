"""Merging and splitting plots (issue 13; the rules are in shahrak/land/actions.py above
merge_plots): hand-worked areas, prices and free serviced land, the catalogue, the holds carried
over to the new plots, the history written, and the refusals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shahrak.estates.models import Estate, free_land_by
from shahrak.land import actions
from shahrak.land.actions import NewPlot
from shahrak.land.models import Plot, PlotChange, PlotHold, PlotStatus, ReleaseReason
from shahrak.records.guards import WriteRefused
from shahrak.returns import actions as returns

from .conftest import english
from .fixtures import approved, make_estate, make_plot, signed

pytestmark = pytest.mark.django_db

DAY = dt.date(2022, 6, 1)  # 11 Khordad 1401
BEFORE, AFTER = DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)


def free_ha(estate, day):
    """The estate's free serviced land on the day, read both ways (per estate and grouped), which agree."""
    annotated = Estate.objects.with_free_land(day).get(pk=estate.pk).free_land
    grouped = free_land_by(Estate.objects.filter(pk=estate.pk), day, "pk").get(estate.pk, Decimal(0))
    assert grouped == annotated
    return annotated


def test_a_merge_worked_by_hand(admin_user):
    estate = make_estate(county="2301")
    a = make_plot(estate, code="A-1", area=3_000, price=1_000_000)
    b = make_plot(estate, code="A-2", area=1_000, price=2_000_000)
    c = make_plot(estate, code="A-3", area=6_000, serviced=False)  # not merged, never counts
    assert free_ha(estate, BEFORE) == Decimal("0.4")  # 4,000 m² free and serviced
    merged = actions.merge_plots([a, b], code="A-12", date=DAY, reason="درخواست سرمایه‌گذار", actor=admin_user)
    # 3,000 + 1,000 m²; (3,000 × 1,000,000 + 1,000 × 2,000,000) / 4,000 = 1,250,000 rials per m².
    assert merged.area_m2 == Decimal(4_000) and merged.price_per_m2_rials == 1_250_000
    assert merged.fully_serviced and merged.made_by.kind == "merge"
    # The estate's free serviced land is the same area, now one plot: before, on and after the day.
    assert free_ha(estate, BEFORE) == free_ha(estate, DAY) == free_ha(estate, AFTER) == Decimal("0.4")
    free_before = set(Plot.objects.free_on(BEFORE).values_list("code", flat=True))
    free_after = set(Plot.objects.free_on(DAY).values_list("code", flat=True))
    assert free_before == {"A-1", "A-2", "A-3"} and free_after == {"A-12", "A-3"}
    assert [a.status_on(DAY), merged.status_on(BEFORE), merged.status_on(DAY)] == [
        "retired",
        "retired",
        "free",
    ]
    assert c.status_on(DAY) == PlotStatus.FREE
    # The record of the change and the history, written in the one transaction.
    change = PlotChange.objects.get()
    assert (change.kind, change.date, change.estate, change.recorded_by) == ("merge", DAY, estate, admin_user)
    assert set(change.sources.values_list("code", flat=True)) == {"A-1", "A-2"}
    assert list(change.results.values_list("code", flat=True)) == ["A-12"]
    assert change.history.count() == 1 and change.history.first().history_user == admin_user
    a.refresh_from_db()
    assert a.history.first().ended_by_id == change.pk and a.history.count() == 2
    assert actions.lineage(merged)["came_from"] == [a, b]
    assert actions.lineage(a)["became"] == [merged]


def test_the_catalogue_lists_the_merged_plot_not_the_retired_ones(admin_user, client):
    from django.utils import timezone

    today = timezone.localdate()
    estate = make_estate(county="2301")
    a, b = make_plot(estate, code="A-1"), make_plot(estate, code="A-2")
    actions.merge_plots([a, b], code="A-12", date=today, reason="یکپارچه‌سازی", actor=admin_user)
    page = client.get(reverse("web:catalogue_estate", args=[estate.code])).content.decode()
    assert "A-12" in page and "A-1<" not in page and "A-2<" not in page
    with pytest.raises(ValidationError):  # a retired plot is no longer offered to the public
        actions.submit_online(_online(estate), [a], day=today)


def _online(estate):
    from shahrak.land.models import Application
    from tests.factories import national_id

    return Application(
        estate=estate, applicant_kind="legal", applicant_id=national_id(991), name="سرمایه‌گذار",
        requested_area_m2=1000,
    )  # fmt: skip


def test_a_split_worked_by_hand_and_areas_that_do_not_add_up_are_refused(admin_user):
    estate = make_estate(county="2301")
    plot = make_plot(estate, code="B-1", area=10_000, price=900_000, has_gas=False)
    make_plot(estate, code="B-9", area=2_500)
    assert free_ha(estate, DAY) == Decimal("0.25")  # B-1 lacks gas
    with pytest.raises(ValidationError, match="add up to 9,999"):
        actions.split_plot(
            plot, [NewPlot("B-1a", 6_000), NewPlot("B-1b", 3_999)], date=DAY, reason="x", actor=admin_user
        )
    with pytest.raises(ValidationError, match="at least two"):
        actions.split_plot(plot, [NewPlot("B-1a", 10_000)], date=DAY, reason="x", actor=admin_user)
    assert not PlotChange.objects.exists() and Plot.objects.count() == 2
    polygon = {"type": "Polygon", "coordinates": [[[0, 0], [60, 0], [60, 100], [0, 100], [0, 0]]]}
    parts = actions.split_plot(
        plot, [NewPlot("B-1a", "6000.50", polygon), NewPlot("B-1b", "3999.50")], date=DAY,
        reason="تفکیک", actor=admin_user,
    )  # fmt: skip
    assert [(p.code, p.area_m2, p.price_per_m2_rials, p.has_gas, p.has_water) for p in parts] == [
        ("B-1a", Decimal("6000.50"), 900_000, False, True),
        ("B-1b", Decimal("3999.50"), 900_000, False, True),
    ]
    assert parts[0].polygon == polygon
    assert set(Plot.objects.free_on(DAY).values_list("code", flat=True)) == {"B-1a", "B-1b", "B-9"}
    assert free_ha(estate, DAY) == Decimal("0.25")
    change = PlotChange.objects.get()
    assert change.kind == "split" and list(change.sources.all()) == [plot]
    # A retired plot is not split, merged or reserved again.
    plot.refresh_from_db()
    with pytest.raises(ValidationError, match="not a plot on that day"):
        actions.split_plot(
            plot, [NewPlot("X", 5_000), NewPlot("Y", 5_000)], date=AFTER, reason="x", actor=admin_user
        )
    with pytest.raises(ValidationError, match="not held outside"):
        approved(estate, admin_user, [plot], day=AFTER)
    with pytest.raises(ValidationError, match="not held outside"):  # nor a new plot before it is made
        approved(estate, admin_user, [parts[0]], day=BEFORE)
    approved(estate, admin_user, [parts[1]], day=AFTER)  # a new plot is held like any other


def test_the_contract_holding_the_plots_holds_the_merged_plot(admin_user):
    estate = make_estate(county="2301")
    a, b = make_plot(estate, area=2_000), make_plot(estate, area=3_000)
    contract = signed(estate, admin_user, [a, b], day=dt.date(2022, 4, 1))
    fee = contract.fee_rials
    merged = actions.merge_plots([a, b], code="C-1", date=DAY, reason="ادغام قطعات قرارداد", actor=admin_user)
    assert merged.status_on(DAY) == PlotStatus.ALLOCATED and merged.made_by.contract == contract
    hold = PlotHold.objects.get(plot=merged)
    assert (hold.contract, hold.start_date, hold.released_on) == (contract, DAY, None)
    old = PlotHold.objects.filter(plot__in=[a, b], kind="contract")
    assert {(h.released_on, h.release_reason) for h in old} == {(DAY, ReleaseReason.PLOT_CHANGE)}
    assert a.status_on(BEFORE) == PlotStatus.ALLOCATED and a.status_on(DAY) == PlotStatus.RETIRED
    contract.refresh_from_db()
    assert contract.fee_rials == fee and contract.area_m2 == merged.area_m2
    # Terminating the contract later reclaims the merged plot, and only it.
    actions.terminate(contract, date=AFTER, reason="عدم ساخت", actor=admin_user)
    assert merged.status_on(AFTER) == PlotStatus.RECLAIMED
    assert set(Plot.objects.free_on(AFTER).values_list("pk", flat=True)) == {merged.pk}


def test_a_contract_is_not_terminated_before_the_day_its_plots_were_merged(admin_user):
    estate = make_estate(county="2301")
    a, b = make_plot(estate, area=2_000), make_plot(estate, area=3_000)
    contract = signed(estate, admin_user, [a, b], day=dt.date(2022, 4, 1))
    merged = actions.merge_plots([a, b], code="C-2", date=DAY, reason="ادغام", actor=admin_user)
    with pytest.raises(ValidationError, match="merged or split on 1401/03/11") as refused:
        actions.terminate(contract, date=BEFORE, reason="عدم ساخت", actor=admin_user)
    assert "terminated_date" in refused.value.message_dict
    contract.refresh_from_db()
    assert contract.status == "active" and contract.terminated_date is None
    assert PlotHold.objects.get(plot=merged).released_on is None  # nothing was written
    actions.terminate(contract, date=DAY, reason="عدم ساخت", actor=admin_user)  # the day itself: allowed
    assert merged.status_on(DAY) == PlotStatus.RECLAIMED


def test_a_merged_or_retired_plot_keeps_its_estate_and_area(admin_user, client, tmp_path):
    from shahrak.imports.importer import import_file
    from shahrak.imports.tests.helpers import write_csv
    from shahrak.records.actions import save_record

    estate, other = make_estate(county="2301"), make_estate(county="2301")
    a, b = make_plot(estate, code="K-1", area=1_000), make_plot(estate, code="K-2", area=500)
    merged = actions.merge_plots([a, b], code="K-12", date=DAY, reason="ادغام", actor=admin_user)
    a.refresh_from_db()
    a.area_m2 = Decimal(1_200)
    with pytest.raises(ValidationError, match="kept as it was then") as refused:
        save_record(a, actor=admin_user)
    assert set(refused.value.message_dict) == {"area_m2"}
    merged.estate = other
    with pytest.raises(ValidationError, match="fixed its estate and area"):
        save_record(merged, actor=admin_user)
    merged.refresh_from_db()
    merged.price_per_m2_rials = 3_000_000  # its price and utilities are still the officer's to change
    save_record(merged, actor=admin_user)
    # The edit page says so and changes nothing.
    english(client, admin_user)
    data = {
        "estate": estate.pk, "code": "K-12", "area_m2": "1600", "use": "industrial",
        "price_per_m2_rials": "3000000", "reason": "اصلاح",
    }  # fmt: skip
    url = reverse("land:plot_edit", args=[merged.pk])
    page = client.get(url).content.decode()
    assert page.count("fixed by its merge or split") == 2 and 'name="area_m2"' in page
    assert client.post(url, data).status_code == 302  # the area sent is not the form's to take
    # An import is refused the same way, row by row, and writes nothing.
    rows = [
        ["Estate code", "Plot code", "Area (m²)", "Price per m² (rials)"],
        [estate.code, "K-1", "900", "2000000"],
    ]
    result = import_file(write_csv(tmp_path / "plots.csv", rows), user=admin_user)
    assert not result.written and any("kept as it was then" in line for line in result.error_lines())
    assert Plot.objects.get(pk=a.pk).area_m2 == 1_000 and Plot.objects.get(pk=merged.pk).area_m2 == 1_500


def test_refusals_different_estates_another_contract_a_reservation_a_use(admin_user):
    one, two = make_estate(county="2301"), make_estate(county="2301")
    with pytest.raises(ValidationError, match="same estate"):
        actions.merge_plots(
            [make_plot(one), make_plot(two)], code="M", date=DAY, reason="x", actor=admin_user
        )
    free, held = make_plot(one), make_plot(one)
    signed(one, admin_user, [held], day=dt.date(2022, 4, 1))
    with pytest.raises(ValidationError, match="not all free, nor all held by the same contract"):
        actions.merge_plots([free, held], code="M", date=DAY, reason="x", actor=admin_user)
    x, y = make_plot(one), make_plot(one)
    signed(one, admin_user, [x], day=dt.date(2022, 4, 1))
    signed(one, admin_user, [y], day=dt.date(2022, 4, 1))
    with pytest.raises(ValidationError, match="same contract"):
        actions.merge_plots([x, y], code="M", date=DAY, reason="x", actor=admin_user)
    reserved = make_plot(one)
    approved(one, admin_user, [reserved], day=DAY)
    with pytest.raises(ValidationError, match="reserved on that day"):
        actions.split_plot(
            reserved, [NewPlot("R1", 500), NewPlot("R2", 500)], date=DAY, reason="x", actor=admin_user
        )
    later = make_plot(one)
    approved(one, admin_user, [later], day=AFTER)  # reserved from the next day
    with pytest.raises(ValidationError, match="held from a later day"):
        actions.split_plot(
            later, [NewPlot("L1", 500), NewPlot("L2", 500)], date=DAY, reason="x", actor=admin_user
        )
    with pytest.raises(ValidationError, match="same use"):
        actions.merge_plots(
            [make_plot(one), make_plot(one, use="warehouse")],
            code="M",
            date=DAY,
            reason="x",
            actor=admin_user,
        )
    with pytest.raises(ValidationError):  # the reason is required
        actions.merge_plots(
            [make_plot(one), make_plot(one)], code="M", date=DAY, reason=" ", actor=admin_user
        )
    p, q = make_plot(one, code="E-1"), make_plot(one)
    with pytest.raises(ValidationError):  # the new code is already a plot of the estate
        actions.merge_plots([p, q], code="E-1", date=DAY, reason="x", actor=admin_user)
    assert not PlotChange.objects.exists() and not Plot.objects.filter(ended_by__isnull=False).exists()


def test_an_officer_of_another_province_is_refused(officer):
    qazvin = make_estate(county="2601")
    a, b = make_plot(qazvin), make_plot(qazvin)
    with pytest.raises(PermissionDenied):
        actions.merge_plots([a, b], code="M", date=DAY, reason="x", actor=officer)
    tehran = make_estate(county="2301")
    merged = actions.merge_plots(
        [make_plot(tehran), make_plot(tehran)], code="M", date=DAY, reason="x", actor=officer
    )
    assert merged.made_by.recorded_by == officer


def test_a_merge_or_split_in_a_locked_month_is_refused(tehran, make_user, analyst, admin_user):
    from shahrak.accounts.models import Role

    officer = make_user(Role.OFFICER, province="IR-23", username="officer-plot-lock")
    found = returns.return_for(tehran, 1401, 3)  # Khordad 1401
    returns.submit(found, actor=officer, summary="all in")
    returns.approve(found, actor=analyst)
    estate = make_estate(county="2301")
    a, b = make_plot(estate, area=500), make_plot(estate, area=500)
    with pytest.raises(WriteRefused, match="Khordad 1401 of Tehran is locked"):
        actions.merge_plots([a, b], code="M", date=DAY, reason="x", actor=admin_user)
    with pytest.raises(WriteRefused):
        actions.split_plot(
            a, [NewPlot("S1", 250), NewPlot("S2", 250)], date=DAY, reason="x", actor=admin_user
        )
    assert not PlotChange.objects.exists() and Plot.objects.count() == 2
    assert not Plot.objects.filter(ended_by__isnull=False).exists()
    tir = dt.date(2022, 6, 22)  # 1 Tir 1401, the next month, is open
    assert actions.merge_plots([a, b], code="M", date=tir, reason="x", actor=admin_user).area_m2 == 1_000


def test_the_plot_page_shows_where_it_came_from_and_what_it_became(admin_user, client):
    estate = make_estate(county="2301")
    square = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}
    a, b = make_plot(estate, code="A-1", polygon=square), make_plot(estate, code="A-2")
    c = make_plot(estate, code="A-3", polygon=square)
    merged = actions.merge_plots([a, b], code="A-12", date=DAY, reason="ادغام", actor=admin_user)
    english(client, admin_user)
    page = client.get(reverse("land:plot", args=[merged.pk])).content.decode()
    assert 'data-testid="lineage"' in page and "A-1" in page and "A-2" in page and "Came from" in page
    page = client.get(reverse("land:plot", args=[a.pk])).content.decode()
    assert "Became" in page and "A-12" in page and "retired (merged or split)" in page
    # No longer on the estate's plan, so no plan claiming to mark it; a plot still there has one.
    assert 'id="site-plan-data"' not in page
    assert 'id="site-plan-data"' in client.get(reverse("land:plot", args=[c.pk])).content.decode()


def test_the_officer_merges_and_splits_from_the_plot_page(officer, client):
    estate = make_estate(county="2301")
    a, _b = make_plot(estate, code="F-1", area=1_200), make_plot(estate, code="F-2", area=800)
    english(client, officer)
    page = client.get(reverse("land:plot", args=[a.pk])).content.decode()
    assert 'data-testid="action-merge"' in page and 'data-testid="action-split"' in page
    url = reverse("land:plot_action", args=[a.pk, "merge"])
    response = client.post(url, {"date": "1401/03/11", "others": "F-2", "code": "F-12", "reason": "ادغام"})
    assert response.status_code == 302
    merged = Plot.objects.get(code="F-12")
    assert merged.area_m2 == 2_000 and merged.made_by.date == DAY and merged.made_by.recorded_by == officer
    page = client.get(reverse("land:plot", args=[a.pk])).content.decode()
    assert "action-merge" not in page and "F-12" in page  # retired: no forms, what it became
    # Areas that do not add up: refused, said on the page, nothing written.
    url = reverse("land:plot_action", args=[merged.pk, "split"])
    response = client.post(
        url, {"date": "1401/03/12", "parts": "F-12a 1500\nF-12b 400", "reason": "تفکیک"}, follow=True
    )
    assert "add up to 1,900" in response.content.decode() and not Plot.objects.filter(code="F-12a").exists()
    response = client.post(
        url, {"date": "1401/03/12", "parts": "F-12a 1500\nF-12b", "reason": "تفکیک"}, follow=True
    )
    assert "its code, a space, its area" in response.content.decode()
    client.post(url, {"date": "1401/03/12", "parts": "F-12a 1500\nF-12b 500", "reason": "تفکیک"})
    assert list(Plot.objects.filter(made_by__kind="split").values_list("code", "area_m2")) == [
        ("F-12a", 1500), ("F-12b", 500)
    ]  # fmt: skip


def test_an_officer_of_another_province_has_no_forms_and_is_refused(officer, client):
    qazvin = make_estate(county="2601")
    a, _b = make_plot(qazvin, code="G-1"), make_plot(qazvin, code="G-2")
    english(client, officer)
    page = client.get(reverse("land:plot", args=[a.pk])).content.decode()
    assert "action-merge" not in page
    url = reverse("land:plot_action", args=[a.pk, "merge"])
    client.post(url, {"date": "1401/03/11", "others": "G-2", "code": "G-12", "reason": "ادغام"})
    assert not PlotChange.objects.exists()
