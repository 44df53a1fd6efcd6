"""An investor applies for a plot from the public catalogue in a real Chromium, without an account,
and follows the application by its tracking code while an officer approves it (issue 13)."""

import os
from decimal import Decimal
from pathlib import Path

import pytest

from .test_browser import browser, page, reference_data_back, site  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_investor_applies_from_the_catalogue_and_follows_the_approval(page, site, tmp_path):  # noqa: F811
    from django.core.cache import cache
    from django.utils import timezone

    from shahrak.accounts.models import User
    from shahrak.estates.models import Estate
    from shahrak.land import actions
    from shahrak.land.models import Application, Plot, tracking_hash
    from shahrak.land.validators import national_code_check_digit

    out = Path(os.environ.get("SHAHRAK_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    cache.clear()
    estate = Estate.objects.get(code="TH-01")
    plot = Plot.objects.create(
        estate=estate, code="B-7", area_m2=Decimal(3000), price_per_m2_rials=8_000_000,
        has_water=True, has_electricity=True, has_gas=True, has_road=True, has_telecom=True,
    )  # fmt: skip
    page.goto(site["url"] + "/catalogue/")
    page.click("[data-estate='TH-01'] [data-testid=estate-link]")
    row = page.locator("[data-testid=plot-row]", has_text="B-7")
    assert "متوسط" in row.inner_text()  # its price class, not its price
    row.locator("[data-testid=apply-plot]").click()
    page.wait_for_load_state("load")
    assert page.locator(f"input[name=plots][value='{plot.pk}']").is_checked()

    code = "001234567" + str(national_code_check_digit("001234567"))
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    page.select_option("#id_applicant_kind", "natural")
    page.fill("#id_applicant_id", persian[:-1] + ("۱" if persian[-1] != "۱" else "۲"))  # a wrong check digit
    page.fill("#id_name", "رضا احمدی")
    page.fill("#id_phone", "۰۹۱۲۱۲۳۴۵۶۷")
    page.fill("#id_requested_area_m2", "۳۰۰۰")
    page.click("[data-testid=apply-submit]")
    page.wait_for_load_state("load")
    assert page.inner_text("[data-testid=error-applicant_id]") == "رقم کنترل این کد ملی نادرست است."
    assert not Application.objects.exists()
    page.screenshot(path=str(out / "apply-form-fa.png"), full_page=True)

    page.fill("#id_applicant_id", persian)  # typed in Persian digits, read as the code
    page.click("[data-testid=apply-submit]")
    page.wait_for_load_state("load")
    application = Application.objects.get()
    assert application.applicant_id == code and application.channel == "online"
    shown = page.inner_text("[data-testid=tracking-code]")
    assert application.tracking_hash == tracking_hash(shown) and len(shown) == 34
    assert page.get_attribute("[data-testid=status]", "data-status") == "submitted"
    page.screenshot(path=str(out / "application-status-fa.png"), full_page=True)

    # The officer approves it (the land action); the investor's page follows, and the plot is
    # no longer offered in the catalogue.
    officer = User.objects.get(username="admin")
    actions.approve(application, [plot], day=timezone.localdate(), actor=officer)
    page.reload()
    assert page.get_attribute("[data-testid=status]", "data-status") == "approved"
    assert page.inner_text("[data-testid=status]") == "تأییدشده"
    assert page.locator("[data-testid=reserved-until]").count() == 1
    page.goto(site["url"] + "/catalogue/TH-01/")
    assert page.locator("[data-testid=plot-row]", has_text="B-7").count() == 0
