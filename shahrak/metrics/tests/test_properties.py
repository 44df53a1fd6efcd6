"""Properties that hold on any data: periods add up, provinces add up to the nation, the idle
stock matches a plain reading of the events, and the indices match their textbook formulas."""

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.core.jalali import Period
from shahrak.core.testing import in_rollback
from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.estates.scope import parse_scope
from shahrak.metrics.engine import Filters, compute, compute_all
from shahrak.money.models import ExchangeRate
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement
from shahrak.regions.models import County
from shahrak.regions.scope import NATION
from shahrak.units.models import IsicClass, ProductionUnit, UnitEvent

FIRST = dt.date(2021, 3, 21)  # 1400-01-01
DAYS = 730  # two Iranian years
COUNTIES = ["2601", "2602", "2603", "2604", "2001", "2002", "2301"]
PROVINCES = ["IR-20", "IR-23", "IR-26"]
KINDS = ["park", "zone", "technology"]
CATEGORIES = ["water", "gas", "roads"]

day = st.integers(0, DAYS - 1)

estate_spec = st.tuples(
    st.sampled_from(COUNTIES), st.sampled_from(KINDS), day, st.booleans(), st.integers(0, 50)
)
workshop_spec = st.tuples(st.integers(0, 9), day)
payment_spec = st.tuples(day, st.integers(1, 10**12), st.sampled_from(["internal", "provincial"]))
project_spec = st.tuples(
    st.integers(0, 9),
    st.sampled_from(CATEGORIES),
    day,
    st.lists(payment_spec, max_size=4),
    st.lists(day, max_size=3),
)
event_spec = st.tuples(
    st.integers(1, 120), st.sampled_from(["idled", "revived", "closed"]), st.integers(0, 30)
)
unit_spec = st.tuples(
    st.integers(0, 9), st.one_of(st.none(), st.sampled_from(COUNTIES)), day, st.lists(event_spec, max_size=5)
)
world_spec = st.fixed_dictionaries(
    {
        "estates": st.lists(estate_spec, min_size=1, max_size=4),
        "workshops": st.lists(workshop_spec, max_size=6),
        "projects": st.lists(project_spec, max_size=4),
        "units": st.lists(unit_spec, max_size=6),
    }
)
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def build(spec) -> dict:
    """Create the records a drawn spec describes; returns the unit events for the idle oracle."""
    counties = {c.sci_code: c for c in County.objects.filter(sci_code__in=COUNTIES)}
    isic = IsicClass.objects.get(code="2651")
    estates = []
    for i, (county, kind, licence, operational, area) in enumerate(spec["estates"]):
        licensed = FIRST + dt.timedelta(licence)
        estates.append(
            Estate.objects.create(
                code=f"E{i}",
                name_fa=f"شهرک {i}",
                kind=kind,
                county=counties[county],
                status="operational" if operational else "licensed",
                licence_date=licensed,
                operational_date=licensed if operational else None,
                gross_area_ha=area + 5,
                industrial_area_ha=area,
                allocated_area_ha=area // 2,
            )
        )

    def pick(index):
        return estates[index % len(estates)]

    for i, (estate, opened) in enumerate(spec["workshops"]):
        when = FIRST + dt.timedelta(opened)
        WorkshopUnit.objects.create(
            estate=pick(estate), code=f"W{i}", floor_area_m2=100, completed_date=when, opened_date=when
        )
    for i, (estate, category, start, payments, plans) in enumerate(spec["projects"]):
        project = DevelopmentProject.objects.create(
            code=f"P{i}",
            estate=pick(estate),
            title="p",
            category=category,
            credit_rials=10**9,
            funding_source="internal",
            start_date=FIRST + dt.timedelta(start),
            status="underway",
        )
        for when, amount, source in payments:
            Disbursement.objects.create(
                project=project, date=FIRST + dt.timedelta(when), amount_rials=amount, funding_source=source
            )
        for when in sorted({(1400 + when // 365, when % 365 // 31 + 1) for when in plans}):
            PlannedDisbursement.objects.create(
                project=project, year=when[0], month=when[1], amount_rials=10**8
            )
    events = defaultdict(list)
    for i, (estate, county, born, later) in enumerate(spec["units"]):
        in_estate = county is None
        unit = ProductionUnit.objects.create(
            national_id=f"{i + 1:011d}",
            name=f"u{i}",
            estate=pick(estate) if in_estate else None,
            county=pick(estate).county if in_estate else counties[county],
            isic=isic,
            employees=5 + 20 * i,
        )
        when = FIRST + dt.timedelta(born)
        UnitEvent.objects.create(unit=unit, date=when, kind="established")
        events[unit.pk].append((when, "established"))
        for gap, kind, jobs in later:
            when += dt.timedelta(gap)
            UnitEvent.objects.create(
                unit=unit,
                date=when,
                kind=kind,
                cause="finance" if kind == "idled" else None,
                jobs=jobs if kind == "revived" else None,
            )
            events[unit.pk].append((when, kind))
    ExchangeRate.objects.create(date=FIRST, source="free_market", rials_per_unit=Decimal("300000"))
    return events


ADDITIVE = {
    "workshops_opened": lambda v: v,
    "estates_licensed": lambda v: v,
    "infrastructure_spending": lambda v: v["rials"],
    "planned_spending": lambda v: v["rials"],
    "units_established": lambda v: v,
    "units_revived": lambda v: (v["events"], v["jobs"]),
}


def add(a, b):
    return tuple(x + y for x, y in zip(a, b, strict=True)) if isinstance(a, tuple) else a + b


@HYPOTHESIS
@given(spec=world_spec, start=day, length=st.integers(1, 500), cut=st.integers(0, 499))
def test_a_period_split_in_two_adds_up(counties, spec, start, length, cut):
    def check():
        build(spec)
        whole = Period(FIRST + dt.timedelta(start), FIRST + dt.timedelta(start + length))
        middle = whole.start + dt.timedelta(cut % length)
        first, second = Period(whole.start, middle), Period(middle + dt.timedelta(1), whole.end)
        for name, read in ADDITIVE.items():
            assert read(compute(name, whole).value) == add(
                read(compute(name, first).value), read(compute(name, second).value)
            ), name

    in_rollback(check)


@HYPOTHESIS
@given(spec=world_spec, end=day)
def test_provinces_add_up_to_the_nation_and_idle_units_match_the_events(counties, spec, end):
    def check():
        events = build(spec)
        period = Period(FIRST, FIRST + dt.timedelta(end))
        nation = compute_all(period)
        by_province = {code: compute_all(period, parse_scope(code)) for code in PROVINCES}
        for name in (
            "workshops_opened",
            "estates_in_deprived_areas",
            "estates_licensed",
            "units_established",
            "idle_units",
        ):
            assert nation[name].value == sum(by_province[code][name].value for code in PROVINCES), name
            if "province" in nation[name].breakdowns:
                assert nation[name].value == sum(
                    row["count"] for row in nation[name].breakdowns["province"]
                ), name
        for name, field in (
            ("infrastructure_spending", "rials"),
            ("planned_spending", "rials"),
            ("projects_underway", "count"),
        ):
            assert nation[name].value[field] == sum(
                by_province[code][name].value[field] for code in PROVINCES
            ), name
        for field in ("units", "events", "jobs"):
            assert nation["units_revived"].value[field] == sum(
                by_province[c]["units_revived"].value[field] for c in PROVINCES
            )
        assert (
            nation["regional_balance"].value["spending_rials"]
            == nation["infrastructure_spending"].value["rials"]
        )
        # Idle at D, read plainly: the unit's last event on or before D is `idled`.
        idle = {
            unit
            for unit, history in events.items()
            if [kind for when, kind in sorted(history) if when <= period.end][-1:] == ["idled"]
        }
        assert set(nation["idle_units"].records().values_list("pk", flat=True)) == idle
        assert nation["idle_units"].value == len(idle)

    in_rollback(check)


@HYPOTHESIS
@given(spec=world_spec, end=day)
def test_indices_match_their_definitions(counties, spec, end):
    County.objects.filter(sci_code__in=COUNTIES).unaudited_update(deprivation="whole")

    def check():
        build(spec)
        period = Period(FIRST, FIRST + dt.timedelta(end))
        result = compute("regional_balance", period, NATION, Filters(deprived_only=True))
        rows = result.breakdowns["counties"]
        spending = sum(row["spending_rials"] for row in rows)
        population = sum(row["population"] for row in rows)
        value = result.value
        if spending == 0:
            assert (value["gini"], value["theil"], value["theil_between"], value["theil_within"]) == (
                None,
            ) * 4
            return
        s = {row["key"]: row["spending_rials"] / spending for row in rows}
        p = {row["key"]: row["population"] / population for row in rows}
        y = {row["key"]: row["spending_rials"] / row["population"] for row in rows}
        mean = spending / population
        double_sum = sum(p[i] * p[k] * abs(y[i] - y[k]) for i in p for k in p)
        assert value["gini"] == pytest.approx(double_sum / (2 * mean))
        total = sum(s[i] * math.log(s[i] / p[i]) for i in s if s[i] > 0)
        assert value["theil"] == pytest.approx(total, abs=1e-12)
        groups = defaultdict(list)
        for row in rows:
            groups[row["province"]].append(row["key"])
        within = 0.0
        for members in groups.values():
            s_g, p_g = sum(s[i] for i in members), sum(p[i] for i in members)
            if s_g > 0:
                within += s_g * sum(
                    (s[i] / s_g) * math.log((s[i] / s_g) / (p[i] / p_g)) for i in members if s[i] > 0
                )
        assert value["theil_within"] == pytest.approx(within, abs=1e-12)
        assert value["theil_between"] + value["theil_within"] == pytest.approx(value["theil"], abs=1e-12)

    in_rollback(check)
