"""The what-if panel of the regional-balance page in a real Chromium (issue 15, item 5): the
analyst fills it in, sees the after-column beside today's, and the pictures of it in both languages
(docs/screenshots/whatif-fa.png and whatif-en.png with SHAHRAK_SCREENSHOTS=docs/screenshots)."""

import datetime as dt
import os
from pathlib import Path

import pytest

from .test_browser import browser, html_direction, page, reference_data_back, sign_in, site  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BILLION = 10**9


def plan(records):
    """West Azarbaijan's room for more in 1401: Urumia planned 20 billion and spent nothing; Khoy
    spent 2 of 6 billion planned. (Piranshahr spent 8 of 2 planned: no room.)"""
    from shahrak.projects.models import PlannedDisbursement
    from tests.factories import make_disbursement, make_estate, make_project

    urumia = make_project(records["wa02"], start_date=dt.date(2022, 3, 21))
    PlannedDisbursement.objects.create(project=urumia, year=1401, month=6, amount_rials=20 * BILLION)
    khoy = make_project(make_estate("0403", code="KH-01"), start_date=dt.date(2022, 3, 21))
    make_disbursement(khoy, dt.date(2022, 6, 1), 2 * BILLION)
    PlannedDisbursement.objects.create(project=khoy, year=1401, month=6, amount_rials=6 * BILLION)
    # Free serviced land (20 ha each) in two small counties, so that the ranking has rows.
    make_estate("0404", code="SD-01")
    make_estate("0406", code="MK-01")


def test_the_analyst_fills_in_the_panel_and_sees_today_and_after(page, site, tmp_path):  # noqa: F811
    plan(site)
    sign_in(page, site, then="/balance/?period=year&year=1401&scope=IR-04")
    assert html_direction(page) == ("fa", "rtl")
    folder = Path(os.environ.get("SHAHRAK_SCREENSHOTS") or tmp_path)
    for lang in ("fa", "en"):
        if html_direction(page)[0] != lang:
            page.click("[data-testid=language-switch]")
            page.wait_for_load_state("load")
        page.fill("#id_wi-delta", "۱۵" if lang == "fa" else "15")
        page.select_option("#id_wi-unit", "billion_rial")
        page.select_option("#id_wi-mode", "spread")
        page.click("[data-testid=whatif-run]")
        page.wait_for_selector("[data-testid=whatif-summary]")
        gini = page.locator("[data-testid=whatif-gini] td")
        today, after = float(gini.nth(1).get_attribute("data-value")), float(gini.nth(2).get_attribute("data-value"))
        assert after < today
        # 15 billion: Urumia (1,040,565 people) raised to Khoy's 2 billion / 348,664 = 5,736 a head
        # (5.97 billion), then both to 12,237 a head: Urumia 12.73 billion, Khoy 2.27 billion more.
        # Over the 17 counties the Gini falls from 0.928 to 0.639 (worked apart from the engine).
        counties = page.locator("[data-testid=whatif-counties] tr[data-county]")
        assert [row.get_attribute("data-county") for row in counties.all()] == ["0401", "0403"]
        assert page.get_attribute("[data-testid=whatif-spent]", "data-value") == str(15 * BILLION)
        expected = "۰٫۶۳۹" if lang == "fa" else "0.639"
        assert page.inner_text("[data-testid=whatif-gini] [data-testid=after]") == expected
        ranking = page.locator("[data-testid=whatif-ranking] tbody tr")
        assert ranking.count() == 2
        page.locator("#whatif").screenshot(path=str(folder / f"whatif-{lang}.png"))
        # The link reproduces it.
        link = page.get_attribute("[data-testid=whatif-link]", "href")
        page.goto(site["url"] + link)
        assert page.inner_text("[data-testid=whatif-gini] [data-testid=after]") == expected
