"""The dashboard's target cards carry the year-end nowcast: its status label and its 80% range.

On tests/sample.py (1401: W1 opened in Ordibehesht, W2 in Aban, W5 in Bahman; the target is 4),
with workshops of the past years added here: 1398 opened one in Ordibehesht and one in Bahman,
1399 one in Ordibehesht, one in Khordad and one in Bahman (1400's only one, W4, is in Bahman).
"""

import pytest
from django.urls import reverse

from shahrak.analysis.nowcast import project
from shahrak.core import jalali
from shahrak.estates.models import Estate
from shahrak.ui import format as fmt
from tests.factories import make_workshop

NINE_MONTHS = {"period": "months", "year": "1401", "m1": "1", "m2": "9"}


def month_list(*months):
    return [months.count(m) for m in range(1, 13)]


@pytest.fixture
def history(sample):
    estate = Estate.objects.get(code="TH-01")
    for year, months in ((1398, (2, 11)), (1399, (2, 3, 11))):
        for month in months:
            day = jalali.to_gregorian(year, month, 5)
            make_workshop(estate, code=f"H{year}-{month}", completed_date=day, opened_date=day)
    return sample


def nowcasts(response) -> dict:
    return {t["metric"]: t["nowcast"] for t in response.context["targets"]}


def test_a_target_card_says_at_risk_with_its_range_as_of_the_periods_end(history, viewer, login):
    response = login(viewer).get(reverse("web:dashboard"), NINE_MONTHS)
    # Two in nine months; 1398 added as many again after Azar, 1399 half as many (1400 had none by Azar)
    expected = project([month_list(2, 11), month_list(2, 3, 11)], month_list(2, 8)[:9])
    assert expected.low < 4 <= expected.high  # the target, 4, is inside the range
    shown = nowcasts(response)
    assert shown["workshops_opened"] == {
        "status": "at_risk",
        "label": "at risk",
        "css": "warning",
        "projected": fmt.number(expected.median),
        "low": fmt.number(expected.low),
        "high": fmt.number(expected.high),
        "chance": fmt.percent(expected.chance(4), 0),
    }
    # No revival in any past year: no nowcast, said in words
    assert shown["units_revived"] == {"status": "", "projected": ""}
    page = response.content.decode()
    assert 'data-status="at_risk">at risk</span>' in page
    assert f"year end {expected.median} (80% range {expected.low} to {expected.high})" in page
    assert "No year-end nowcast: fewer than two past years of data." in page


def test_after_the_year_the_card_says_off_track_with_the_years_total(history, viewer, login):
    response = login(viewer).get(reverse("web:dashboard"), {"period": "year", "year": "1401"})
    # All twelve months have ended: the year's three workshops against four
    assert nowcasts(response)["workshops_opened"]["status"] == "off_track"
    assert (
        'data-status="off_track">off track</span> <span data-testid="nowcast-range">year end 3 (80% range 3 to 3)'
        in (response.content.decode())
    )


def test_the_card_label_and_range_in_persian(history, viewer, login):
    response = login(viewer, "fa").get(reverse("web:dashboard"), NINE_MONTHS)
    page = response.content.decode()
    assert 'data-status="at_risk">در خطر</span>' in page
    assert "بازهٔ ۸۰ درصدی" in page
    assert "برآورد پایان سال ممکن نیست: داده‌های گذشته کمتر از دو سال است." in page
