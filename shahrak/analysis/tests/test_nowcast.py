"""The year-end nowcast: its range on synthetic series with a known answer, the back-test's coverage
worked out by hand, the monthly actuals read from the engine, and the JSON of `shahrak nowcast`."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse

from shahrak.analysis.nowcast import (
    PATHS,
    Nowcaster,
    Projection,
    Status,
    backtest,
    data_years,
    months_ended,
    project,
)
from shahrak.core import jalali
from shahrak.regions.models import Province
from shahrak.regions.scope import NATION
from shahrak.targets.models import Target
from tests.factories import make_estate, make_workshop

FLAT = [10] * 12


# --- the range on series with a known answer -------------------------------------------------------


def test_a_constant_monthly_series_projects_its_year_exactly():
    # Given three past years of 10 a month and nine months of 10 this year
    projection = project([FLAT, FLAT, FLAT], [10] * 9)
    # Then every path ends the year at 120: no spread, and the range is the point
    assert (projection.low, projection.median, projection.high) == (120, 120, 120)
    assert (projection.months, projection.observed, projection.past_years) == (9, 90, 3)
    assert len(projection.totals) == PATHS


def test_the_remaining_months_are_scaled_to_this_years_pace():
    # Twice the past years' pace for six months: the rest of the year at twice their pace too
    projection = project([FLAT, FLAT], [20] * 6)
    assert (projection.low, projection.median, projection.high) == (240, 240, 240)
    # The same months of past years, not an average month: a past year that sells in Esfand
    end_heavy = [10] * 11 + [130]  # 240 a year, 10 a month until Esfand
    projection = project([end_heavy, end_heavy], [5] * 6)
    # Half their pace (30 against 60): half of their last six months' 180, not six average months (60)
    assert projection.median == 30 + 90


def test_a_year_whose_twelve_months_have_ended_is_its_total():
    projection = project([FLAT, FLAT], [3] * 12)
    assert (projection.low, projection.median, projection.high, projection.months) == (36, 36, 36, 12)


def test_fewer_than_two_past_years_give_no_projection():
    assert project([FLAT], [10] * 6) is None
    assert project([], [10] * 6) is None
    # A past year that counted nothing in the months so far cannot be scaled to this year's pace
    assert project([FLAT, [0] * 6 + [10] * 6], [10] * 6) is None


def test_a_year_that_has_counted_nothing_yet_takes_the_past_years_as_they_were():
    projection = project([FLAT, FLAT], [0] * 3)
    assert (projection.median, projection.paced) == (90, False)


def test_the_paths_are_the_same_on_every_run():
    past = [[10, 12, 9, 14, 8, 11, 13, 10, 9, 12, 15, 20], [7, 9, 11, 10, 12, 8, 9, 14, 10, 11, 12, 18]]
    first, second = project(past, [9, 11, 10]), project(past, [9, 11, 10])
    assert np.array_equal(first.totals, second.totals)
    assert first.low < first.median < first.high


SEASON = np.array([0.6, 0.7, 0.8, 0.9, 1, 1, 1.1, 1.1, 1.2, 1.2, 1.3, 1.5])


def test_the_80_percent_range_holds_the_true_total_about_80_percent_of_the_time():
    """Many synthetic histories (a growing level, a season, 30% noise a month): the range of each
    year's nowcast holds that year's true total in about four cases in five."""
    rng = np.random.default_rng(7)
    trials, held = 0, 0
    for _ in range(400):
        level = 1000 * np.exp(np.cumsum(rng.normal(0.1, 0.1, 21)))
        years = np.rint(level[:, None] * SEASON * np.exp(rng.normal(0, 0.3, (21, 12)))).astype(int)
        months = int(rng.integers(1, 12))
        truth = int(years[-1].sum())
        projection = project(years[:-1].tolist(), years[-1][:months].tolist())
        trials += 1
        held += projection.low <= truth <= projection.high
    assert 0.74 <= held / trials <= 0.86


def test_status_follows_the_range():
    def projection(low, high):
        return Projection(9, 0, (low + high) // 2, low, high, 3, True, np.array([low, high]))

    assert projection(100, 140).status(100) == Status.ON_TRACK  # even the low end reaches it
    assert projection(100, 140).status(120) == Status.AT_RISK  # the target is inside the range
    assert projection(100, 140).status(141) == Status.OFF_TRACK  # even the high end falls short


# --- the back-test, worked out by hand --------------------------------------------------------------


def test_backtest_coverage_counts_the_ranges_that_held_the_years_total():
    table = {
        1393: [0] * 12,  # before the data began: not a year of the data
        1394: [0] * 12,
        1395: FLAT,
        1396: FLAT,
        1397: [20] * 12,  # twice the pace all year: projected from 1395-1396 exactly, 240, held
        1398: [10] * 11 + [1000],  # an Esfand nobody foresaw: projected 120 at each month, 1,110, missed
        1399: [10] * 6 + [0] * 6,  # the year being nowcast: never part of its own back-test
    }
    assert data_years(table, 1399) == [1395, 1396, 1397, 1398]
    tested = backtest(table, 1399)
    # 1395 and 1396 have fewer than two years before them; 1397 and 1398, eleven months each
    assert [(t["year"], t["months"]) for t in tested.trials] == [
        (year, k) for year in (1397, 1398) for k in range(1, 12)
    ]
    assert all(t["covered"] and t["actual"] == 240 and t["projected"] == 240 for t in tested.trials[:11])
    assert all(not t["covered"] and (t["actual"], t["high"]) == (1110, 120) for t in tested.trials[11:])
    assert (tested.covered, len(tested.trials), tested.coverage) == (11, 22, 0.5)
    assert tested.as_dict(with_trials=False) == {
        "trials": 22, "covered": 11, "coverage": 0.5, "years": [1397, 1398],
    }  # fmt: skip


def test_months_ended_counts_the_months_over_by_the_day():
    assert months_ended(1401, jalali.to_gregorian(1401, 9, 30)) == 9
    assert months_ended(1401, jalali.to_gregorian(1401, 9, 29)) == 8
    assert months_ended(1401, jalali.to_gregorian(1400, 12, 29)) == 0
    assert months_ended(1401, jalali.to_gregorian(1402, 1, 1)) == 12


# --- on the register: the engine's monthly numbers, the command's JSON --------------------------------


def opened(estate, year, month, count=1):
    for _ in range(count):
        day = jalali.to_gregorian(year, month, 10)
        make_workshop(estate, completed_date=day, opened_date=day)


@pytest.fixture
def register(db):
    """Workshops opened: 2 a month in 1398-1400 (Tehran), 3 a month in Farvardin-Azar 1401,
    and 5 in Dey 1401, after the as-of day; targets of 1401: 40 national, 30 for Tehran."""
    estate = make_estate()  # county 2301, Tehran province
    for year in (1398, 1399, 1400):
        for month in range(1, 13):
            opened(estate, year, month, 2)
    for month in range(1, 10):
        opened(estate, 1401, month, 3)
    opened(estate, 1401, 10, 5)
    bounds = jalali.year_bounds(1401)
    tehran = Province.objects.get(iso_code="IR-23")
    dates = {"year": 1401, "start_date": bounds.start, "end_date": bounds.end}
    national = Target.objects.create(metric="workshops_opened", value=40, **dates)
    provincial = Target.objects.create(metric="workshops_opened", value=30, province=tehran, **dates)
    return national, provincial


def test_monthly_actuals_come_from_the_engine_and_later_months_are_not_read(register):
    nowcaster = Nowcaster(1401)
    table = nowcaster.table("workshops_opened", NATION)
    assert table[1401] == [3] * 9 + [5, 0, 0]
    assert table[1400] == table[1399] == table[1398] == [2] * 12
    assert table[1397] == [0] * 12
    result = nowcaster.nowcast("workshops_opened", NATION, 40, jalali.to_gregorian(1401, 9, 30))
    # 27 in nine months at 1.5 times the past years' pace: 27 + 1.5 × 6 = 36, Dey's 5 unseen
    assert (result.projection.low, result.projection.median, result.projection.high) == (36, 36, 36)
    assert result.status == Status.OFF_TRACK  # 36 at best against 40


def test_the_command_gives_every_target_of_the_year_as_json(register):
    national, provincial = register
    out = StringIO()
    call_command("nowcast", "--year", "1401", "--as-of", "1401-09-30", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"year", "as_of", "as_of_jalali", "months_observed", "method", "targets", "backtest"}
    assert (data["year"], data["as_of_jalali"], data["months_observed"]) == (1401, "1401-09-30", 9)
    assert data["as_of"] == jalali.to_gregorian(1401, 9, 30).isoformat()
    assert data["method"] == {
        "paths": 1000, "seed": 1401, "range": [0.1, 0.9], "history_years": 10, "min_past_years": 2,
    }  # fmt: skip
    assert [(t["target"], t["scope"]["code"]) for t in data["targets"]] == [
        (national.pk, None),
        (provincial.pk, "IR-23"),
    ]
    first = data["targets"][0]
    assert {key: first[key] for key in first if key not in ("scope", "backtest")} == {
        "target": national.pk, "metric": "workshops_opened", "year": 1401, "target_value": 40,
        "as_of": data["as_of"], "as_of_jalali": "1401-09-30", "months_observed": 9, "observed": 27,
        "projected": 36, "low": 36, "high": 36, "range": [0.1, 0.9], "chance_of_meeting": 0.0,
        "past_years": 3, "paced": True, "status": "off_track",
    }  # fmt: skip
    # The province's target: the same records (all in Tehran), 36 against 30
    assert (data["targets"][1]["projected"], data["targets"][1]["status"]) == (36, "on_track")
    # Back-test: 1400 from 1398 and 1399 (1398 and 1399 have fewer than two years before them), as of
    # each of its months 1..11: two a month every year, each range exactly 24, and 24 it was
    backtest = first["backtest"]
    assert {key: backtest[key] for key in ("trials", "covered", "coverage", "years")} == {
        "trials": 11, "covered": 11, "coverage": 1.0, "years": [1400],
    }  # fmt: skip
    assert backtest["projections"][8] == {
        "year": 1400, "months": 9, "low": 24, "projected": 24, "high": 24, "actual": 24, "covered": True,
    }  # fmt: skip
    # The pooled back-test: both targets' (the same records, national and Tehran's)
    assert data["backtest"] == {"trials": 22, "covered": 22, "coverage": 1.0, "years": [1400]}


def test_the_command_refuses_a_bad_day(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="bad input"):
        call_command("nowcast", "--year", "1401", "--as-of", "1401-13-01")


def test_the_nowcast_page_in_english_and_persian(register, client, viewer):
    client.force_login(viewer)
    url = reverse("analysis:nowcast") + "?year=1401&as_of=1401-09-30"
    viewer.language = "en"
    viewer.save(update_fields=["language"])
    html = client.get(url).content.decode()
    assert html.count('data-status="off_track"') == 1 and html.count('data-status="on_track"') == 1
    assert "As of 1401/09/30: 9 months of the year have ended." in html
    assert "22 of 22 ranges held the year's total (100.0%;" in html
    viewer.language = "fa"
    viewer.save(update_fields=["language"])
    html = client.get(url).content.decode()
    assert "تا ۱۴۰۱/۰۹/۳۰: ۹ ماه از سال گذشته است." in html
    assert ">دور از هدف</span>" in html and ">در مسیر هدف</span>" in html
    assert "۲۲ بازه از ۲۲ بازه جمع سال را در بر گرفت" in html


def test_the_nowcast_page_refuses_a_bad_day(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("analysis:nowcast") + "?as_of=1401-13-40").status_code == 400


def test_a_unit_revived_twice_counts_once_in_the_months_so_far(db):
    """The months' sum counts a unit revived in Ordibehesht and again in Mordad twice; the target's
    figure (distinct units, as target_progress reads it) once, and the nowcast stands on the figure."""
    from shahrak.units.models import UnitEvent
    from tests.factories import make_unit

    estate = make_estate()

    def revived(unit, year, month):
        UnitEvent.objects.create(unit=unit, date=jalali.to_gregorian(year, month, 10), kind="revived", jobs=5)

    def idled(unit, year, month):
        UnitEvent.objects.create(
            unit=unit, date=jalali.to_gregorian(year, month, 1), kind="idled", cause="market"
        )

    for year in (1399, 1400):  # one unit revived a month
        for month in range(1, 13):
            unit = make_unit(estate)
            UnitEvent.objects.create(unit=unit, date=jalali.to_gregorian(1390, 1, 1), kind="established")
            idled(unit, 1398, 1)
            revived(unit, year, month)
    twice, once = make_unit(estate), make_unit(estate)
    for unit in (twice, once):
        UnitEvent.objects.create(unit=unit, date=jalali.to_gregorian(1390, 1, 1), kind="established")
        idled(unit, 1398, 1)
    revived(twice, 1401, 2)
    idled(twice, 1401, 3)
    revived(twice, 1401, 5)
    revived(once, 1401, 4)
    bounds = jalali.year_bounds(1401)
    Target.objects.create(
        metric="units_revived", year=1401, start_date=bounds.start, end_date=bounds.end, value=5
    )
    out = StringIO()
    call_command("nowcast", "--year", "1401", "--as-of", "1401-06-31", "--format", "json", stdout=out)
    (row,) = json.loads(out.getvalue())["targets"]
    # Three in the months' sum, two units: two so far and three more at the past years' pace (six in six)
    assert (row["observed"], row["low"], row["projected"], row["high"]) == (2, 5, 5, 5)
    assert row["status"] == "on_track"
    # Mid-month the figure would count Shahrivar's first days too: the months' sum stands, 3 in five
    # months where the past years had 5, and 7 after them: 3 + 3 × 7/5 = 7.2
    out = StringIO()
    call_command("nowcast", "--year", "1401", "--as-of", "1401-06-15", "--format", "json", stdout=out)
    (row,) = json.loads(out.getvalue())["targets"]
    assert (row["months_observed"], row["observed"], row["projected"]) == (5, 3, 7)
