"""Each figure on the hand-built world of conftest.py; every expected number is worked out by hand.

N9 is the first nine months of 1401 (1401-01-01 … 1401-09-30, D = 1401-09-30);
Y is the whole year 1401 (D = 1401-12-29).
"""

from decimal import Decimal

import pytest

from shahrak.core.jalali import Period, months_of_year, year_bounds
from shahrak.estates.scope import parse_scope
from shahrak.metrics.engine import METRICS, Filters, compute, compute_all
from shahrak.regions.scope import NATION

from .conftest import BILLION, j

N9 = months_of_year(1401, 1, 9)
Y = year_bounds(1401)

KINDS = ("park", "zone", "specialized", "technology")
CATEGORIES = ("water", "electricity", "gas", "telecom", "roads", "wastewater", "buildings")
SOURCES = ("internal", "national_budget", "provincial", "private")
CAUSES = (
    "finance",
    "raw_materials",
    "market",
    "machinery",
    "licensing",
    "utilities",
    "legal",
    "partners",
    "other",
)


def column(rows, field):
    """{key: value of field} for the rows of a breakdown."""
    return {row["key"]: row[field] for row in rows}


def zeros(keys, **found):
    return {key: found.get(key, 0) for key in keys}


def test_the_registry_holds_the_eleven_figures_in_the_article_order():
    # The article's eleven first; the land figures (metrics/land.py, tested in shahrak/land) follow.
    assert list(METRICS)[:11] == [
        "workshops_opened",
        "estates_in_deprived_areas",
        "estates_licensed",
        "infrastructure_spending",
        "projects_underway",
        "planned_spending",
        "units_revived",
        "units_established",
        "idle_units",
        "target_progress",
        "regional_balance",
    ]
    for metric in METRICS.values():
        assert metric.label_fa and metric.label_en and metric.record_model is not None
        assert metric.definition, f"{metric.name} has no docstring definition"


def test_workshops_opened_in_nine_months(world):
    # W1 1401-01-15, W5 1401-03-01 and W2 on the last day 1401-09-30; W3 (1401-10-01) and
    # W4 (1400-12-29) fall outside, W6 was never handed over.
    result = compute("workshops_opened", N9)
    assert result.value == 3
    assert column(result.breakdowns["province"], "count") == {"IR-26": 3}
    assert column(result.breakdowns["estate_kind"], "count") == zeros(KINDS, park=2, zone=1)
    assert set(result.records()) == {world.w1, world.w2, world.w5}
    assert result.warnings == []


def test_workshops_opened_in_the_year_by_scope_and_filter(world):
    assert compute("workshops_opened", Y).value == 4
    assert compute("workshops_opened", Y, parse_scope("IR-23")).value == 0
    assert compute("workshops_opened", Y, parse_scope("2601")).value == 1  # W3 in E2
    assert compute("workshops_opened", Y, parse_scope("QZ-P1")).value == 2
    assert compute("workshops_opened", Y, filters=Filters(estate_kind="zone")).value == 2  # W3, W5
    assert (
        compute("workshops_opened", Y, filters=Filters(deprived_only=True)).value == 2
    )  # W3 (2601), W5 (2604)
    # The previous year holds W4 only (opened 1400-12-29, the last day of 1400).
    assert compute("workshops_opened", year_bounds(1400)).value == 1


def test_estates_in_deprived_areas_at_the_end_of_nine_months(world):
    # E2 (2601, whole, licensed 1401-02-10) and E3 (2604, partial, 1399); E4 (2001) is licensed
    # only on 1401-10-05, after D; E1, E5, E6 and E7 are in counties that are not deprived.
    result = compute("estates_in_deprived_areas", N9)
    assert result.value == 2
    assert column(result.breakdowns["estate_kind"], "count") == zeros(KINDS, zone=2)
    assert column(result.breakdowns["province"], "count") == {"IR-26": 2}
    assert set(result.records()) == {world.e2, world.e3}


def test_estates_in_deprived_areas_at_year_end(world):
    result = compute("estates_in_deprived_areas", Y)
    assert result.value == 3
    assert column(result.breakdowns["estate_kind"], "count") == zeros(KINDS, park=1, zone=2)
    assert column(result.breakdowns["province"], "count") == {"IR-20": 1, "IR-26": 2}


