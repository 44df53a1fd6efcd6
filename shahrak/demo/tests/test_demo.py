"""The demo dataset: deterministic, valid, and shaped like the article at a small scale.

Expected figures are worked out by hand from the article and the scale (round half up), never
by calling the generator. Dates: Iranian year 1400 = 2021-03-21..2022-03-20; months 1–9 of 1401
= 2022-03-21..2022-12-21; months 1–8 end 2022-11-21; months 9–12 = 2022-11-22..2023-03-20.
"""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, Q, Sum

from shahrak.accounts.models import Role, User
from shahrak.core.validators import is_valid_national_id
from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.land.models import (
    AllocationContract,
    Application,
    ContractExtension,
    Instalment,
    LandPayment,
    Plot,
    PlotHold,
    Programme,
    ProgrammeMember,
    WorkshopLease,
)
from shahrak.money.models import ExchangeRate
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement
from shahrak.regions.models import County
from shahrak.targets.models import Target
from shahrak.units.models import EventKind, ProductionUnit, UnitEvent

pytestmark = pytest.mark.django_db

DEMO_TABLES = [
    Estate, WorkshopUnit, ProductionUnit, UnitEvent, DevelopmentProject, Disbursement, PlannedDisbursement,
    ExchangeRate, Target,
    Plot, PlotHold, Application, AllocationContract, ContractExtension, Instalment, LandPayment, WorkshopLease,
    Programme, ProgrammeMember,
]  # fmt: skip
YEAR_1400 = (dt.date(2021, 3, 21), dt.date(2022, 3, 20))
NINE_MONTHS_1401 = (dt.date(2022, 3, 21), dt.date(2022, 12, 21))
EIGHT_MONTHS_1401 = (dt.date(2022, 3, 21), dt.date(2022, 11, 21))
REST_OF_1401 = (dt.date(2022, 11, 22), dt.date(2023, 3, 20))
END_1402 = dt.date(2024, 3, 19)


def load(scale=0.01, seed=1401, **options):
    call_command("demo", scale=scale, seed=seed, no_analyze=True, verbosity=0, **options)


def digest() -> str:
    """A hash of every column of every demo row, primary keys included, in key order."""
    hasher = hashlib.sha256()
    for model in DEMO_TABLES:
        columns = [field.attname for field in model._meta.concrete_fields]
        for row in model.objects.order_by("pk").values_list(*columns):
            hasher.update(repr(row).encode())
    return hasher.hexdigest()


@pytest.fixture
def demo():
    load()


def test_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    load(seed=7)
    first = digest()
    load(seed=7, replace=True)
    assert digest() == first
    load(seed=8, replace=True)
    assert digest() != first


def test_counts_at_scale_one_hundredth(demo):
    # parks 5.6 → 6, zones 2.6 → 3, zones in deprived counties 1.2 → at least 2, specialized and
    # technology parks 0.4 and 0.2 → at least 1 each.
    assert Estate.objects.count() == 6 + 3 + 2 + 1 + 1
    assert ProductionUnit.objects.count() == 1_000
    assert DevelopmentProject.objects.count() == 250
    # Most units work in estates, some outside them.
    outside = ProductionUnit.objects.filter(estate__isnull=True).count()
    assert 100 <= outside <= 400
    # About five events per unit (500,000 for 100,000 units at scale 1); with a dozen estates, how long
    # units have lived depends on when those few estates opened.
    assert 3_500 <= UnitEvent.objects.count() <= 6_500
    # About ten payments per project (250,000 for 25,000 at scale 1).
    assert 2_000 <= Disbursement.objects.count() <= 3_000


