"""Constant rials: chaining across a base change worked out by hand, deflating the engine's months."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shahrak.analysis.fixtures import DEMO_PRICE_SERIES, PRICE_SERIES, load_price_index
from shahrak.analysis.models import PriceIndex
from shahrak.analysis.prices import CannotChain, at_prices_of, chain, chained, constant_spending, parse_month
from shahrak.core import jalali
from tests.factories import make_disbursement, make_estate, make_project

pytestmark = pytest.mark.django_db
TRILLION = 10**12


def test_chaining_across_a_base_change_by_hand():
    # Old base: months 1-3 at 100, 110, 121. New base starts at 100 in month 3, then 105.
    old = {(1400, 1): Decimal(100), (1400, 2): Decimal(110), (1400, 3): Decimal(121)}
    new = {(1400, 3): Decimal(100), (1400, 4): Decimal(105)}
    base, levels, links = chain({"old": old, "new": new})
    assert base == "new"
    assert links[0]["month"] == (1400, 3) and links[0]["factor"] == Decimal(100) / Decimal(121)
    # 100 × 100/121 = 82.6446…, 110 × 100/121 = 90.9090…; the new base's own values are kept.
    assert round(levels[(1400, 1)], 4) == Decimal("82.6446")
    assert round(levels[(1400, 2)], 4) == Decimal("90.9091")
    assert levels[(1400, 3)] == 100 and levels[(1400, 4)] == 105
    # Growth within the old base survives the chaining: month 2 / month 1 = 1.1.
    assert round(levels[(1400, 2)] / levels[(1400, 1)], 10) == Decimal("1.1")


def test_bases_sharing_no_month_cannot_be_chained():
    with pytest.raises(CannotChain):
        chain({"a": {(1399, 1): Decimal(1)}, "b": {(1400, 1): Decimal(1)}})


def test_rials_at_the_prices_of_another_month():
    _, levels, _ = chain({"s": {(1400, 1): Decimal(100), (1401, 1): Decimal(150)}})
    from shahrak.analysis.prices import Series

    series = Series("sci_cpi", "s", levels)
    assert at_prices_of(10 * TRILLION, (1400, 1), (1401, 1), series) == 15 * TRILLION
    assert at_prices_of(15 * TRILLION, (1401, 1), (1400, 1), series) == 10 * TRILLION
    assert at_prices_of(1, (1399, 1), (1401, 1), series) is None


def test_month_text_in_any_digits():
    assert parse_month("۱۴۰۱-۰۱") == (1401, 1) == parse_month("1401/1")
    with pytest.raises(ValueError):
        parse_month("1401-13")


def test_the_compiled_series_and_the_demo_series_load_once_and_chain():
    assert load_price_index(PRICE_SERIES[0])["added"] == 60
    assert load_price_index(PRICE_SERIES[0]) == {"added": 0, "changed": 0, "unchanged": 60}
    load_price_index(DEMO_PRICE_SERIES)
    sci = chained("sci_cpi")
    # 1401 = 100 × 1.348 × 1.364 × 1.402 × 1.458 (SCI's annual average inflation 1398–1401).
    assert sci.level((1401, 6)) == Decimal("375.8459")
    demo = chained("demo")
    assert demo.demo and demo.base == "1401-01=100 (invented)" and demo.level((1401, 1)) == 100
    assert demo.links[0]["base"] == "1398-01=100 (invented)"
    assert PriceIndex.history.count() == 60 + 61


def test_spending_at_constant_prices_from_the_engine_months():
    load_price_index(PRICE_SERIES[0])
    project = make_project(make_estate(), start_date=jalali.to_gregorian(1399, 1, 1))
    make_disbursement(project, jalali.to_gregorian(1400, 5, 1), 10 * TRILLION)
    make_disbursement(project, jalali.to_gregorian(1401, 5, 1), 10 * TRILLION)
    figure = constant_spending([1400, 1401], (1401, 1))
    assert figure.current_rials == figure.engine_rials == 20 * TRILLION
    # 1400's 10 trillion at 1401 prices: × 375.8459 / 257.7818 (the 1400 level) = 14.58 trillion.
    assert figure.constant_rials == 10 * TRILLION + round(
        Decimal(10 * TRILLION) * Decimal("375.8459") / Decimal("257.7818")
    )
    assert figure.warnings == []
    no_index = constant_spending([1402], (1401, 1))
    assert no_index.constant_rials is None or no_index.current_rials == 0


def test_the_constant_prices_page_switches_and_names_its_series(client, viewer):
    load_price_index(PRICE_SERIES[0])
    load_price_index(DEMO_PRICE_SERIES)
    client.force_login(viewer)
    url = reverse("analysis:constant_rials")
    page = client.get(url, {"from": 1398, "to": 1401, "prices": "1401-01"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="series-note"' in html and "1397 average=100 (compiled)" in html
    current = client.get(url, {"from": 1398, "to": 1401, "prices": "current"}).content.decode()
    assert 'data-testid="series-note"' not in current
    demo = client.get(url, {"from": 1398, "to": 1402, "prices": "1401-01", "source": "demo"}).content.decode()
    assert "invented" in demo or "ساختگی" in demo
    assert client.get(url, {"prices": "1401-13"}).status_code == 400
