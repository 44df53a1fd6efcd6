"""Regional balance on the hand-built world, and the index formulas on small worked examples."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from shahrak.core.jalali import months_of_year, year_bounds
from shahrak.estates.scope import parse_scope
from shahrak.metrics.balance import gini, normalise, rank_exactly, theil
from shahrak.metrics.engine import Filters, compute

N9 = months_of_year(1401, 1, 9)
Y = year_bounds(1401)


def column(rows, field):
    return {row["key"]: row[field] for row in rows}


def test_gini_of_two_equal_halves_with_all_money_in_one_is_one_half():
    # p = ½, ½; y = 0, 2 (μ = 1): ΣΣ pᵢpⱼ|yᵢ − yⱼ| = 2 × ¼ × 2 = 1; Gini = 1 / (2 × 1) = ½.
    assert gini([(50, 0), (50, 200)]) == Fraction(1, 2)


def test_gini_equal_per_capita_is_zero_and_nothing_spent_is_empty():
    assert gini([(100, 1000), (300, 3000)]) == 0
    assert gini([(100, 0), (300, 0)]) is None


def test_theil_of_two_groups():
    # s = ¾, ¼; p = ½, ½: T = ¾ ln(3/2) + ¼ ln(1/2).
    total, between, within = theil([(1, 3, "a"), (1, 1, "b")])
    assert total == pytest.approx(0.75 * math.log(1.5) + 0.25 * math.log(0.5))
    assert between == pytest.approx(total)
    assert within == pytest.approx(0)


def test_theil_term_with_nothing_spent_is_zero():
    # s = 1, 0; p = ¼, ¾: T = 1 × ln(1 / ¼) = ln 4.
    total, _, _ = theil([(1, 5, "a"), (3, 0, "a")])
    assert total == pytest.approx(math.log(4))


def test_normalise():
    assert normalise([Fraction(2), Fraction(4), Fraction(3)]) == [0, 1, Fraction(1, 2)]
    assert normalise([Fraction(7), Fraction(7)]) == [0, 0]


def test_regional_balance_of_qazvin_in_nine_months(world):
    # Counties of Qazvin with a population: 2601 (100k, 6 bn: D3), 2602 (200k, 0), 2603 (600k,
    # 12 bn: D1 + D2), 2604 (100k, 0), 2606 (100k, 0). 2605 has no census population: left out.
    result = compute("regional_balance", N9, parse_scope("IR-26"))
    # S = 18 bn, P = 1.1 M, μ = 16,363.6 rials a head.
    # y: 2601 60,000; 2603 20,000; others 0; p: 1/11, 6/11 and 2/11, 1/11, 1/11 (zeros 4/11).
    # Pairs: (2601, 2603) 1/11·6/11·40,000; (2601, zeros) 1/11·4/11·60,000; (2603, zeros)
    # 6/11·4/11·20,000 → 960,000/121, doubled for ordered pairs 1,920,000/121.
    # Gini = (1,920,000/121) / (2 × 18e9/1.1e6) = 16/33.
    # Theil: s = 1/3, 2/3 against p = 1/11, 6/11 → T = ⅓ ln(11/3) + ⅔ ln(11/9); one province, so
    # between = 0 and within = T.
    theil_t = math.log(11 / 3) / 3 + 2 * math.log(11 / 9) / 3
    value = result.value
    assert value == {
        "spending_rials": 18_000_000_000,
        "population": 1_100_000,
        "per_capita_rials": 16364,
        "gini": pytest.approx(16 / 33),
        "theil": pytest.approx(theil_t),
        "theil_between": pytest.approx(0),
        "theil_within": pytest.approx(theil_t),
        "deprived_spending_share": pytest.approx(1 / 3),  # 2601 and 2604: 6 of 18 bn
        "deprived_population_share": pytest.approx(2 / 11),  # 200k of 1.1 M
        "counties": 5,
        "weights": [2.0, 1.0, 1.0, 0.5],
        "all_sizes": False,
    }
    assert result.warnings == ["county 2605 has spending but no census population: left out of the balance"]

    counties = result.breakdowns["counties"]
    assert [row["code"] for row in counties] == ["2601", "2602", "2603", "2604", "2606"]
    assert column(counties, "per_capita_rials") == {
        "2601": 60000,
        "2602": 0,
        "2603": 20000,
        "2604": 0,
        "2606": 0,
    }
    assert counties[0] == {
        "key": "2601",
        "label_fa": "بوئین زهرا",
        "label_en": "Buin Zahra",
        "code": "2601",
        "name_fa": "بوئین زهرا",
        "name_en": "Buin Zahra",
        "province": "IR-26",
        "province_fa": "قزوین",
        "province_en": "Qazvin",
        "population": 100_000,
        "spending_rials": 6_000_000_000,
        "per_capita_rials": 60_000,
        "deprived": True,
        "deprivation": "whole",
        "size_class": "small",
        "free_land_ha": Decimal("0.00"),
        "idle_units": 0,
    }
    assert column(counties, "free_land_ha") == {
        "2601": 0,  # E2 is not operational
        "2602": 0,
        "2603": Decimal("40.00"),  # E1: 100 − 60
        "2604": 0,  # E3: 30 − 30
        "2606": Decimal("10.00"),  # E7
    }
    assert column(counties, "idle_units") == {"2601": 0, "2602": 0, "2603": 0, "2604": 1, "2606": 0}

    size = {row["key"]: row for row in result.breakdowns["size_class"]}
    assert (size["big"]["spending_rials"], size["big"]["population"]) == (12_000_000_000, 600_000)
    assert (size["small"]["spending_rials"], size["small"]["population"]) == (6_000_000_000, 500_000)
    assert size["small"]["spending_share"] == pytest.approx(1 / 3)
    assert size["small"]["population_share"] == pytest.approx(5 / 11)
    assert (size["metropolis"]["counties"], size["metropolis"]["spending_share"]) == (0, 0)

    # Lorenz: per capita ascending, ties by code: 2602, 2604, 2606 (0), 2603 (20,000), 2601 (60,000).
    lorenz = result.breakdowns["lorenz"]
    assert [row["key"] for row in lorenz] == ["2602", "2604", "2606", "2603", "2601"]
    assert [row["population_share"] for row in lorenz] == pytest.approx([2 / 11, 3 / 11, 4 / 11, 10 / 11, 1])
    assert [row["spending_share"] for row in lorenz] == pytest.approx([0, 0, 0, 2 / 3, 1])


def test_ranking_of_under_served_small_counties_with_capacity(world):
    # DESIGN.md "Exact definitions", regional_balance. Qazvin, nine months of 1401: S = 18 bn,
    # P = 1.1 M, μ = 16,363.6 rials a head. With capacity (free land or idle units at 1401-09-30):
    # 2603 (big: left out by default), 2604 (small, 0 ha, 1 idle, 100k, y 0), 2606 (small, 10 ha,
    # 0 idle, 100k, y 0). Per 10,000 people: land 0 and 1 ha, idle 0.1 and 0.
    # n(y) = 0, 0 (all equal); n(land) = 0, 1; n(idle) = 1, 0; n(population) = 0, 0.
    # Weights 2, 1, 1, ½: 2604 = 2·1 + 0 + 1 + 0 = 3; 2606 = 2·1 + 1 + 0 + 0 = 3: tie → lower code.
    result = compute("regional_balance", N9, parse_scope("IR-26"))
    ranking = result.breakdowns["ranking"]
    assert [(row["rank"], row["key"], row["score"]) for row in ranking] == [
        (1, "2604", 3.0),
        (2, "2606", 3.0),
    ]
    assert result.breakdowns["well_funded"] == []
    assert {key: ranking[1][key] for key in ranking[1] if key.startswith(("n_", "part_"))} == {
        "n_per_capita": 0.0,
        "n_free_land": 1.0,
        "n_idle_units": 0.0,
        "n_population": 0.0,
        "part_under_served": 2.0,
        "part_free_land": 1.0,
        "part_idle_units": 0.0,
        "part_population": 0.0,
    }
    assert (ranking[1]["land_per_10k"], ranking[1]["idle_per_10k"]) == (1.0, 0.0)
    assert (ranking[0]["land_per_10k"], ranking[0]["idle_per_10k"]) == (0.0, 0.1)
    assert (ranking[1]["free_land_ha"], ranking[1]["idle_units"], ranking[1]["population"]) == (
        Decimal("10.00"),
        0,
        100_000,
    )
    # Weighting free land 3: 2606 = 2 + 3 = 5 before 2604 = 2 + 1 = 3.
    weighted = compute("regional_balance", N9, parse_scope("IR-26"), weights=(2, 3, 1, 0.5))
    assert [(row["key"], row["score"]) for row in weighted.breakdowns["ranking"]] == [
        ("2606", 5.0),
        ("2604", 3.0),
    ]


def test_all_sizes_brings_big_counties_back_and_the_well_funded_are_set_apart(world):
    # All sizes: 2603 (big, 40 ha, 600k) has capacity but spends 20,000 a head > μ = 16,363.6:
    # "has capacity, already well funded", out of the normalisation; the ranking is unchanged.
    result = compute("regional_balance", N9, parse_scope("IR-26"), all_sizes=True)
    assert [row["key"] for row in result.breakdowns["ranking"]] == ["2604", "2606"]
    assert [
        (row["key"], row["per_capita_rials"], row["free_land_ha"]) for row in result.breakdowns["well_funded"]
    ] == [("2603", 20_000, Decimal("40.00"))]
    assert result.value["all_sizes"] is True


def test_a_candidate_at_most_mu_is_ranked_with_its_spending(world):
    # Over the whole year 1401 in the nation-wide deprived counties 2601 (60,000 a head), 2604 (0)
    # and 2001 (80,000), μ = 14 bn / 300k = 46,666.7. Give 2601 idle capacity by making its zone
    # operational with 50 ha free: 2601 (60,000 > μ) is set apart, and so is 2001 (80,000 > μ; its
    # unit U4 is idle since 1400), listed by code; 2604 (0 ≤ μ) alone is ranked, with every
    # n = 0 (one county): score = w₁ · 1 = 2.
    from shahrak.estates.models import Estate

    Estate.objects.filter(code="QZ-Z1").unaudited_update(
        status="operational", operational_date=world.e2.licence_date
    )
    result = compute("regional_balance", Y, filters=Filters(deprived_only=True))
    assert [row["key"] for row in result.breakdowns["well_funded"]] == ["2001", "2601"]
    assert [(row["key"], row["score"]) for row in result.breakdowns["ranking"]] == [("2604", 2.0)]


def test_bad_weights_are_refused(world):
    with pytest.raises(ValueError, match="four weights"):
        compute("regional_balance", N9, weights=(1, 1))
    with pytest.raises(ValueError, match="negative"):
        compute("regional_balance", N9, weights=(1, -1, 1, 1))


def test_theil_split_between_and_within_provinces_over_deprived_counties(world):
    # Deprived counties: 2601 (IR-26, 100k, 6 bn: D3), 2604 (IR-26, 100k, 0), 2001 (IR-20, 100k,
    # 8 bn: D5 on 1401-10-10). S = 14 bn, P = 300k.
    # T = 3/7 ln((3/7)/(1/3)) + 4/7 ln((4/7)/(1/3)) = 3/7 ln(9/7) + 4/7 ln(12/7).
    # Between: IR-26 s = 3/7, p = 2/3; IR-20 s = 4/7, p = 1/3 → 3/7 ln(9/14) + 4/7 ln(12/7).
    # Within = Σ s_g T_g: T(IR-26) = 1 × ln(1 / ½) = ln 2, T(IR-20) = 0 → 3/7 ln 2.
    # Gini: p = ⅓ each, y = 60,000, 0, 80,000; pairs 60k, 20k, 80k → ΣΣ = 2 × 160,000/9;
    # μ = 14e9/3e5 → Gini = (320,000/9) / (2 × 140,000/3) = 8/21.
    value = compute("regional_balance", Y, filters=Filters(deprived_only=True)).value
    assert value["spending_rials"] == 14_000_000_000
    assert value["population"] == 300_000
    assert value["theil"] == pytest.approx(3 / 7 * math.log(9 / 7) + 4 / 7 * math.log(12 / 7))
    assert value["theil_between"] == pytest.approx(3 / 7 * math.log(9 / 14) + 4 / 7 * math.log(12 / 7))
    assert value["theil_within"] == pytest.approx(3 / 7 * math.log(2))
    assert value["gini"] == pytest.approx(8 / 21)
    assert value["deprived_spending_share"] == 1.0


def test_balance_of_one_estate_is_its_county(world):
    result = compute("regional_balance", Y, parse_scope("QZ-P1"))
    # E1 paid D1 + D2 = 12 bn in 1401 (D6 is in 1400); its county 2603 has 600k people.
    assert [row["code"] for row in result.breakdowns["counties"]] == ["2603"]
    assert result.value["spending_rials"] == 12_000_000_000
    assert result.value["per_capita_rials"] == 20_000
    assert result.value["gini"] == 0
    assert result.value["theil"] == 0


def test_ranking_is_exact_where_floats_are_not():
    # 0.1 + 0.2 is 0.30000000000000004 in floats; as fractions the two scores are equal, so the
    # tie goes to the lower code even though its float score is the smaller one.
    exact = [Fraction(3, 10), Fraction(1, 10) + Fraction(2, 10), Fraction(1, 10)]
    approximate = [0.3, 0.1 + 0.2, 0.1]
    assert approximate[1] > approximate[0]
    assert rank_exactly(3, approximate, lambda i: exact[i], ["2602", "2601", "2600"]) == [1, 0, 2]
    assert rank_exactly(3, approximate, lambda i: exact[i], ["2601", "2602", "2600"]) == [0, 1, 2]


def test_figures_resting_on_provisional_status_say_so(world):
    # DESIGN.md "Provisional facts are labelled": 2604 (IR-26) is deprived on a provisional rule.
    from shahrak.metrics.engine import compute_all
    from shahrak.regions.models import County

    County.objects.unaudited_update(deprivation_basis="decree")
    County.objects.filter(sci_code="2604").unaudited_update(deprivation_basis="provisional")
    assert compute("regional_balance", N9).provisional_counties == ["2604"]
    assert compute("estates_in_deprived_areas", N9, parse_scope("IR-26")).provisional_counties == ["2604"]
    assert compute("estates_in_deprived_areas", N9, parse_scope("IR-20")).provisional_counties == []
    assert compute("estates_in_deprived_areas", N9, parse_scope("QZ-Z2")).provisional_counties == ["2604"]
    assert compute("estates_in_deprived_areas", N9, parse_scope("2603")).provisional_counties == []
    # A figure that does not rest on the status is not labelled, unless filtered to deprived counties.
    assert compute("workshops_opened", N9).provisional_counties == []
    assert compute("workshops_opened", N9, filters=Filters(deprived_only=True)).provisional_counties == [
        "2604"
    ]
    results = compute_all(N9)
    note = results["regional_balance"].as_dict()["provisional_deprivation"]
    assert note["counties"] == ["2604"] and note["note"].startswith("provisional:")
    assert results["infrastructure_spending"].as_dict()["provisional_deprivation"] is None
