"""Every page read in Persian, with records present, shows Persian words, Persian digits and Solar
Hijri dates, outside codes and identifiers (see visible.py for exactly what is left out), and never
a middle dot beside a digit (it reads as a Persian zero: «ایران · ۱ فروردین» reads «۱۰ فروردین»).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shahrak.analysis.fixtures import DEMO_PRICE_SERIES, PRICE_SERIES, load_claims, load_price_index
from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.imports.models import ImportJob
from shahrak.land.models import (
    AllocationContract,
    Application,
    ContractExtension,
    ContractTransfer,
    Instalment,
    LandPayment,
    Plot,
    PlotHold,
    Programme,
    ProgrammeMember,
    WorkshopLease,
)
from shahrak.money.models import ExchangeRate
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement
from shahrak.records.actions import save_record
from shahrak.regions.models import County, Province
from shahrak.targets.models import Target
from shahrak.units.models import ProductionUnit, UnitEvent
from shahrak.web.figures import FIGURES

from .visible import dots_by_digits, latin_leftovers, visible_pieces

MODELS = [Estate, WorkshopUnit, ProductionUnit, UnitEvent, DevelopmentProject, Disbursement, PlannedDisbursement,
          Target, ExchangeRate, Province, County,
          Plot, Application, AllocationContract, Instalment, LandPayment, WorkshopLease, Programme,
          ContractExtension, ContractTransfer, PlotHold, ProgrammeMember]  # fmt: skip
YEAR = "?period=year&year=1401"


def name(model, action=""):
    meta = model._meta
    return f"{meta.app_label}:{meta.model_name}" + (f"_{action}" if action else "")


def record_pages(model) -> list[str]:
    record = model.objects.order_by("pk").first()
    pages = [reverse(name(model, "list")), reverse(name(model, "list")) + "?q=1401&sort=-pk"]
    for action, args in (("", [record.pk]), ("history", [record.pk]), ("add", []), ("edit", [record.pk]),
                         ("delete", [record.pk]), ("deleted", [])):  # fmt: skip
        try:
            pages.append(reverse(name(model, action), args=args))
        except Exception:  # noqa: BLE001 - not every record type has every page
            continue
    return pages


@pytest.fixture
def world(sample, admin_user, settings, tmp_path):
    """The sample records, a change in their history, a deletion, an import with problems and the
    article's claims and the price-index series (the compiled CPI and the invented demo one)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_claims()
    for path in (*PRICE_SERIES, DEMO_PRICE_SERIES):
        load_price_index(path)
    estate = sample["th01"]
    estate.allocated_area_ha = 61
    save_record(estate, actor=admin_user, reason="بازبینی")
    admin_user.first_name, admin_user.last_name = "مدیر", "سامانه"
    admin_user.language = "fa"
    admin_user.save()
    build_land(sample, admin_user)
    from shahrak.analysis.actions import save_scenario
    from shahrak.analysis.models import Scenario

    save_scenario(
        Scenario(name="افزودن به تهران", year=1401, scope="IR-23", delta_rials=10**13, unit="hemat",
                 mode="chosen", counties=["2301"]),
        actor=admin_user,
    )  # fmt: skip
    return sample