def test_estates_licensed(world):
    nine = compute("estates_licensed", N9)
    assert nine.value == 1
    assert column(nine.breakdowns["estate_kind"], "count") == zeros(KINDS, zone=1)
    assert list(nine.records()) == [world.e2]
    year = compute("estates_licensed", Y)
    assert year.value == 2
    assert column(year.breakdowns["estate_kind"], "count") == zeros(KINDS, park=1, zone=1)
    assert column(year.breakdowns["province"], "count") == {"IR-20": 1, "IR-26": 1}


def test_infrastructure_spending_in_nine_months(world):
    # Payments: 1401-01-10 10 + 2 bn (rate 250,000), 1401-04-05 6 bn and 1401-06-20 1.5 bn
    # (rate 350,000 from 1401-04-01), 1401-09-30 4 bn (rate 400,000 from 1401-09-15).
    # D6 (1400-12-29) and D5 (1401-10-10) are outside.
    result = compute("infrastructure_spending", N9)
    assert result.value == {
        "rials": 23_500_000_000,
        # 23.5e9 / 400,000
        "usd_at_period_end": Decimal("58750.00"),
        # 12e9/250,000 + 6e9/350,000 + 1.5e9/350,000 + 4e9/400,000
        # = 48,000 + 17,142.857… + 4,285.714… + 10,000 = 79,428.571…
        "usd_at_payment_dates": Decimal("79428.57"),
        "rate_at_period_end": Decimal("400000"),
    }
    assert column(result.breakdowns["category"], "rials") == zeros(
        CATEGORIES, water=12 * BILLION, electricity=6 * BILLION, gas=4 * BILLION, buildings=1_500_000_000
    )
    assert column(result.breakdowns["category"], "usd_at_period_end") == {
        "water": Decimal("30000.00"),
        "electricity": Decimal("15000.00"),
        "gas": Decimal("10000.00"),
        "telecom": Decimal("0.00"),
        "roads": Decimal("0.00"),
        "wastewater": Decimal("0.00"),
        "buildings": Decimal("3750.00"),
    }
    assert column(result.breakdowns["funding_source"], "rials") == zeros(
        SOURCES, internal=17_500_000_000, national_budget=2 * BILLION, provincial=4 * BILLION
    )
    assert set(result.records()) == {world.d1, world.d2, world.d3, world.d4, world.d7}
    assert result.warnings == []


def test_spending_at_another_rate_source_and_without_any_rate(world):
    # The only official rate is 42,000 (1400-01-01): in force on every day of 1401.
    official = compute("infrastructure_spending", N9, filters=Filters(rate_source="official"))
    assert official.value["usd_at_period_end"] == Decimal("559523.81")  # 23.5e9 / 42,000
    assert official.value["usd_at_payment_dates"] == Decimal("559523.81")
    nima = compute("infrastructure_spending", N9, filters=Filters(rate_source="nima"))
    assert nima.value["rials"] == 23_500_000_000
    assert nima.value["usd_at_period_end"] is None
    assert nima.value["usd_at_payment_dates"] is None
    assert nima.warnings == [
        "no nima USD rate is in force on 2022-12-21 (1401-09-30): dollar figure left empty",
        "no nima USD rate is in force on 2022-03-30 (1401-01-10): dollar figure left empty and on 3 more day(s)",
    ]


def test_spending_before_the_first_free_market_rate(world):
    # 1400 paid only D6 on 1400-12-29, after the first rate (1400-12-01): the rate at D is in force.
    assert compute("infrastructure_spending", year_bounds(1400)).value == {
        "rials": 3 * BILLION,
        "usd_at_period_end": Decimal("12000.00"),
        "usd_at_payment_dates": Decimal("12000.00"),
        "rate_at_period_end": Decimal("250000"),
    }
    early = compute("infrastructure_spending", Period(j("1400-01-01"), j("1400-11-30")))
    assert early.value["rials"] == 0
    assert early.value["usd_at_period_end"] is None
    assert early.value["usd_at_payment_dates"] == Decimal("0.00")
    assert early.warnings == [
        "no free_market USD rate is in force on 2022-02-19 (1400-11-30): dollar figure left empty"
    ]


