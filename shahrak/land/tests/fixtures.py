"""Builders for land tests: an estate with plots, an application carried to any state."""

import datetime as dt
import itertools
from decimal import Decimal

from shahrak.land import actions
from shahrak.land.models import Application, Plot
from shahrak.regions.models import County
from tests.factories import make_estate, national_id

_serial = itertools.count(500)

D0 = dt.date(2022, 4, 1)  # 1401-01-12


def deprived_county(code="2601"):
    county = County.objects.get(sci_code=code)
    county.deprivation = "whole"
    county.save()
    return county


def make_plot(estate, code=None, area=1000, price=2_000_000, serviced=True, **fields):
    n = next(_serial)
    utilities = {f"has_{u}": serviced for u in ("water", "electricity", "gas", "road", "telecom")}
    return Plot.objects.create(
        estate=estate,
        code=code or f"P{n}",
        area_m2=Decimal(area),
        price_per_m2_rials=price,
        **{**utilities, **fields},
    )


def make_application(estate, actor, *, day=D0, kind="legal", applicant_id=None, **fields) -> Application:
    n = next(_serial)
    application = Application(
        estate=estate,
        applicant_kind=kind,
        applicant_id=applicant_id or national_id(n),
        name=f"متقاضی {n}",
        requested_area_m2=1000,
        applied_date=day,
        isic_id=fields.pop("isic_id", None) or _isic(),
        **fields,
    )
    return actions.submit_application(application, actor=actor)


def _isic():
    from shahrak.units.models import IsicClass

    return IsicClass.objects.get(code="1010").pk


def approved(estate, actor, plots, *, day=D0):
    application = make_application(estate, actor, day=day)
    return actions.approve(application, plots, day=day, actor=actor)


def signed(estate, actor, plots, *, day=D0, **kwargs):
    application = approved(estate, actor, plots, day=day)
    return actions.sign_contract(application, signed=day, actor=actor, **kwargs)


__all__ = ["D0", "approved", "deprived_county", "make_application", "make_estate", "make_plot", "signed"]