def test_the_article_in_proportion(demo):
    revived = UnitEvent.objects.filter(kind=EventKind.REVIVED, date__range=YEAR_1400)
    # "2,067 idle industrial units were revived ... during 1400": 20.67 → 21 units.
    assert revived.values("unit").distinct().count() == 21
    # "job opportunities were created for over 39,000 people": 39,200 × 0.01 = 392, give or take rounding.
    assert 380 <= revived.aggregate(jobs=Sum("jobs"))["jobs"] <= 404
    # "1,433 small workshop units were also established" in 1400: 14.33 → 14.
    assert UnitEvent.objects.filter(kind=EventKind.ESTABLISHED, date__range=YEAR_1400).count() == 14
    # "licenses ... for establishing 26 new industrial parks and zones" in 1400: 0.26, kept at 1.
    assert Estate.objects.filter(licence_date__range=YEAR_1400).count() == 1
    # "the opening of 650 workshops in the past nine months": 6.5 → 7.
    assert WorkshopUnit.objects.filter(opened_date__range=NINE_MONTHS_1401).count() == 7

    # "2,023 projects ... underway ... with 60 trillion rials ... of credit": 2,150 × 0.01 → 22, 600 billion.
    day = NINE_MONTHS_1401[1]
    underway = DevelopmentProject.objects.filter(start_date__lte=day).filter(
        Q(actual_end_date__isnull=True) | Q(actual_end_date__gt=day),
        Q(stopped_date__isnull=True) | Q(stopped_date__gt=day),
    )
    assert underway.count() == 22
    credit = underway.aggregate(total=Sum("credit_rials"))["total"]
    assert abs(credit - 600_000_000_000) <= 22 * 500_000  # credits are rounded to a million rials
    utilities = underway.filter(category__in=["water", "electricity", "gas"]).count()
    assert utilities > 22 / 2

    # "over 40 trillion rials (about $105.2 million)" from 1 Farvardin to the end of Aban 1401.
    spent = Disbursement.objects.filter(date__range=EIGHT_MONTHS_1401).aggregate(total=Sum("amount_rials"))[
        "total"
    ]
    payments = Disbursement.objects.filter(date__range=EIGHT_MONTHS_1401).count()
    assert abs(spent - 400_000_000_000) <= payments * 1_000  # payments are rounded to a thousand rials
    rate = ExchangeRate.objects.filter(
        source="free_market", currency="USD", date__lte=EIGHT_MONTHS_1401[1]
    ).latest("date")
    assert rate.rials_per_unit == Decimal("380250.00")
    assert round(40 * 10**12 / 380_250 / 10**6, 1) == 105.2  # the article's dollars at scale 1
    # "nearly eight trillion rials ... by the end of the year": 7.9 trillion × 0.01.
    planned = PlannedDisbursement.objects.filter(month_start__range=REST_OF_1401).aggregate(
        total=Sum("amount_rials")
    )
    assert abs(planned["total"] - 79_000_000_000) <= 1_000_000

    # "more than 100 industrial zones in deprived areas": 1.2 zones at this scale, at least 1.
    deprived_zones = Estate.objects.filter(
        kind="zone", county__deprivation__in=["whole", "partial"], licence_date__lte=day
    )
    assert deprived_zones.count() >= 1

    # "ISIPO had put it on the agenda to revive 2,000 stagnant units" in 1400; 1,000 workshops in 1401.
    national = Target.objects.filter(province__isnull=True)
    assert national.get(metric="units_revived", year=1400).value == 20
    assert national.get(metric="workshops_opened", year=1401).value == 10
    assert national.get(metric="units_revived", year=1400).start_date == YEAR_1400[0]


def test_spending_is_concentrated_in_big_cities_while_deprived_counties_have_capacity(demo):
    # "most of the investments have taken place in big cities".
    spent = Disbursement.objects.filter(date__gte=dt.date(2019, 3, 21))
    by_class = dict(
        spent.values_list("project__estate__county__size_class").annotate(total=Sum("amount_rials"))
    )
    people = dict(County.objects.values_list("size_class").annotate(total=Sum("population")))
    metropolis = by_class["metropolis"] / people["metropolis"]
    assert metropolis > 2 * by_class.get("small", 0) / people["small"]
    # "small cities and regions that have investment capacity have been given less attention":
    # a deprived county with free serviced land or idle units.
    deprived = County.objects.filter(deprivation__in=["whole", "partial"])
    free_land = Estate.objects.filter(county__in=deprived, status="operational").aggregate(
        free=Sum(F("industrial_area_ha") - F("allocated_area_ha"))
    )["free"]
    assert free_land > 0


def test_the_events_cached_values_agree_with_the_events(demo):
    from shahrak.units.caches import stale_metric_caches

    assert stale_metric_caches() == 0


