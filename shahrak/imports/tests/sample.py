"""A small world of records in two provinces (Tehran IR-23, Isfahan IR-10), every record type.

Used by the import, export, API and permission tests. Each record's values are written out here
so that the expected figures of a test can be read off this file.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.money.models import ExchangeRate
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement, ProjectStatus
from shahrak.regions.models import County, Province
from shahrak.targets.models import Target
from shahrak.units.models import ProductionUnit, UnitEvent
from tests.factories import make_disbursement, make_estate, make_project, make_unit, make_workshop


@dataclass
class World:
    tehran_estate: Estate
    isfahan_estate: Estate
    tehran_unit: ProductionUnit
    isfahan_unit: ProductionUnit
    outside_unit: ProductionUnit
    tehran_workshop: WorkshopUnit
    isfahan_workshop: WorkshopUnit
    tehran_event: UnitEvent
    isfahan_event: UnitEvent
    tehran_project: DevelopmentProject
    isfahan_project: DevelopmentProject
    tehran_payment: Disbursement
    isfahan_payment: Disbursement
    tehran_plan: PlannedDisbursement
    isfahan_plan: PlannedDisbursement
    national_target: Target
    tehran_target: Target
    rate: ExchangeRate
    tehran: Province
    isfahan: Province
    tehran_county: County
    isfahan_county: County


def build_world() -> World:
    tehran_estate = make_estate("2301", code="TH-001", name_fa="شهرک صنعتی عباس‌آباد", name_en="Abbasabad",
                                latitude=Decimal("35.56000"), longitude=Decimal("51.87000"))  # fmt: skip
    isfahan_estate = make_estate("1002", code="IS-001", name_fa="شهرک صنعتی مورچه‌خورت", name_en="Murchekhurt")
    tehran_unit = make_unit(tehran_estate, name="صنایع غذایی البرز", employees=25)
    isfahan_unit = make_unit(isfahan_estate, name="فولاد سپاهان", employees=140)
    outside_unit = make_unit(None, name="کارگاه بیرون از شهرک", employees=4)
    tehran_workshop = make_workshop(
        tehran_estate, code="W-1", completed_date=dt.date(2022, 5, 1), opened_date=dt.date(2022, 6, 1),
        occupant=tehran_unit,
    )  # fmt: skip
    isfahan_workshop = make_workshop(isfahan_estate, code="W-1")
    tehran_event = UnitEvent.objects.create(unit=tehran_unit, date=dt.date(2021, 4, 1), kind="established")
    isfahan_event = UnitEvent.objects.create(
        unit=isfahan_unit, date=dt.date(2022, 7, 1), kind="idled", cause="finance"
    )
    tehran_project = make_project(tehran_estate, code="PRJ-T-1", title="شبکه آب", title_en="Water network")
    isfahan_project = make_project(
        isfahan_estate, code="PRJ-I-1", title="برق‌رسانی", category="electricity", status=ProjectStatus.COMPLETED,
        actual_end_date=dt.date(2022, 12, 1), approved_date=dt.date(2021, 1, 10), planned_end_date=dt.date(2022, 11, 1),
    )  # fmt: skip
    tehran_payment = make_disbursement(tehran_project, dt.date(2022, 4, 10), 2_500_000_000, reference="PAY-1")
    isfahan_payment = make_disbursement(isfahan_project, dt.date(2022, 8, 1), 7_000_000_000)
    tehran_plan = PlannedDisbursement.objects.create(
        project=tehran_project, year=1401, month=9, amount_rials=8 * 10**11
    )
    isfahan_plan = PlannedDisbursement.objects.create(
        project=isfahan_project, year=1401, month=10, amount_rials=10**11
    )
    tehran = Province.objects.get(iso_code="IR-23")
    isfahan = Province.objects.get(iso_code="IR-10")
    national_target = Target.objects.create(
        metric="units_revived",
        year=1401,
        start_date=dt.date(2022, 3, 21),
        end_date=dt.date(2023, 3, 20),
        value=2000,
    )
    tehran_target = Target.objects.create(
        metric="workshops_opened", year=1401, start_date=dt.date(2022, 3, 21), end_date=dt.date(2023, 3, 20),
        province=tehran, value=120,
    )  # fmt: skip
    rate = ExchangeRate.objects.create(date=dt.date(2022, 12, 21), currency="USD", source="free_market",
                                       rials_per_unit=Decimal("380250.00"))  # fmt: skip
    return World(
        tehran_estate, isfahan_estate, tehran_unit, isfahan_unit, outside_unit, tehran_workshop, isfahan_workshop,
        tehran_event, isfahan_event, tehran_project, isfahan_project, tehran_payment, isfahan_payment, tehran_plan,
        isfahan_plan, national_target, tehran_target, rate, tehran, isfahan,
        County.objects.get(sci_code="2301"), County.objects.get(sci_code="1002"),
    )  # fmt: skip


def snapshot() -> dict:
    """Every domain record and history row count, to prove that something changed nothing."""
    from shahrak.imports.resources import RESOURCES

    state = {}
    for slug, resource in RESOURCES.items():
        model = resource.model
        fields = [f.attname for f in model._meta.concrete_fields]
        state[slug] = sorted(model._default_manager.order_by("pk").values_list(*fields))
        history = getattr(model, "history", None)
        if history is not None:
            state[f"{slug}.history"] = history.count()
    return state


@dataclass
class LandWorld:
    plots: list
    contract: object
    terminated: object
    application: object
    lease: object
    programme: object


def build_land(world: World, actor) -> LandWorld:
    """Land records in Tehran's estate, carried through the named actions as an officer would:
    three plots (one with a polygon), an application left submitted, a contract signed on
    1401/02/01 with its instalments, a payment and its deadline extended (granted 1401/10/25, to
    1403/08/01), one signed, transferred on 1400/12/10 to the Tehran unit and terminated (its plot
    reclaimed),
    a lease of the Tehran workshop, a programme with that workshop as its member."""
    from shahrak.land import actions
    from shahrak.land.models import Application, Plot, Programme, ProgrammeMember

    estate = world.tehran_estate
    utilities = {f"has_{u}": True for u in ("water", "electricity", "gas", "road", "telecom")}
    square = {"type": "Polygon", "coordinates": [[[0, 0], [50, 0], [50, 40], [0, 40], [0, 0]]]}
    plots = [
        Plot.objects.create(estate=estate, code="A-1", area_m2=Decimal("2000.00"), price_per_m2_rials=2_000_000,
                            polygon=square, **utilities),
        Plot.objects.create(estate=estate, code="A-2", area_m2=Decimal("1500.50"), price_per_m2_rials=1_500_000,
                            has_water=True),
        Plot.objects.create(estate=estate, code="B-1", area_m2=Decimal("3000.00"), price_per_m2_rials=1_000_000,
                            use="warehouse"),
    ]  # fmt: skip

    def application(applicant, day, **fields):
        record = Application(
            estate=estate, applicant_id=applicant, name="صنایع غذایی البرز", requested_area_m2=2000,
            applied_date=day, isic=world.tehran_unit.isic, **fields,
        )  # fmt: skip
        return actions.submit_application(record, actor=actor)

    signed = application(world.tehran_unit.national_id, dt.date(2022, 4, 1), phone="021-44556677")
    actions.approve(signed, plots[:1], day=dt.date(2022, 4, 10), actor=actor)
    contract = actions.sign_contract(signed, signed=dt.date(2022, 4, 21), actor=actor)
    actions.record_payment(contract, date=dt.date(2022, 5, 1), amount_rials=1_200_000_000, actor=actor,
                           reference="LP-1")  # fmt: skip
    other = application(world.isfahan_unit.national_id, dt.date(2021, 6, 1))
    actions.approve(other, plots[2:], day=dt.date(2021, 6, 5), actor=actor)
    terminated = actions.sign_contract(other, signed=dt.date(2021, 6, 10), actor=actor)
    # Before its termination, the contract was handed to the Tehran unit (its holder now).
    actions.transfer(
        terminated, world.tehran_unit, date=dt.date(2022, 3, 1), reason="فروش با موافقت", actor=actor
    )
    # The signed contract's deadline (1403/02/01, 24 months) is extended by six months.
    actions.extend(contract, new_deadline=dt.date(2024, 10, 22), reason="تأخیر در برق‌رسانی",
                   granted=dt.date(2023, 1, 15), actor=actor)  # fmt: skip
    actions.terminate(terminated, date=dt.date(2022, 9, 1), reason="عدم شروع ساخت", actor=actor)
    waiting = application(world.outside_unit.national_id, dt.date(2022, 10, 1), channel="online")
    lease = actions.lease_workshop(world.tehran_workshop, world.tehran_unit, start=dt.date(2022, 6, 1),
                                   monthly_rent_rials=45_000_000, actor=actor)  # fmt: skip
    programme = Programme.objects.create(code="W1000", name_fa="طرح هزار کارگاه", name_en="1,000 workshops",
                                         target=1000)  # fmt: skip
    ProgrammeMember.objects.create(programme=programme, workshop=world.tehran_workshop)
    return LandWorld(plots, contract, terminated, waiting, lease, programme)
