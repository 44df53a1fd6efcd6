"""A small hand-built world whose figures are worked out by hand in the tests.

Dates are written in the Solar Hijri calendar (`j("1401-01-15")`). Counties of Qazvin (IR-26),
Semnan (IR-20) and Tehran (IR-23) get round census populations and a known less-developed status;
every other county is set to "not deprived", so "deprived only" sees exactly 2601, 2604 and 2001.

    county  province  population  deprived  size   estates (kind, licence, operational, free land)
    2601    IR-26     100,000     whole     small  E2 zone 1401-02-10, under development, 50 ha
    2602    IR-26     200,000     no        small  -
    2603    IR-26     600,000     no        big    E1 park 1400-05-01, op 1400-06-01, 100 − 60 = 40 ha
    2604    IR-26     100,000     partial   small  E3 zone 1399-01-15, op 1399-06-01, 30 − 30 = 0 ha
    2605    IR-26     (none)      no        small  E6 zone 1398-03-01, under development
    2606    IR-26     100,000     no        small  E7 zone 1399-05-01, op 1400-01-01, 10 − 0 = 10 ha
    2001    IR-20     100,000     whole     small  E4 park 1401-10-05, licensed
    2301    IR-23     (census)    no        metro  E5 technology 1398-01-01, op 1398-06-01, 20 − 5 ha
"""

import datetime as dt
from decimal import Decimal

import pytest

from shahrak.core.jalali import parse_jalali
from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.money.models import ExchangeRate
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement
from shahrak.regions.models import County
from shahrak.targets.models import Target
from shahrak.units.models import IsicClass, ProductionUnit, UnitEvent

BILLION = 10**9


def j(text: str) -> dt.date:
    return parse_jalali(text)


def set_county(code, **values):
    county = County.objects.get(sci_code=code)
    for name, value in values.items():
        setattr(county, name, value)
    county.save()
    return county


def estate(code, kind, county, licence, operational=None, industrial=0, allocated=0, status=None):
    return Estate.objects.create(
        code=code,
        name_fa=f"شهرک {code}",
        name_en=f"Estate {code}",
        kind=kind,
        county=County.objects.get(sci_code=county),
        status=status or ("operational" if operational else "licensed"),
        licence_date=j(licence) if licence else None,
        operational_date=j(operational) if operational else None,
        gross_area_ha=Decimal(industrial) + 10,
        industrial_area_ha=Decimal(industrial),
        allocated_area_ha=Decimal(allocated),
    )


def workshop(estate, code, opened, completed=None):
    return WorkshopUnit.objects.create(
        estate=estate,
        code=code,
        floor_area_m2=Decimal("500"),
        completed_date=j(completed or opened) if (completed or opened) else None,
        opened_date=j(opened) if opened else None,
    )


def project(code, estate, category, credit, status="underway", start=None, end=None, stopped=None):
    return DevelopmentProject.objects.create(
        code=code,
        estate=estate,
        title=f"پروژه {code}",
        category=category,
        credit_rials=credit,
        funding_source="internal",
        start_date=j(start) if start else None,
        actual_end_date=j(end) if end else None,
        stopped_date=j(stopped) if stopped else None,
        status=status,
    )


def pay(project, day, amount, source="internal"):
    return Disbursement.objects.create(
        project=project, date=j(day), amount_rials=amount, funding_source=source
    )


def plan(project, year, month, amount):
    return PlannedDisbursement.objects.create(project=project, year=year, month=month, amount_rials=amount)


def unit(number, employees, isic, estate=None, county=None, kb=None):
    return ProductionUnit.objects.create(
        national_id=f"{number:011d}",
        name=f"واحد {number}",
        estate=estate,
        county=estate.county if estate else County.objects.get(sci_code=county),
        isic=IsicClass.objects.get(code=isic),
        employees=employees,
        knowledge_based_since=j(kb) if kb else None,
    )


def event(unit, day, kind, cause=None, jobs=None):
    return UnitEvent.objects.create(unit=unit, date=j(day), kind=kind, cause=cause, jobs=jobs)


class World:
    """The records of the hand-built world, by the names the tests use."""


@pytest.fixture
def counties(db):
    County.objects.unaudited_update(deprivation="none")
    set_county("2601", population=100_000, urban_population=None, deprivation="whole", size_class="small")
    set_county("2602", population=200_000, urban_population=None, deprivation="none", size_class="small")
    set_county("2603", population=600_000, urban_population=None, deprivation="none", size_class="big")
    set_county("2604", population=100_000, urban_population=None, deprivation="partial", size_class="small")
    set_county("2605", population=None, urban_population=None, deprivation="none", size_class="small")
    set_county("2606", population=100_000, urban_population=None, deprivation="none", size_class="small")
    set_county("2001", population=100_000, urban_population=None, deprivation="whole", size_class="small")


