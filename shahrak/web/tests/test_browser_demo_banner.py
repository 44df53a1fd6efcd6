"""The "demo data" banner as a reader sees it, Persian then English, with screenshots."""

import os
from pathlib import Path

import pytest

from shahrak.web.screenshots import VIEWPORT

from .test_browser import browser, page, reference_data_back, sign_in, site  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FA = "داده‌های نمایشی: همهٔ سوابق این سامانه ساختگی‌اند و فقط برای آزمودن شهرک آمده‌اند. این ارقام را نقل نکنید."
EN = "Demo data: every record on this site is invented, for trying Shahrak out. Do not quote these figures."


def test_a_demo_database_says_so_on_every_page_in_both_languages(page, site, tmp_path):  # noqa: F811
    from django.core.cache import cache

    from shahrak.ops.models import DemoLoad

    out = Path(os.environ.get("SHAHRAK_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    cache.clear()
    page.goto(site["url"] + "/catalogue/")
    assert page.locator("[data-testid=demo-banner]").count() == 0

    DemoLoad.objects.create(scale=0.1, seed=1401)
    cache.clear()
    page.goto(site["url"] + "/catalogue/")
    assert page.inner_text("[data-testid=demo-banner]") == FA
    sign_in(page, site)
    assert page.inner_text("[data-testid=demo-banner]") == FA
    page.set_viewport_size(VIEWPORT)
    page.screenshot(path=str(out / "demo-banner-fa.png"))
    page.click("[data-testid=language-switch]")
    page.wait_for_load_state("load")
    assert page.inner_text("[data-testid=demo-banner]") == EN
    page.goto(site["url"] + "/estates/")
    assert page.inner_text("[data-testid=demo-banner]") == EN
    page.screenshot(path=str(out / "demo-banner-en.png"))
    cache.clear()
