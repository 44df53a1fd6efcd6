"""An estate's site plan drawn in a real Chromium: one shape per plot with a polygon, coloured by
its status today, a free plot opening the application form and an allocated one opening nothing;
on the officer's estate page every shape opens its plot's page."""

import os
from decimal import Decimal
from pathlib import Path

import pytest

from .test_browser import browser, page, reference_data_back, sign_in, site  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def square(x, y, width=40, depth=25):
    ring = [[x, y], [x + width, y], [x + width, y + depth], [x, y + depth], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def build_plan():
    """TH-01: A-1 free, A-2 allocated (a contract), A-3 reserved (an approved application), A-4
    without a polygon (not on the plan)."""
    from django.utils import timezone

    from shahrak.accounts.models import User
    from shahrak.estates.models import Estate
    from shahrak.land import actions
    from shahrak.land.models import Application, Plot

    from .sample import national_id

    admin = User.objects.get(username="admin")
    estate = Estate.objects.get(code="TH-01")
    today = timezone.localdate()
    plots = {
        code: Plot.objects.create(
            estate=estate,
            code=code,
            area_m2=Decimal(1000 * n),
            price_per_m2_rials=2_000_000,
            polygon=polygon,
            has_water=True,
            has_electricity=True,
            has_gas=True,
            has_road=True,
            has_telecom=True,
        )  # fmt: skip
        for n, (code, polygon) in enumerate(
            (("A-1", square(0, 0)), ("A-2", square(40, 0)), ("A-3", square(0, 25)), ("A-4", None)), start=1
        )
    }

    def applied(n, plot):
        application = Application(
            estate=estate, applicant_kind="legal", applicant_id=national_id(f"40400000{n:02d}"), name="صنایع نمونه",
            requested_area_m2=Decimal(1000), applied_date=today, isic=site_isic(),
        )  # fmt: skip
        application = actions.submit_application(application, actor=admin)
        return actions.approve(application, [plot], day=today, actor=admin)

    actions.sign_contract(applied(1, plots["A-2"]), signed=today, actor=admin)
    applied(2, plots["A-3"])
    return plots


def site_isic():
    from shahrak.units.models import IsicClass

    return IsicClass.objects.get(code="1010")


def shapes(tab) -> dict[str, int]:
    """The plan's drawn shapes by fill colour (ECharts' SVG renderer: one path per region)."""
    return tab.evaluate(
        """() => {
        const counts = {};
        document.querySelectorAll('#site-plan svg path').forEach((path) => {
          const fill = (path.getAttribute('fill') || '').toLowerCase();
          if (fill.startsWith('#') || fill.startsWith('rgb')) counts[fill] = (counts[fill] || 0) + 1;
        });
        return counts;
    }"""
    )


def point_at(tab, x, y, click=False):
    """Point at (and click) the plan at a point of the estate's own coordinates."""
    box = tab.locator("#site-plan").bounding_box()
    px, py = tab.evaluate(
        "([x, y]) => echarts.getInstanceByDom(document.getElementById('site-plan')).convertToPixel({seriesIndex: 0}, [x, y])",
        [x, y],
    )
    tab.mouse.move(box["x"] + px, box["y"] + py)
    if click:
        tab.mouse.click(box["x"] + px, box["y"] + py)


def test_the_public_plan_colours_plots_by_status_and_links_free_ones(page, site, tmp_path):  # noqa: F811
    from shahrak.land.siteplan import STATUS_COLOURS

    out = Path(os.environ.get("SHAHRAK_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    plots = build_plan()
    page.goto(site["url"] + "/catalogue/TH-01/")
    page.wait_for_selector("#site-plan[data-ready='1']")
    assert page.get_attribute("#site-plan", "data-shapes") == "3"  # A-4 has no polygon
    drawn = shapes(page)
    free, allocated, reserved = (STATUS_COLOURS[s] for s in ("free", "allocated", "reserved"))
    assert (drawn.get(free), drawn.get(allocated), drawn.get(reserved)) == (1, 1, 1), drawn
    legend = page.inner_text("[data-testid=site-plan-legend]")
    assert all(word in legend for word in ("آزاد", "واگذارشده", "رزروشده")), legend

    point_at(page, 20, 12)  # the tooltip names it, its area in Persian digits
    tooltip = page.locator("#site-plan div", has_text="A-1").last
    tooltip.wait_for()
    assert "۱٬۰۰۰" in tooltip.inner_text() and "آزاد" in tooltip.inner_text()
    page.screenshot(path=str(out / "site-plan-fa.png"), full_page=True)
    point_at(page, 20, 12, click=True)
    page.wait_for_url(f"**/catalogue/TH-01/apply/?plot={plots['A-1'].pk}")
    assert page.locator(f"input[name=plots][value='{plots['A-1'].pk}']").is_checked()

    page.goto(site["url"] + "/catalogue/TH-01/")
    page.wait_for_selector("#site-plan[data-ready='1']")
    point_at(page, 60, 12, click=True)  # A-2 is allocated: it opens nothing
    page.wait_for_timeout(300)
    assert page.url.endswith("/catalogue/TH-01/")

    page.click("[data-testid=language-switch]")
    page.wait_for_selector("#site-plan[data-ready='1']")
    assert "allocated" in page.inner_text("[data-testid=site-plan-legend]")
    point_at(page, 20, 37)  # A-3, reserved
    page.locator("#site-plan div", has_text="A-3").last.wait_for()
    page.screenshot(path=str(out / "site-plan-en.png"), full_page=True)


def test_the_officers_plan_opens_each_plots_page(page, site, tmp_path):  # noqa: F811
    out = Path(os.environ.get("SHAHRAK_SCREENSHOTS") or tmp_path)
    plots = build_plan()
    sign_in(page, site, then=f"/estates/{site['th01'].pk}/")
    page.wait_for_selector("#site-plan[data-ready='1']")
    assert page.get_attribute("#site-plan", "data-shapes") == "3"
    point_at(page, 60, 12)
    page.locator("#site-plan div", has_text="A-2").last.wait_for()
    page.screenshot(path=str(out / "site-plan-officer-fa.png"), full_page=True)
    point_at(page, 60, 12, click=True)
    page.wait_for_url(f"**/land/plots/{plots['A-2'].pk}/")
    page.wait_for_selector("#site-plan[data-ready='1']")  # the plot's own page shows the plan too