def build_land(sample, admin):
    """Land on TH-01: plots (one on the site plan), an application scored, one approved, a contract
    with its schedule, a payment, an extension and a transfer, a terminated contract, a lease and a programme."""
    from decimal import Decimal

    from shahrak.land import actions

    from .sample import j, national_id

    estate = sample["th01"]
    square = {"type": "Polygon", "coordinates": [[[0, 0], [40, 0], [40, 25], [0, 25], [0, 0]]]}
    plots = [
        Plot.objects.create(
            estate=estate,
            code=f"A-{n}",
            area_m2=Decimal(1000 * n),
            price_per_m2_rials=2_000_000,
            has_water=True,
            has_electricity=True,
            has_gas=n != 3,
            has_road=True,
            has_telecom=True,
            polygon=square if n == 1 else None,
        )  # fmt: skip
        for n in range(1, 6)
    ]

    def applied(n, day):
        found = Application(
            estate=estate, applicant_kind="legal", applicant_id=national_id(f"20200000{n:02d}"),
            name="صنایع نمونه " + "۰۱۲۳۴۵۶۷۸۹"[n], phone="021-5555", requested_area_m2=Decimal(2000), applied_date=j(day),
            isic=sample["u1"].isic, channel="online",
        )  # fmt: skip
        return actions.submit_application(found, actor=admin, plots=[plots[n % 5]])

    first = applied(1, "1401/06/01")
    actions.review(first, {"jobs": 80, "investment": 70, "technology": 60, "experience": 50}, actor=admin)
    actions.approve(applied(2, "1401/06/05"), [plots[1]], day=j("1401/06/10"), actor=admin)
    signed = actions.approve(applied(3, "1401/02/01"), [plots[2]], day=j("1401/02/10"), actor=admin)
    contract = actions.sign_contract(signed, signed=j("1401/03/01"), actor=admin)
    actions.record_payment(
        contract, date=j("1401/03/01"), amount_rials=1_200_000_000, reference="PAY-9", actor=admin
    )
    actions.extend(
        contract, new_deadline=j("1404/01/01"), reason="تأخیر برق", granted=j("1401/08/01"), actor=admin
    )
    actions.transfer(
        contract, sample["u2"], date=j("1401/09/01"), reason="فروش با موافقت سازمان", actor=admin
    )
    ended = actions.approve(applied(4, "1400/02/01"), [plots[3]], day=j("1400/02/10"), actor=admin)
    ended = actions.sign_contract(ended, signed=j("1400/03/01"), actor=admin)
    actions.terminate(ended, date=j("1401/05/01"), reason="عدم شروع ساخت", actor=admin)
    actions.reject(applied(5, "1401/07/01"), "ظرفیت تکمیل", day=j("1401/07/10"), actor=admin)
    workshop = WorkshopUnit.objects.get(estate=estate, code="W3")
    actions.lease_workshop(
        workshop,
        sample["u3"],
        start=j("1401/01/15"),
        end=j("1402/01/14"),
        monthly_rent_rials=50_000_000,
        actor=admin,
    )
    programme = Programme.objects.create(
        code="P-1000", name_fa="طرح ۱۰۰۰ کارگاه", name_en="1,000 workshops", target=1000
    )
    programme.members.create(workshop=workshop)
    # Two plots merged on 1 Mehr 1401, the merged plot split on 1 Aban: a plot page with its lineage.
    pair = [
        Plot.objects.create(
            estate=estate,
            code=f"B-{n}",
            area_m2=Decimal(1500),
            price_per_m2_rials=1_000_000 * n,
            has_water=True,
            has_electricity=True,
            has_gas=True,
            has_road=True,
            has_telecom=True,
        )  # fmt: skip
        for n in (1, 2)
    ]
    merged = actions.merge_plots(pair, code="B-12", date=j("1401/07/01"), reason="قطعهٔ بزرگ‌تر", actor=admin)
    parts = [actions.NewPlot("B-12-1", 2000), actions.NewPlot("B-12-2", 1000)]
    actions.split_plot(merged, parts, date=j("1401/08/01"), reason="دو واحد جدا", actor=admin)


def import_with_problems(client) -> str:
    from .sample import national_id

    data = (
        "national_id,name,estate,isic,employees\n"
        f"{national_id('3030000002')},تازه,TH-01,1071,7\n"
        f"{national_id('3030000003')},بد,TH-01,1071,0\n"
    ).encode()
    client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("units.csv", data), "keep_valid": "on"}
    )
    return reverse("imports:job", args=[ImportJob.objects.latest("pk").pk])


def _code_of(state) -> str:
    """A tracking code of the application in that state (only hashes are stored: a new one)."""
    from shahrak.land.models import new_tracking_code

    application = Application.objects.get(status=state)
    application.tracking_code = new_tracking_code()
    application.save(update_fields=["tracking_hash"])
    return application.tracking_code