def test_every_record_keeps_the_rules(demo):
    # A unit's first event is its establishment, then idle and revived alternate; nothing after closing.
    follows = {None: {"established"}, "established": {"idled", "closed"}, "idled": {"revived", "closed"},
               "revived": {"idled", "closed"}, "closed": set()}  # fmt: skip
    previous = {}
    events = list(UnitEvent.objects.order_by("unit", "date"))
    for event in events:
        last = previous.get(event.unit_id)
        assert event.kind in follows[last.kind if last else None], (event.unit_id, event.date, event.kind)
        assert last is None or last.date < event.date
        assert (event.cause is not None) == (event.kind == "idled")
        assert (event.jobs is not None) == (event.kind == "revived")
        previous[event.unit_id] = event
    assert len(previous) == ProductionUnit.objects.count()
    if hasattr(UnitEvent, "ends_on"):
        # Where events cache the next event's date and the unit's county, the load wrote them.
        county = dict(ProductionUnit.objects.values_list("pk", "county_id"))
        for event, following in zip(events, [*events[1:], None], strict=True):
            same_unit = following is not None and following.unit_id == event.unit_id
            assert event.ends_on == (following.date if same_unit else None)
            assert event.county_id == county[event.unit_id]
    assert not UnitEvent.objects.filter(date__gt=END_1402).exists()

    assert all(is_valid_national_id(n) for n in ProductionUnit.objects.values_list("national_id", flat=True))
    assert (
        not ProductionUnit.objects.filter(estate__isnull=False).exclude(county=F("estate__county")).exists()
    )

    opened = WorkshopUnit.objects.filter(opened_date__isnull=False)
    assert opened.exists()
    assert not opened.filter(Q(occupant__isnull=True) | ~Q(occupant__estate=F("estate"))).exists()
    assert not opened.filter(completed_date__gt=F("opened_date")).exists()
    assert not WorkshopUnit.objects.filter(construction_started__gt=F("completed_date")).exists()

    projects = DevelopmentProject.objects
    assert not projects.filter(status="completed", actual_end_date__isnull=True).exists()
    assert not projects.filter(status__in=["suspended", "cancelled"], stopped_date__isnull=True).exists()
    assert not projects.filter(status="underway", start_date__isnull=True).exists()
    assert not projects.filter(status="planned", start_date__isnull=False).exists()
    assert not Disbursement.objects.filter(date__lt=F("project__start_date")).exists()
    assert not Disbursement.objects.filter(project__start_date__isnull=True).exists()
    assert not Disbursement.objects.filter(date__gt=F("project__stopped_date")).exists()
    # Payments after hand-over are the retention only, a few weeks later.
    late = Disbursement.objects.filter(date__gt=F("project__actual_end_date"))
    assert late.count() < Disbursement.objects.count() * 0.05

    # PlannedDisbursement.save() derives month_start; bulk inserts must have set it themselves.
    months = set(PlannedDisbursement.objects.values_list("year", "month", "month_start").distinct())
    assert (1401, 9, dt.date(2022, 11, 22)) in months
    assert (1400, 1, dt.date(2021, 3, 21)) in months
    assert len({(y, m) for y, m, _ in months}) == len(months)
    from shahrak.core.jalali import month_start

    assert all(start == month_start(y, m) for y, m, start in months)

    # Each model's own validation agrees, on a sample of each kind.
    for model in DEMO_TABLES:
        for record in model.objects.order_by("pk")[:25]:
            record.full_clean()