def test_projects_underway(world):
    # At 1401-09-30: P1 (no end), P3 (stopped only on 1401-11-01), P6; P2 ended 1401-08-15,
    # P4 starts 1401-10-01, P5 has not started.
    nine = compute("projects_underway", N9)
    assert nine.value == {
        "count": 3,
        "credit_rials": 71 * BILLION,
        "credit_usd_at_period_end": Decimal("177500.00"),  # 71e9 / 400,000
    }
    assert column(nine.breakdowns["category"], "count") == zeros(CATEGORIES, water=1, gas=1, buildings=1)
    assert column(nine.breakdowns["category"], "credit_rials") == zeros(
        CATEGORIES, water=50 * BILLION, gas=20 * BILLION, buildings=BILLION
    )
    assert set(nine.records()) == {world.p1, world.p3, world.p6}
    # At 1401-12-29: P3 was stopped on 1401-11-01; P4 has started.
    year = compute("projects_underway", Y)
    assert year.value["count"] == 3
    assert year.value["credit_rials"] == 61 * BILLION
    assert set(year.records()) == {world.p1, world.p4, world.p6}


def test_planned_spending_months_starting_in_the_period(world):
    nine = compute("planned_spending", N9)
    assert nine.value == {"rials": 4 * BILLION, "usd_at_period_end": Decimal("10000.00")}
    assert column(nine.breakdowns["category"], "rials") == zeros(CATEGORIES, water=3 * BILLION, gas=BILLION)
    assert set(nine.records()) == {world.pd1, world.pd4}
    rest = compute("planned_spending", months_of_year(1401, 10, 12))
    assert rest.value["rials"] == 7 * BILLION
    # A period that starts on the second day of Farvardin does not take Farvardin's plan.
    assert compute("planned_spending", Period(j("1401-01-02"), j("1401-09-30"))).value["rials"] == 3 * BILLION


def test_units_revived(world):
    # U1 on 1401-08-01 (4 jobs), U2 on 1401-03-01 (15) and 1401-07-01 (12): 2 units, 3 events, 31 jobs.
    nine = compute("units_revived", N9)
    assert nine.value == {"units": 2, "events": 3, "jobs": 31}
    assert nine.breakdowns["province"] == [
        {"key": "IR-26", "label_fa": "قزوین", "label_en": "Qazvin", "units": 2, "events": 3, "jobs": 31}
    ]
    assert nine.records().count() == 3
    # The year adds U5 on 1401-10-01 (7 jobs) in Tehran.
    year = compute("units_revived", Y)
    assert year.value == {"units": 3, "events": 4, "jobs": 38}
    assert column(year.breakdowns["province"], "jobs") == {"IR-23": 7, "IR-26": 31}


def test_units_established(world):
    # U1 (1401-02-01, 5 employees, ISIC 2651 high, knowledge-based since 1401-05-01) and
    # U3 (1401-04-01, 60 employees, 2910 medium-high, knowledge-based only from 1401-11-01).
    nine = compute("units_established", N9)
    assert nine.value == 2
    assert column(nine.breakdowns["size_class"], "count") == {"micro": 1, "small": 0, "medium": 1, "large": 0}
    assert column(nine.breakdowns["knowledge_based"], "count") == {
        "knowledge_based": 1,
        "not_knowledge_based": 1,
    }
    assert column(nine.breakdowns["tech_intensity"], "count") == {
        "high": 1,
        "medium_high": 1,
        "medium": 0,
        "medium_low": 0,
        "low": 0,
        "non_manufacturing": 0,
    }
    # The year adds U6 (1401-10-15, 10 employees, 2410 medium); U3 is knowledge-based by 1401-12-29.
    year = compute("units_established", Y)
    assert year.value == 3
    assert column(year.breakdowns["size_class"], "count") == {"micro": 1, "small": 1, "medium": 1, "large": 0}
    assert column(year.breakdowns["knowledge_based"], "count") == {
        "knowledge_based": 2,
        "not_knowledge_based": 1,
    }
    assert column(year.breakdowns["tech_intensity"], "count")["medium"] == 1