def every_page(client) -> list[str]:
    pages = [
        "/" + YEAR,
        "/",
        "/balance/" + YEAR,
        # The what-if panel (issue 15): spread in hemat, added to a chosen county, refused input.
        "/balance/" + YEAR + "&wi-delta=۴&wi-unit=hemat&wi-mode=spread",
        "/balance/" + YEAR + "&scope=IR-23&wi-delta=1&wi-unit=billion_rial&wi-mode=chosen&wi-county=2301",
        "/balance/" + YEAR + "&scope=IR-23&wi-delta=-1&wi-unit=rial&wi-mode=chosen&wi-county=0401",
        reverse("analysis:scenario_list"),
        reverse("web:catalogue"),
        reverse("web:catalogue_estate", args=["TH-01"]),
        reverse("imports:upload"),
        import_with_problems(client),
    ]
    pages += [reverse("web:drilldown", args=[key]) + YEAR for key in FIGURES]
    pages.append(reverse("analysis:ledger"))  # the claims ledger, with the article's 18 claims
    constant = reverse(
        "analysis:constant_rials"
    )  # constant (a month without an index), current, the demo series
    pages += [constant, constant + "?prices=current", constant + "?source=demo&prices=1398-01"]
    nowcast = reverse("analysis:nowcast")  # the year-end nowcast: this year's, and 1401's as of Azar's end
    pages += [nowcast, nowcast + "?year=1401&as_of=1401-09-30"]
    # Data quality (issue 14): the provinces ranked for Azar 1401, and Tehran's rules and records.
    pages += [
        reverse("analysis:quality") + "?month=1401-09",
        reverse("analysis:quality_province", args=["IR-23"]) + "?month=1401-09",
    ]
    for model in MODELS:
        pages += record_pages(model)
    # The land officer's pages beyond the record pages: the inbox by state, the terms before signing.
    approved = Application.objects.get(status="approved")
    pages += [
        reverse("land:application_list") + "?status=approved",
        reverse("land:application_sign", args=[approved.pk]),
        reverse("land:application_sign", args=[approved.pk]) + "?signed=1401/06/20&discount_percent=10",
        reverse("land:allocationcontract", args=[AllocationContract.objects.get(status="terminated").pk]),
        # A merged plot that was split again (where it came from, what it became), a retired one.
        reverse("land:plot", args=[Plot.objects.get(code="B-12").pk]),
        reverse("land:plot", args=[Plot.objects.get(code="B-1").pk]),
    ]
    # The investor's public pages (issue 13): the application form of TH-01's free plots, the
    # tracking-code lookup, and the status page of an application under review, approved, rejected.
    pages += [reverse("web:catalogue_apply", args=["TH-01"]), reverse("web:application_lookup")]
    pages += [
        reverse("web:application_status", args=[_code_of(state)])
        for state in ("under_review", "approved", "rejected")
    ]
    return pages


def test_every_page_in_persian_has_no_latin_words_or_digits(world, client, admin_user):
    # Before: 78 of the 99 pages walked showed 801 Latin pieces (codes unmarked in record names and
    # options, English province and county names, «1 2022-05-05 30000000000» as a payment's name,
    # the import report in Latin digits, «خروجی CSV», 145 ISIC options per unit form …).
    client.force_login(admin_user)
    found = {}
    pages = every_page(client)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        leftovers = latin_leftovers(response.content.decode())
        if leftovers:
            found[page] = leftovers
    assert found == {}
    # Every list, record, history, add, edit, delete and deleted page of every record type, the
    # dashboard, balance, catalogue, every drill-down, the claims ledger, spending at constant
    # prices, the year-end nowcast, the import page and an import's report; land's record pages
    # (plots, applications, contracts, instalments, payments, leases, programmes), the inbox by
    # state, the terms before signing and the seven land drill-downs; the investor's public pages
    # (the application form, the tracking-code lookup, three status pages: 148 + 5); data quality's
    # ranking and a province's page (+ 2); the balance page with its what-if panel three ways and
    # the saved scenarios (+ 4); a merged-and-split plot's page and a retired plot's page (+ 2); the
    # lists of deadline extensions, contract transfers, plot holds and programme members, each plain
    # and searched (+ 8).
    assert len(pages) == 169


def test_no_middle_dot_beside_a_digit_on_any_page_in_either_language(world, client, admin_user):
    client.force_login(admin_user)
    found = {}
    for language in ("fa", "en"):
        admin_user.language = language
        admin_user.save(update_fields=["language"])
        for page in every_page(client):
            text = " ".join(visible_pieces(client.get(page).content.decode()))
            if dots_by_digits(text):
                found[(language, page)] = dots_by_digits(text)
    assert found == {}