def test_land_in_every_state_and_keeping_its_rules(demo):
    from django.db.models import Count, Exists, OuterRef

    from shahrak.land import terms

    # 3,000 contracts a year for five years × 0.01 = 150, each from its contracted application.
    assert AllocationContract.objects.count() == 150
    states = dict(Application.objects.values_list("status").annotate(n=Count("*")).order_by())
    assert set(states) == {"submitted", "under_review", "approved", "rejected", "withdrawn", "contracted"}
    assert states["contracted"] == 150 and states["rejected"] == 45  # 30% of 150 at scale 1, scaled
    assert not Application.objects.filter(status="rejected", rejection_reason="").exists()
    contracts = dict(AllocationContract.objects.values_list("status").annotate(n=Count("*")).order_by())
    assert (
        contracts.get("terminated", 0) > 0 and contracts.get("completed", 0) > 0 and contracts["active"] > 0
    )
    assert AllocationContract.objects.stalled_on(END_1402).exists()
    # Each contract's terms are those of the rules (fee, cash share by deprivation, 1 + 12 dues).
    for contract in AllocationContract.objects.select_related("estate__county")[:20]:
        plots = list(Plot.objects.filter(holds__contract=contract))
        assert contract.fee_rials == terms.contract_fee(plots)
        assert contract.cash_share_rials == terms.half_up(
            contract.fee_rials * terms.cash_share_rate(contract.estate.county)
        )
        dues = [(i.due_date, i.amount_rials) for i in contract.instalments.order_by("number")]
        assert dues == [
            (d.due_date, d.amount_rials)
            for d in terms.instalment_schedule(
                contract.signed_date, contract.fee_rials, contract.cash_share_rials
            )
        ]
    # Some instalments are paid late, some not at all; no payment before signing or after the data.
    late = LandPayment.objects.filter(
        Exists(Instalment.objects.filter(contract=OuterRef("contract"), amount_rials=OuterRef("amount_rials"),
                                         due_date__lt=OuterRef("date") - dt.timedelta(days=19)))
    )  # fmt: skip
    assert late.exists()
    due = Instalment.objects.filter(due_date__lte=END_1402).aggregate(s=Sum("amount_rials"))["s"]
    paid = LandPayment.objects.aggregate(s=Sum("amount_rials"))["s"]
    assert 0 < paid < due
    assert not LandPayment.objects.filter(date__lt=F("contract__signed_date")).exists()
    # No plot is held twice on one day; every plot has a rectangle on its estate's site plan.
    for hold in PlotHold.objects.all():
        assert not hold.overlapping().exists(), hold.pk
    for polygon in Plot.objects.values_list("polygon", flat=True):
        ring = polygon["coordinates"][0]
        assert (
            len(ring) == 5
            and ring[0] == ring[-1]
            and len({x for x, _y in ring}) == len({y for _x, y in ring}) == 2
        )
    # Leases: every handed-over workshop, to its occupant; the programme within its target.
    opened = WorkshopUnit.objects.filter(opened_date__isnull=False)
    assert WorkshopLease.objects.count() == opened.count()
    assert not WorkshopLease.objects.exclude(tenant=F("workshop__occupant")).exists()
    programme = Programme.objects.get(code="P-1000")
    assert programme.target == 10 and 0 < ProgrammeMember.objects.count() <= 10
    # Estates with plots: their free serviced land is that of their free serviced plots.
    with_plots = Estate.objects.filter(plots__isnull=False).distinct().with_free_land(END_1402)
    assert with_plots.exists() and all(e.free_land >= 0 for e in with_plots)
    assert any(e.free_land != e.industrial_area_ha - e.allocated_area_ha for e in with_plots)


def test_demo_rows_write_no_history_and_read_as_persian(demo):
    for model in DEMO_TABLES:
        assert model.history.count() == 0, model
    texts = [
        *Estate.objects.values_list("name_fa", flat=True),
        *ProductionUnit.objects.values_list("name", flat=True),
        *DevelopmentProject.objects.values_list("title", flat=True),
    ]
    assert all(not set(text) & {"ي", "ك"} for text in texts)  # Persian ی and ک, never the Arabic letters
    assert Estate.objects.filter(name_fa__startswith="شهرک صنعتی ").exists()
    assert Estate.objects.filter(kind="zone", name_fa__startswith="ناحیه صنعتی ").count() == 5
    # A county's first park is named after the county, in both languages.
    park = Estate.objects.filter(kind="park").select_related("county").first()
    first = Estate.objects.filter(kind="park", county=park.county).order_by("licence_date").first()
    assert (first.name_fa, first.name_en) == (
        f"شهرک صنعتی {park.county.name_fa}",
        f"{park.county.name_en} Industrial Park",
    )


def test_loads_only_into_empty_tables():
    load()
    units = ProductionUnit.objects.count()
    with pytest.raises(CommandError, match="--replace"):
        load(seed=2)
    load(seed=2, if_empty=True)  # does nothing: the estates are there
    assert ProductionUnit.objects.count() == units
    assert Estate.objects.count() == 13


def test_any_record_it_would_load_counts_as_not_empty():
    ExchangeRate.objects.create(
        date=dt.date(2022, 3, 21), currency="USD", source="free_market", rials_per_unit=1
    )
    load(if_empty=True)
    assert not Estate.objects.exists()
    with pytest.raises(CommandError, match="money.ExchangeRate: 1"):
        load()


