"""The web app in a real Chromium (Debian's chromium driven by Playwright), against a live server.

One browser for the module; each test signs in afresh. Screenshots of the main pages in both
languages go to a temporary folder, or to the folder named by SHAHRAK_SCREENSHOTS
(`SHAHRAK_SCREENSHOTS=docs/screenshots make test` refreshes the README's pictures).
"""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from shahrak.core.text import code_text
from shahrak.web.screenshots import CHROMIUM, CHROMIUM_ARGS, VIEWPORT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-browser-tests"
BILLION = 10**9


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are still
    # plain synchronous calls, so Django's guard against async use is lifted for these tests only.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="module")
def reference_data_back(django_db_blocker):
    """Transactional tests empty every table when they end; later tests expect the reference data."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def site(reference_data_back, transactional_db, live_server):
    from shahrak.accounts.models import Role, User
    from shahrak.regions.models import Province

    from .sample import build_sample

    if not Province.objects.exists():
        call_command("load_reference", verbosity=0)
    records = build_sample()
    User.objects.create_user("admin", password=PASSWORD, role=Role.ADMINISTRATOR, language="fa")
    return {"url": live_server.url, **records}


@pytest.fixture
def page(browser, site):
    # An Iranian reader's browser; the site is Persian for them, and English is a switch away.
    context = browser.new_context(viewport=VIEWPORT, locale="fa-IR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
    assert problems == []


def sign_in(page, site, then="/?period=year&year=1401"):
    page.goto(site["url"] + then)
    assert "/accounts/login/" in page.url  # everything but the catalogue needs a sign-in
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url


def html_direction(page) -> tuple[str, str]:
    return page.get_attribute("html", "lang"), page.get_attribute("html", "dir")


def card_values(page) -> dict:
    return {
        card.get_attribute("data-metric"): card.get_attribute("data-value")
        for card in page.locator("[data-metric]").all()
    }


def test_sign_in_and_the_dashboard_shows_the_engines_figures(page, site):
    from shahrak.core.jalali import year_bounds
    from shahrak.metrics import engine

    sign_in(page, site)
    assert html_direction(page) == ("fa", "rtl")
    figures = engine.compute_all(year_bounds(1401))
    headline = {
        "infrastructure_spending": lambda v: v["rials"],
        "projects_underway": lambda v: v["count"],
        "planned_spending": lambda v: v["rials"],
        "units_revived": lambda v: v["units"],
        "regional_balance": lambda v: v["spending_rials"],
        # Land and workshops (metrics/land.py): each card's headline.
        "land_allocated": lambda v: v["count"],
        "applications": lambda v: v["received"],
        "stalled_contracts": lambda v: v["count"],
        "land_reclaimed": lambda v: v["count"],
        "land_collection": lambda v: v["due_rials"],
        "workshop_occupancy": lambda v: v["completed"],
        "programme_progress": lambda v: v["planned"],
    }
    expected = {
        name: str(headline.get(name, lambda v: v)(result.value))
        for name, result in figures.items()
        if name != "target_progress"
    }
    assert card_values(page) == expected
    # And as a Persian reader sees them: Persian digits, billion rials, «٫» before the decimals.
    assert page.inner_text("[data-testid=figure-workshops_opened]") == "۳"
    assert page.inner_text("[data-testid=figure-infrastructure_spending]") == "۴۳٫۰ میلیارد ریال"
    assert expected["workshops_opened"] == "3" and expected["infrastructure_spending"] == str(43 * BILLION)


def test_a_drilldowns_total_equals_its_figure(page, site):
    sign_in(page, site)
    for name, total, rows in (("infrastructure_spending", "rials", 3), ("units_revived", "units", 1)):
        page.goto(site["url"] + "/?period=year&year=1401")
        figure = page.get_attribute(f"[data-metric={name}]", "data-value")
        page.click(f"[data-testid=figure-{name}]")
        page.wait_for_url(re.compile(f"/figures/{name}/"))
        assert page.get_attribute(f"[data-total={total}]", "data-value") == figure
        assert page.locator("table.records tbody tr").count() == rows


def test_switching_language_flips_direction_and_is_kept_on_the_user(page, site):
    from shahrak.accounts.models import User

    sign_in(page, site)
    assert html_direction(page) == ("fa", "rtl")
    page.click("[data-testid=language-switch]")
    page.wait_for_load_state("load")
    assert html_direction(page) == ("en", "ltr")
    assert page.inner_text("nav .nav-link.active") == "Dashboard"
    assert User.objects.get(username="admin").language == "en"
    page.goto(site["url"] + "/estates/")
    assert html_direction(page) == ("en", "ltr")
    page.click("[data-testid=language-switch]")
    page.wait_for_load_state("load")
    assert html_direction(page) == ("fa", "rtl")


def test_a_form_rejects_bad_input_in_persian_and_saves_good_input(page, site):
    from shahrak.units.models import ProductionUnit

    from .sample import national_id

    sign_in(page, site, then="/units/add/")
    page.select_option("#id_estate", str(site["th01"].pk))
    page.select_option("#id_isic", "2610")
    page.fill("#id_national_id", "۱۰۱۰۰۰۰۰۰۱۱")  # wrong check digit, in Persian digits
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert page.inner_text("[data-testid=error-national_id]") == "رقم کنترل این شناسه ملی نادرست است."
    assert page.inner_text("[data-testid=error-name]") == "این مقدار لازم است."
    good = national_id("3030000001")
    page.fill("#id_national_id", good.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    page.fill("#id_name", "قطعه‌سازي نمونه")  # an Arabic ي, stored as Persian ی
    page.fill("#id_employees", "۲۵")
    page.fill("#id_knowledge_based_since", "۱۴۰۱/۰۵/۰۱")
    page.keyboard.press("Escape")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/units/\d+/$"))
    unit = ProductionUnit.objects.get(national_id=good)
    assert (unit.name, unit.employees, unit.knowledge_based_since.isoformat(), unit.county.sci_code) == (
        "قطعه‌سازی نمونه", 25, "2022-07-23", "2301",
    )  # fmt: skip
    # The national ID is marked as a code (Unicode isolates: it stays left-to-right in the title).
    assert page.inner_text("h1") == f"قطعه‌سازی نمونه ({code_text(good)})"


def test_the_province_map_renders_without_tiles(page, site):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, site)
    page.wait_for_selector("[data-testid=map][data-ready='1']")
    assert page.get_attribute("[data-testid=map]", "data-regions") == "31"
    assert page.locator("[data-testid=map] svg path").count() >= 31
    page.select_option("[data-testid=map-metric]", "infrastructure_spending")
    page.wait_for_selector("[data-testid=map][data-ready='1']")
    # Nothing was fetched from anywhere but this site: no CDN, no tile server.
    assert {url.split("/")[2] for url in requests} == {site["url"].split("/")[2]}


def test_screenshots_of_the_main_pages_in_both_languages(page, site, tmp_path):
    from shahrak.web.screenshots import PAGES, take

    folder = Path(os.environ.get("SHAHRAK_SCREENSHOTS") or tmp_path)
    sign_in(page, site)
    files = take(page, site["url"], folder, f"/estates/{site['th01'].pk}/", "?period=year&year=1401")
    names = [*(name for name, *_ in PAGES), "form-errors"]
    assert sorted(f.name for f in files) == sorted(
        f"{name}-{lang}.png" for lang in ("fa", "en") for name in names
    )
    assert all(f.stat().st_size > 10_000 for f in files)


PHONE = {"width": 390, "height": 844}


def within_width(page, locator, width: int) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_catalogue_and_estate_page_on_a_phone(browser, site, tmp_path):
    from shahrak.estates.models import Estate

    # Given an investor's phone, 390 px wide, and an estate with its office's phone, address and place.
    th01 = Estate.objects.get(code="TH-01")
    th01.contact_phone, th01.office_address = "021-56781234", "شمس‌آباد، بلوار صنعت، ساختمان اداری شهرک"
    th01.latitude, th01.longitude = Decimal("35.56123"), Decimal("51.87456")
    th01.save()
    folder = Path(os.environ.get("SHAHRAK_SCREENSHOTS") or tmp_path)
    context = browser.new_context(viewport=PHONE, locale="fa-IR", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(site["url"] + "/catalogue/")
        for lang in ("fa", "en"):
            if html_direction(page)[0] != lang:
                page.click(".navbar-toggler")  # on a phone the menu, and the switch in it, is folded
                page.click("[data-testid=language-switch]")
                page.wait_for_load_state("load")
            # Then nothing runs off the side, and each estate's free land (TH-01: 100 − 60 = 40 ha;
            # WA-01: 20 − 5 = 15 ha) and free workshops (TH-01: W3, completed, never handed over;
            # WA-01: none) are on screen, beside their words.
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            expected = {"TH-01": ("40.0", "1"), "WA-01": ("15.0", "0")}
            persian = {"40.0": "۴۰٫۰", "15.0": "۱۵٫۰", "1": "۱", "0": "۰"}
            for code, (land, workshops) in expected.items():
                row = page.locator(f"[data-estate='{code}']")
                for testid, value in (("free-land", land), ("free-workshops", workshops)):
                    # Not scrolled into view: a wide table would scroll sideways to show it.
                    cell = row.locator(f"[data-testid={testid}]")
                    assert cell.is_visible() and within_width(page, cell, PHONE["width"]), (code, testid)
                    assert cell.inner_text().split()[-1] == (persian[value] if lang == "fa" else value)
            page.screenshot(path=folder / f"catalogue-phone-{lang}.png", full_page=True)

            # And the estate's page tells how to reach it, where it is and how to apply.
            page.click("[data-estate='TH-01'] a[data-testid=estate-link]")
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            phone = page.locator("[data-testid=contact-phone]")
            assert phone.inner_text() == ("۰۲۱-۵۶۷۸۱۲۳۴" if lang == "fa" else "021-56781234")
            assert phone.get_attribute("href") == "tel:02156781234"
            assert (
                page.inner_text("[data-testid=office-address]") == "شمس‌آباد، بلوار صنعت، ساختمان اداری شهرک"
            )
            coordinates = page.inner_text("[data-testid=coordinates]")
            assert coordinates == ("۳۵٫۵۶۱۲۳، ۵۱٫۸۷۴۵۶" if lang == "fa" else "35.56123, 51.87456")
            assert page.get_attribute("[data-testid=geo-link]", "href") == "geo:35.56123,51.87456"
            county = page.locator("[data-testid=county-link]")
            assert county.get_attribute("href").endswith("/catalogue/?county=2301")
            assert (
                page.locator("[data-testid=province-link]")
                .get_attribute("href")
                .endswith("/catalogue/?province=IR-23")
            )
            assert page.locator("[data-testid=how-to-apply] li").count() >= 3
            for testid in ("contact-phone", "how-to-apply"):
                assert within_width(page, page.locator(f"[data-testid={testid}]"), PHONE["width"])
            page.screenshot(path=folder / f"catalogue-estate-phone-{lang}.png", full_page=True)
            # The county link lists that county's estates.
            county.click()
            page.wait_for_load_state("load")
            assert page.locator("[data-estate]").count() == 1
            page.goto(site["url"] + "/catalogue/")
    finally:
        context.close()