def test_idle_units_at_the_end_of_nine_months(world):
    # Last event on or before 1401-09-30: U3 idled that very day (machinery), U4 idled 1400-01-01
    # (utilities), U5 idled 1401-09-01 (finance). U1 and U2 were revived, U7 closed, U6 not yet born.
    result = compute("idle_units", N9)
    assert result.value == 3
    assert column(result.breakdowns["cause"], "count") == zeros(CAUSES, finance=1, machinery=1, utilities=1)
    assert column(result.breakdowns["province"], "count") == {"IR-20": 1, "IR-23": 1, "IR-26": 1}
    assert set(result.records()) == {world.u3, world.u4, world.u5}


def test_idle_units_at_other_days_and_filters(world):
    assert set(compute("idle_units", Y).records()) == {world.u3, world.u4}  # U5 revived 1401-10-01
    # On 1401-06-15: U1 (idled 1401-05-10), U2 (idled 1401-06-01), U4, U5 not yet (1401-09-01).
    assert set(compute("idle_units", Period(j("1401-01-01"), j("1401-06-15"))).records()) == {
        world.u1,
        world.u2,
        world.u4,
    }
    # Estate kind drops U4, which is outside estates; deprived only keeps U3 (2604) and U4 (2001).
    assert set(compute("idle_units", N9, filters=Filters(estate_kind="zone")).records()) == {world.u3}
    assert set(compute("idle_units", N9, filters=Filters(deprived_only=True)).records()) == {
        world.u3,
        world.u4,
    }
    assert compute("idle_units", N9, parse_scope("2001")).value == 1


def test_target_progress_for_the_nation(world):
    result = compute("target_progress", N9)
    assert result.value == {"targets": 4, "met": 1}
    rows = result.breakdowns["targets"]
    summary = [
        (row["metric"], row["target"], row["achieved"], row["ratio"], row["measured_to"]) for row in rows
    ]
    assert summary == [
        # Targets of 1401 (start 1401-01-01) by metric name, then the one from 1401-03-01.
        ("jobs_restored", 40, 31, Decimal("0.7750"), j("1401-09-30")),
        ("units_revived", 2, 2, Decimal("1.0000"), j("1401-09-30")),
        ("workshops_opened", 10, 3, Decimal("0.3000"), j("1401-09-30")),
        # U3 is the only unit established in 1401-03-01 … 1401-09-30.
        ("units_established", 4, 1, Decimal("0.2500"), j("1401-09-30")),
    ]
    assert rows[0]["start_jalali"] == "1401-01-01" and rows[0]["end_jalali"] == "1401-12-29"
    assert set(result.records()) == {world.t1, world.t2, world.t3, world.t6}


def test_target_progress_for_a_province_and_elsewhere(world):
    qazvin = compute("target_progress", Y, parse_scope("IR-26"))
    # Qazvin's payments in 1401: D1, D2, D3 and D7 (P6 is in 2605, Qazvin) = 19.5 bn of 40 bn.
    assert [(row["achieved"], row["ratio"]) for row in qazvin.breakdowns["targets"]] == [
        (19_500_000_000, Decimal("0.4875"))
    ]
    assert compute("target_progress", Y, parse_scope("IR-23")).value == {"targets": 0, "met": 0}
    county = compute("target_progress", Y, parse_scope("2603"))
    assert county.value == {"targets": 0, "met": 0}
    assert county.warnings == ["targets are set for the nation and for provinces only"]


def test_every_figure_on_an_empty_database_is_zero(counties):
    results = compute_all(N9)
    assert results["workshops_opened"].value == 0
    assert results["infrastructure_spending"].value == {
        "rials": 0,
        "usd_at_period_end": None,
        "usd_at_payment_dates": Decimal("0.00"),
        "rate_at_period_end": None,
    }
    assert results["units_revived"].value == {"units": 0, "events": 0, "jobs": 0}
    assert results["idle_units"].value == 0
    assert results["regional_balance"].value["gini"] is None
    assert results["regional_balance"].value["theil"] is None
    assert results["regional_balance"].breakdowns["ranking"] == []


def test_compute_all_uses_few_queries(world, django_assert_max_num_queries):
    # Regions (2), rates (2), and one or two grouped queries per figure; never one per record.
    # The seven land figures add 11 (metrics/land.py: 1 + 3 + 1 + 1 + 2 + 1 + 2).
    with django_assert_max_num_queries(26 + 11):
        compute_all(Y)


def test_unknown_figure():
    with pytest.raises(KeyError, match="no figure is called 'jobs'"):
        compute("jobs", N9, NATION)