def test_the_scanner_finds_what_a_reader_would_see():
    html = (
        "<html><head><title>داشبورد</title><script>var x = 1;</script></head><body>"
        '<p>۱۲ واحد <span class="code" dir="ltr">TH-01</span></p><p>2 units</p>'
        '<input type="hidden" value="12"><input name="y" value="1401"><input placeholder="1401/01/01">'
        '<button lang="en">English</button><select><option>- Select an option -</option></select></body></html>'
    )
    assert latin_leftovers(html) == ["2 units", "1401", "1401/01/01", "- Select an option -"]
    # A code in plain text is left out only when marked (between U+2066 and U+2069, as code_text writes
    # it); the rest of the same text is still read. A code kept left-to-right but not marked is found.
    from shahrak.core.text import code_text

    html = (
        f"<title>کارگاه {code_text('TH-01/W1')} — شهرک</title>"
        f"<select><option>{code_text('TH-01')} — شمس‌آباد</option><option>{code_text('WA-01')} Piranshahr</option>"
        '<option>TH-02 — تهران</option></select><bdi dir="ltr">W3</bdi><input class="form-control code" value="TH-01">'
        f'<input value="{code_text("P-1")} 12">'
    )
    assert latin_leftovers(html) == [
        "\u2066WA-01\u2069 Piranshahr",
        "TH-02 — تهران",
        "W3",
        "\u2066P-1\u2069 12",
    ]
    # What a person types cannot hold the marks: they are removed as text is read.
    from shahrak.core.text import normalize, normalize_text

    assert normalize_text(code_text("Tehran")) == normalize(code_text("Tehran")) == "Tehran"
    assert dots_by_digits("ایران · ۱ فروردین، 215 ·6") == ["· ۱", "5 ·"]


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_no_middle_dot_beside_a_digit_in_the_bulletin_or_the_cli_table(sample, lang):
    from shahrak.core.jalali import year_bounds
    from shahrak.metrics import engine
    from shahrak.metrics.text import render_table
    from shahrak.regions.scope import NATION
    from shahrak.reports.bulletin import build_bulletin

    bulletin = build_bulletin(1401, 9, lang).as_text()
    # The key figures of the sample: 2 projects underway with 70 billion rials of credit, 1 unit revived.
    row = "۲ پروژه، ۷۰ میلیارد ریال" if lang == "fa" else "2 projects, 70 billion rials"
    assert row in bulletin
    assert dots_by_digits(bulletin) == []
    period = year_bounds(1401)
    table = render_table(engine.compute_all(period), period, NATION, lang)
    assert table.splitlines()[0] == (
        "ایران، ۱ فروردین ۱۴۰۱ – ۲۹ اسفند ۱۴۰۱" if lang == "fa" else "Iran, 1 Farvardin 1401 – 29 Esfand 1401"
    )
    assert dots_by_digits(table) == []


@pytest.mark.parametrize("page", ["/" + YEAR, "/", "/catalogue/"])
def test_the_dashboard_and_catalogue_in_persian_have_no_latin_words_or_digits(
    page, world, client, admin_user
):
    # The period bar's year box and date placeholders were «1401» and «1401/01/01»; the menu said «(API)».
    client.force_login(admin_user)
    assert latin_leftovers(client.get(page).content.decode()) == []


def test_a_date_box_shows_the_stored_day_in_persian_digits_and_reads_latin_ones(world, client, admin_user):
    client.force_login(admin_user)
    unit = world["u1"]
    page = client.get(reverse("units:productionunit_edit", args=[unit.pk])).content.decode()
    assert 'value="۱۴۰۱/۰۴/۰۱"' in page and 'placeholder="۱۴۰۱/۰۱/۰۱"' in page and 'value="۱۲"' in page
    # What the date picker writes (Latin digits) is read as well as what a person types.
    from shahrak.core.forms import JalaliDateField

    assert (
        JalaliDateField().clean("1401/04/01")
        == JalaliDateField().clean("۱۴۰۱/۰۴/۰۱")
        == unit.knowledge_based_since
    )


def test_the_message_after_adding_an_event_names_the_unit_in_persian_with_a_solar_hijri_day(
    world, client, admin_user
):
    client.force_login(admin_user)
    unit = world["u3"]  # idled 1401/05/05
    response = client.post(
        reverse("units:unitevent_add"),
        {"unit": unit.national_id, "date": "1401/10/01", "kind": "revived", "jobs": "۴"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["«صنایع غذایی البرز: احیا شد ۱۴۰۱/۱۰/۰۱» افزوده شد."]