def test_demo_users_are_created_once_and_never_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("ensure_demo_users", verbosity=0)
    assert not User.objects.exists()
    call_command("ensure_demo_users", force=True, verbosity=0)
    settings.DEBUG = True
    call_command("ensure_demo_users", verbosity=0)  # a second run changes nothing
    users = {u.username: u for u in User.objects.all()}
    assert sorted(users) == ["admin", "analyst", "officer", "viewer"]
    assert users["admin"].is_superuser and users["admin"].role == Role.ADMINISTRATOR
    assert users["analyst"].role == Role.ANALYST and not users["analyst"].is_staff
    assert users["officer"].role == Role.OFFICER and users["officer"].province.iso_code == "IR-23"
    assert users["viewer"].role == Role.VIEWER
    assert all(user.check_password(f"shahrak-{name}") for name, user in users.items())


def test_demo_returns_are_mostly_approved_with_a_few_late_returned_and_one_revised(demo):
    from shahrak.core.jalali import month_bounds, year_bounds
    from shahrak.demo.returns import CHRONICALLY_LATE, LATE_IN_1401, MISSING
    from shahrak.metrics.engine import compute
    from shahrak.returns.models import MonthlyReturn, PublishedFigures, ReturnState, StepAction

    # A return per province per month of 1401 and 1402 (31 × 24), but for the months MISSING never sent.
    returns = list(MonthlyReturn.objects.all())
    missing = sum(len(months) for months in MISSING.values())
    assert missing == 5 and len(returns) == 31 * 24 - missing and {r.year for r in returns} == {1401, 1402}
    for code, months in MISSING.items():
        assert not MonthlyReturn.objects.filter(
            province__iso_code=code, year__in=[y for y, _m in months], month__in=[m for _y, m in months]
        ).exists()
    states = [r.state for r in returns]
    assert states.count(ReturnState.APPROVED) > 0.9 * len(returns)
    assert ReturnState.RETURNED in states and ReturnState.SUBMITTED in states
    # A few late, but for the provinces late on purpose: Fars always, Razavi Khorasan in 1401 only.
    flawed = set(CHRONICALLY_LATE) | set(LATE_IN_1401)
    others = [r for r in returns if r.province.iso_code not in flawed]
    assert 0 < sum(1 for r in others if r.was_late()) < 0.1 * len(others)
    fars = [r for r in returns if r.province.iso_code == "IR-07"]
    assert sum(1 for r in fars if r.was_late()) > 0.5 * len(fars)
    razavi = [r for r in returns if r.province.iso_code == "IR-09"]
    assert sum(1 for r in razavi if r.year == 1401 and r.was_late()) > 6
    assert sum(1 for r in razavi if r.year == 1402 and r.was_late()) < 3
    assert MonthlyReturn.objects.filter(steps__action=StepAction.RETURN, state=ReturnState.APPROVED).exists()
    # Every approval stored its figures; Tehran's Shahrivar was approved twice, its spending revised.
    assert PublishedFigures.objects.count() == states.count(ReturnState.APPROVED) + 1
    shahrivar = MonthlyReturn.objects.get(province__iso_code="IR-23", year=1402, month=6)
    steps = list(shahrivar.steps.values_list("action", flat=True))
    assert steps[-4:] == [StepAction.APPROVE, StepAction.REOPEN, StepAction.SUBMIT, StepAction.APPROVE]
    assert shahrivar.state == ReturnState.APPROVED
    first, second = (p.figures for p in shahrivar.published.order_by("approved_at"))
    assert second["infrastructure_spending"]["rials"] > first["infrastructure_spending"]["rials"]
    assert second["workshops_opened"] == first["workshops_opened"]
    spending = compute("infrastructure_spending", year_bounds(1402)).approval
    assert spending["status"] == "revised"
    assert (
        spending["revised_months"][0]["province"] == "IR-23"
        and spending["revised_months"][0]["month"] == "1402-06"
    )
    assert compute("workshops_opened", month_bounds(1402, 6)).approval["status"] in (
        "approved",
        "provisional",
    )
    # 1401 has returns too now: every month approved but the five Sistan and Baluchestan never sent.
    approved_1401 = sum(1 for r in returns if r.year == 1401 and r.state == ReturnState.APPROVED)
    assert approved_1401 == 372 - missing
    assert compute("workshops_opened", year_bounds(1401)).approval == {
        "status": "provisional", "approved": approved_1401, "total": 372, "revised_months": [],
        "published_value": None, "current_value": None,
    }  # fmt: skip
