"""Small builders for tests: one valid record of each kind, with overridable fields.

They live with the tests, not in the package: the package itself never builds records for tests."""

import datetime as dt
import itertools

from shahrak.core.validators import national_id_check_digit
from shahrak.estates.models import Estate, EstateKind, EstateStatus, WorkshopUnit
from shahrak.projects.models import Category, DevelopmentProject, Disbursement, FundingSource, ProjectStatus
from shahrak.regions.models import County
from shahrak.units.models import IsicClass, ProductionUnit

_counter = itertools.count(1)


def national_id(serial: int) -> str:
    """A valid 11-digit national ID from a serial number."""
    first_ten = f"{10_100_000_000 // 10 + serial:010d}"
    return first_ten + str(national_id_check_digit(first_ten))


def make_estate(county="2301", **fields) -> Estate:
    n = next(_counter)
    values = {
        "code": f"E{n:05d}",
        "name_fa": f"شهرک صنعتی آزمایشی {n}",
        "kind": EstateKind.PARK,
        "county": County.objects.get(sci_code=county),
        "status": EstateStatus.OPERATIONAL,
        "licence_date": dt.date(2010, 1, 1),
        "operational_date": dt.date(2012, 1, 1),
        "gross_area_ha": 100,
        "industrial_area_ha": 60,
        "allocated_area_ha": 40,
    }
    values.update(fields)
    return Estate.objects.create(**values)


def make_unit(estate=None, **fields) -> ProductionUnit:
    n = next(_counter)
    values = {
        "national_id": national_id(n),
        "name": f"شرکت تولیدی {n}",
        "estate": estate,
        "county": estate.county if estate else County.objects.get(sci_code="2301"),
        "isic": IsicClass.objects.get(code="1010"),
        "employees": 12,
    }
    values.update(fields)
    return ProductionUnit.objects.create(**values)


def make_workshop(estate, **fields) -> WorkshopUnit:
    n = next(_counter)
    return WorkshopUnit.objects.create(**{"estate": estate, "code": f"W{n}", "floor_area_m2": 500, **fields})


def make_project(estate, **fields) -> DevelopmentProject:
    n = next(_counter)
    values = {
        "code": f"P{n:06d}",
        "estate": estate,
        "title": f"تأمین آب {n}",
        "category": Category.WATER,
        "credit_rials": 10**12,
        "funding_source": FundingSource.INTERNAL,
        "start_date": dt.date(2021, 5, 1),
        "status": ProjectStatus.UNDERWAY,
    }
    values.update(fields)
    return DevelopmentProject.objects.create(**values)


def make_disbursement(project, date, amount, **fields) -> Disbursement:
    return Disbursement.objects.create(
        project=project,
        date=date,
        amount_rials=amount,
        funding_source=fields.pop("funding_source", FundingSource.INTERNAL),
        **fields,
    )
