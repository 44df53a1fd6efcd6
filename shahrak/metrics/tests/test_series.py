"""Monthly trends for the dashboard: one grouped query per figure, twelve Solar Hijri months."""

from shahrak.estates.scope import parse_scope
from shahrak.metrics.engine import Filters, monthly_series

from .conftest import BILLION


def numbers(series):
    assert [(year, month) for year, month, _ in series] == [(1401, month) for month in range(1, 13)]
    return [number for _, _, number in series]


def test_workshops_opened_by_month(world):
    # W1 Farvardin (1), W5 Khordad (3), W2 Azar 30 (9, last day of the month), W3 Dey 1 (10).
    assert numbers(monthly_series("workshops_opened", 1401)) == [1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0]


def test_spending_by_month(world):
    # 12 bn on 1401-01-10, 6 bn on 04-05, 1.5 bn on 06-20, 4 bn on 09-30, 8 bn on 10-10.
    assert numbers(monthly_series("infrastructure_spending", 1401)) == [
        12 * BILLION,
        0,
        0,
        6 * BILLION,
        0,
        1_500_000_000,
        0,
        0,
        4 * BILLION,
        8 * BILLION,
        0,
        0,
    ]
    assert numbers(monthly_series("infrastructure_spending", 1401, parse_scope("IR-23"))) == [
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        4 * BILLION,
        0,
        0,
        0,
    ]


def test_revivals_establishments_and_licences_by_month(world):
    # Revived: U2 in Khordad (3), U2 in Mehr (7), U1 in Aban (8), U5 in Dey (10).
    assert numbers(monthly_series("units_revived", 1401)) == [0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0]
    # Established: U1 Ordibehesht (2), U3 Tir (4), U6 Dey (10).
    assert numbers(monthly_series("units_established", 1401)) == [0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]
    # Licensed: E2 Ordibehesht, E4 Dey; only E2 is a zone.
    assert numbers(monthly_series("estates_licensed", 1401)) == [0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]
    assert numbers(monthly_series("estates_licensed", 1401, filters=Filters(estate_kind="zone"))) == [
        0,
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
    ]


def test_one_query_per_series(world, django_assert_num_queries):
    # Whether the monthly tallies are current (here never built), then one grouped query.
    with django_assert_num_queries(2):
        monthly_series("units_revived", 1401)
