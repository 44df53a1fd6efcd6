"""Properties of land that hold whatever officers do, in whatever order (Hypothesis):

- the provinces add up to the nation for the land figures;
- a plot is never held twice on one day, whatever sequence of approve / sign / withdraw /
  terminate / merge / split actions, on any days, and however many reservations lapse (60 days)
  in between; nor held on a day it is not a plot (merged or split away, or not yet made);
- the arrears at any date are the instalments owed by then less the payments made by then.

Each example draws a sequence of named actions, runs it through shahrak/land/actions.py (an
action the rules refuse is simply refused, as in the web) and rolls the database back after.
Derandomized, with few examples: the same cases on every run, each test a few seconds on SQLite.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.core.jalali import Period
from shahrak.core.testing import in_rollback
from shahrak.estates.scope import parse_scope
from shahrak.land import actions
from shahrak.land.models import (
    AllocationContract,
    Application,
    ApplicationStatus,
    ContractStatus,
    HoldKind,
    Instalment,
    LandPayment,
    Plot,
    PlotHold,
    Programme,
    ProgrammeMember,
)
from shahrak.metrics.engine import compute
from tests.factories import make_workshop

from .fixtures import make_application, make_estate, make_plot

pytestmark = pytest.mark.django_db

FIRST = dt.date(2021, 3, 21)  # 1400-01-01
DAYS = 600
COUNTIES = {"IR-23": "2301", "IR-10": "1002", "IR-26": "2601"}
PLOTS_PER_ESTATE = 3

PROPERTY = settings(
    max_examples=12,
    derandomize=True,  # the same examples on every run and in CI
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

day = st.integers(0, DAYS)


def steps_on(estates: int, plots: int, max_size: int = 12):
    """Sequences of steps (action, estate or record, plots, day, later) on so many estates and plots;
    `later` is how many days after `day` a second step happens (or a payment's amount)."""
    estate = st.integers(0, estates - 1)
    # A place among the estate's plots modulo their number: plots made by a merge or split too.
    plot_set = st.sets(st.integers(0, plots + 3), min_size=1, max_size=2)
    record = st.integers(0, 20)
    none = st.just(frozenset())
    step = st.one_of(
        st.tuples(st.just("approve"), estate, plot_set, day, st.integers(0, 90)),
        st.tuples(st.just("approve_and_sign"), estate, plot_set, day, st.integers(0, 90)),
        st.tuples(st.just("sign"), record, none, day, st.just(0)),
        st.tuples(st.just("withdraw"), record, none, day, st.just(0)),
        st.tuples(st.just("terminate"), record, none, day, st.just(0)),
        st.tuples(st.just("pay"), record, none, day, st.integers(1, 5 * 10**9)),
        st.tuples(st.just("lease"), estate, none, day, st.integers(0, 200)),
        st.tuples(st.just("merge"), estate, plot_set, day, st.just(0)),
        st.tuples(st.just("split"), estate, plot_set, day, st.just(0)),
    )
    return st.lists(step, min_size=1, max_size=max_size)


steps = steps_on(len(COUNTIES), PLOTS_PER_ESTATE)
# One estate, two plots, long sequences: the actions often reach for a plot already held.
crowded_steps = steps_on(1, 2, max_size=16)


def on(offset) -> dt.date:
    return FIRST + dt.timedelta(days=min(offset, DAYS + 200))


def build_estates():
    estates = []
    for index, county in enumerate(COUNTIES.values()):
        estate = make_estate(county=county, code=f"PE{index}")
        plots = [
            make_plot(estate, code=f"Q{p}", area=1000 * (p + 1), price=1_000_000)
            for p in range(PLOTS_PER_ESTATE)
        ]
        workshop = make_workshop(estate, code="W1", completed_date=FIRST, construction_started=FIRST)
        estates.append((estate, plots, workshop))
    programme = Programme.objects.create(code="P1", name_fa="برنامه", target=10)
    for _estate, _plots, workshop in estates:
        ProgrammeMember.objects.create(programme=programme, workshop=workshop)
    return estates


def run(steps_, estates, actor):
    """Carry out the steps; each refused action leaves nothing behind (its own transaction)."""
    for action, which, plots, offset, later in steps_:
        try:
            if action in ("approve", "approve_and_sign"):
                estate, _plots, _workshop = estates[which]
                application = make_application(estate, actor, day=on(offset))
                actions.approve(application, _pick(estate, plots), day=on(offset), actor=actor)
                if action == "approve_and_sign":
                    actions.sign_contract(application, signed=on(offset + later), actor=actor)
            elif action == "sign":
                application = _nth(Application.objects.filter(status=ApplicationStatus.APPROVED), which)
                if application is not None:
                    actions.sign_contract(application, signed=on(offset), actor=actor)
            elif action == "withdraw":
                application = _nth(Application.objects.exclude(status=ApplicationStatus.CONTRACTED), which)
                if application is not None:
                    actions.withdraw(application, day=on(offset), actor=actor)
            elif action == "terminate":
                contract = _nth(AllocationContract.objects.filter(status=ContractStatus.ACTIVE), which)
                if contract is not None:
                    actions.terminate(contract, date=on(offset), reason="عدم ساخت", actor=actor)
            elif action == "pay":
                contract = _nth(AllocationContract.objects.all(), which)
                if contract is not None:
                    actions.record_payment(contract, date=on(offset), amount_rials=later, actor=actor)
            elif action == "lease":
                _estate, _plots, workshop = estates[which]
                tenant = _tenant(workshop.estate, actor)
                actions.lease_workshop(
                    workshop, tenant, start=on(offset), end=on(offset + later) if later else None,
                    monthly_rent_rials=1_000_000, actor=actor,
                )  # fmt: skip
            elif action == "merge":
                estate, _plots, _workshop = estates[which]
                chosen = _pick(estate, plots)
                code = f"M{Plot.objects.count()}"
                actions.merge_plots(chosen, code=code, date=on(offset), reason="ادغام", actor=actor)
            elif action == "split":
                estate, _plots, _workshop = estates[which]
                (plot,) = _pick(estate, {min(plots)})
                half = plot.area_m2 // 2
                parts = [actions.NewPlot(f"S{Plot.objects.count()}-{n}", area) for n, area in
                         enumerate((half, plot.area_m2 - half))]  # fmt: skip
                actions.split_plot(plot, parts, date=on(offset), reason="تفکیک", actor=actor)
        except (ValidationError, PermissionDenied):
            pass  # refused by a rule: nothing was written


def _pick(estate, indexes) -> list[Plot]:
    """The estate's plots at these places (modulo their number), made by a merge or split or not."""
    plots = list(Plot.objects.filter(estate=estate).order_by("pk"))
    return [plots[i % len(plots)] for i in sorted({i % len(plots) for i in indexes})]


def _nth(queryset, n):
    records = list(queryset.order_by("pk"))
    return records[n % len(records)] if records else None


def _tenant(estate, actor):
    from tests.factories import make_unit

    return make_unit(estate, name="مستأجر")


@PROPERTY
@given(steps_=steps, end=st.integers(30, DAYS + 200), length=st.integers(1, 800))
def test_provinces_add_up_to_the_nation_for_the_land_figures(admin_user, steps_, end, length):
    def check():
        run(steps_, build_estates(), admin_user)
        period = Period(on(max(0, end - length)), on(end))
        for name, fields in (
            ("land_allocated", ("count", "hectares", "fee_rials")),
            ("applications", ("received", "decided", "approved", "rejected")),
            ("stalled_contracts", ("count", "hectares")),
            ("land_reclaimed", ("count", "hectares")),
            ("land_collection", ("due_rials", "received_rials", "arrears_rials")),
            ("workshop_occupancy", ("completed", "occupied", "vacant")),
            ("programme_progress", ("planned", "started", "completed", "opened", "occupied")),
        ):
            nation = compute(name, period).value
            provinces = [compute(name, period, parse_scope(code)).value for code in COUNTIES]
            for field in fields:
                assert nation[field] == sum(value[field] for value in provinces), (name, field)

    in_rollback(check)


def holds_clash(holds) -> bool:
    """Two holds share a day: plain reading of [start, released) intervals (released None: open)."""
    far = dt.date.max
    spans = sorted((h.start_date, h.released_on or far) for h in holds if h.released_on != h.start_date)
    pairs = zip(spans, spans[1:], strict=False)
    return any(later_start < earlier_end for (_s, earlier_end), (later_start, _e) in pairs)


@PROPERTY
@given(steps_=crowded_steps, probes=st.lists(st.integers(0, DAYS + 200), min_size=1, max_size=5))
def test_a_plot_is_never_held_twice_on_one_day(admin_user, steps_, probes):
    def check():
        estates = build_estates()
        run(steps_, estates, admin_user)
        for _estate, _plots, _workshop in estates:
            for plot in Plot.objects.filter(estate=_estate).select_related("made_by", "ended_by"):
                holds = list(PlotHold.objects.filter(plot=plot))
                assert not holds_clash(holds), [(h.kind, h.start_date, h.released_on) for h in holds]
                made = plot.made_by.date if plot.made_by else dt.date.min
                ended = plot.ended_by.date if plot.ended_by else dt.date.max
                for h in holds:  # held only on days it is a plot
                    if h.released_on != h.start_date:
                        assert made <= h.start_date and (h.released_on or dt.date.max) <= ended
                for offset in probes:
                    day = on(offset)
                    covering = [
                        h for h in holds
                        if h.start_date <= day and (h.released_on is None or h.released_on > day)
                    ]  # fmt: skip
                    expected = (
                        "allocated" if any(h.kind == HoldKind.CONTRACT for h in covering)
                        else "reserved" if covering else None
                    )  # fmt: skip
                    status = Plot.objects.with_status(day).get(pk=plot.pk).status
                    if not made <= day < ended:
                        assert status == "retired" and not covering
                        continue
                    assert (status if status in ("allocated", "reserved") else None) == expected

    in_rollback(check)


@PROPERTY
@given(steps_=steps, probes=st.lists(st.integers(0, DAYS + 900), min_size=1, max_size=4))
def test_arrears_are_the_dues_less_the_payments_at_any_date(admin_user, steps_, probes):
    def check():
        run(steps_, build_estates(), admin_user)
        instalments = list(Instalment.objects.select_related("contract"))
        payments = list(LandPayment.objects.all())
        for offset in probes:
            day = FIRST + dt.timedelta(days=offset)
            owed = sum(
                i.amount_rials
                for i in instalments
                if i.due_date <= day
                and (i.contract.terminated_date is None or i.due_date <= i.contract.terminated_date)
            )
            paid = sum(p.amount_rials for p in payments if p.date <= day)
            value = compute("land_collection", Period(FIRST, day)).value
            assert value["arrears_rials"] == owed - paid
            # From the first day, everything due is due in the period and every payment received in it.
            assert (value["due_rials"], value["received_rials"]) == (owed, paid)

    in_rollback(check)