@pytest.fixture
def world(counties):
    w = World()
    w.e1 = estate("QZ-P1", "park", "2603", "1400-05-01", "1400-06-01", industrial=100, allocated=60)
    w.e2 = estate("QZ-Z1", "zone", "2601", "1401-02-10", industrial=50, status="under_development")
    w.e3 = estate("QZ-Z2", "zone", "2604", "1399-01-15", "1399-06-01", industrial=30, allocated=30)
    w.e4 = estate("SM-P1", "park", "2001", "1401-10-05")
    w.e5 = estate("TH-T1", "technology", "2301", "1398-01-01", "1398-06-01", industrial=20, allocated=5)
    w.e6 = estate("QZ-Z3", "zone", "2605", "1398-03-01", status="under_development")
    w.e7 = estate("QZ-Z4", "zone", "2606", "1399-05-01", "1400-01-01", industrial=10, allocated=0)

    w.w1 = workshop(w.e1, "W1", "1401-01-15", completed="1400-12-01")
    w.w2 = workshop(w.e1, "W2", "1401-09-30", completed="1401-02-01")
    w.w3 = workshop(w.e2, "W3", "1401-10-01")
    w.w4 = workshop(w.e5, "W4", "1400-12-29")
    w.w5 = workshop(w.e3, "W5", "1401-03-01")
    w.w6 = workshop(w.e1, "W6", None, completed="1401-05-01")  # built, never handed over

    w.p1 = project("P1", w.e1, "water", 50 * BILLION, start="1400-07-01")
    w.p2 = project("P2", w.e2, "electricity", 30 * BILLION, "completed", start="1401-03-01", end="1401-08-15")
    w.p3 = project("P3", w.e5, "gas", 20 * BILLION, "suspended", start="1401-05-01", stopped="1401-11-01")
    w.p4 = project("P4", w.e4, "roads", 10 * BILLION, start="1401-10-01")
    w.p5 = project("P5", w.e3, "water", 5 * BILLION, "planned")
    w.p6 = project("P6", w.e6, "buildings", 1 * BILLION, start="1401-01-01")

    w.d1 = pay(w.p1, "1401-01-10", 10 * BILLION)
    w.d2 = pay(w.p1, "1401-01-10", 2 * BILLION, "national_budget")
    w.d3 = pay(w.p2, "1401-04-05", 6 * BILLION)
    w.d4 = pay(w.p3, "1401-09-30", 4 * BILLION, "provincial")
    w.d5 = pay(w.p4, "1401-10-10", 8 * BILLION)
    w.d6 = pay(w.p1, "1400-12-29", 3 * BILLION)
    w.d7 = pay(w.p6, "1401-06-20", 1_500_000_000)

    w.pd1 = plan(w.p1, 1401, 9, 3 * BILLION)
    w.pd2 = plan(w.p1, 1401, 10, 5 * BILLION)
    w.pd3 = plan(w.p4, 1401, 12, 2 * BILLION)
    w.pd4 = plan(w.p3, 1401, 1, 1 * BILLION)

    for day, rate in (("1400-12-01", 250_000), ("1401-04-01", 350_000), ("1401-09-15", 400_000)):
        ExchangeRate.objects.create(
            date=j(day), currency="USD", source="free_market", rials_per_unit=Decimal(rate)
        )
    ExchangeRate.objects.create(
        date=j("1400-01-01"), currency="USD", source="official", rials_per_unit=Decimal(42_000)
    )

    w.u1 = unit(1, 5, "2651", w.e1, kb="1401-05-01")
    w.u2 = unit(2, 20, "1410", w.e1)
    w.u3 = unit(3, 60, "2910", w.e3, kb="1401-11-01")
    w.u4 = unit(4, 150, "1410", county="2001")
    w.u5 = unit(5, 9, "2651", w.e5, kb="1399-01-01")
    w.u6 = unit(6, 10, "2410", w.e2)
    w.u7 = unit(7, 30, "2410", w.e1)

    event(w.u1, "1401-02-01", "established")
    event(w.u1, "1401-05-10", "idled", cause="finance")
    event(w.u1, "1401-08-01", "revived", jobs=4)
    event(w.u2, "1399-01-01", "established")
    event(w.u2, "1400-06-01", "idled", cause="market")
    event(w.u2, "1401-03-01", "revived", jobs=15)
    event(w.u2, "1401-06-01", "idled", cause="raw_materials")
    event(w.u2, "1401-07-01", "revived", jobs=12)
    event(w.u3, "1401-04-01", "established")
    event(w.u3, "1401-09-30", "idled", cause="machinery")
    event(w.u4, "1398-01-01", "established")
    event(w.u4, "1400-01-01", "idled", cause="utilities")
    event(w.u5, "1400-01-01", "established")
    event(w.u5, "1401-09-01", "idled", cause="finance")
    event(w.u5, "1401-10-01", "revived", jobs=7)
    event(w.u6, "1401-10-15", "established")
    event(w.u7, "1398-01-01", "established")
    event(w.u7, "1399-01-01", "idled", cause="legal")
    event(w.u7, "1400-01-01", "closed")

    from shahrak.regions.models import Province

    qazvin = Province.objects.get(iso_code="IR-26")
    year_1401 = {"year": 1401, "start_date": j("1401-01-01"), "end_date": j("1401-12-29")}
    w.t1 = Target.objects.create(metric="units_revived", value=2, **year_1401)
    w.t2 = Target.objects.create(metric="jobs_restored", value=40, **year_1401)
    w.t3 = Target.objects.create(metric="workshops_opened", value=10, **year_1401)
    w.t4 = Target.objects.create(
        metric="infrastructure_spending", value=40 * BILLION, province=qazvin, **year_1401
    )
    w.t5 = Target.objects.create(
        metric="estates_licensed", value=20, year=1400, start_date=j("1400-01-01"), end_date=j("1400-12-29")
    )
    w.t6 = Target.objects.create(
        metric="units_established", value=4, start_date=j("1401-03-01"), end_date=j("1402-02-31")
    )
    return w
