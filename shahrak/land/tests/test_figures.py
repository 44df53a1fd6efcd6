"""The seven land figures worked out by hand on a small world.

estate A: county 2301 (IR-23, not deprived); estate B: county 2601 (IR-26, set deprived)
contract  estate  plot m² × price          applied     approved    signed      deadline    afterwards
C1        A       10,000 × 1,000,000       1401-01-10  1401-01-20  1401-02-01  1403-02-01
C2        B        5,000 × 2,000,000       1401-02-20  1401-02-25  1401-03-01  1403-03-01
C3        A       20,000 ×   500,000       1398-12-20  1398-12-25  1399-01-05  1401-01-05  (stalled)
C4        B        8,000 × 1,250,000       1399-05-01  1399-05-10  1399-06-01  1401-06-01  terminated 1401-05-10
C5        A        1,000 × 1,000,000       1399-02-01  1399-02-10  1399-03-01  1401-03-01  extended on 1401-04-01 to 1402-03-01
R (A) applied 1401-04-01, rejected 1401-04-15; S (A) applied 1401-06-01, still submitted;
W (A) applied 1400-12-20, approved 1401-01-05, then withdrawn.
"""

from decimal import Decimal

import pytest

from shahrak.core.jalali import Period, months_of_year, year_bounds
from shahrak.core.jalali import parse_jalali as j
from shahrak.estates.scope import parse_scope
from shahrak.land import actions
from shahrak.land.models import Instalment, LandPayment, Programme, ProgrammeMember
from shahrak.metrics.engine import METRICS, compute, compute_all
from tests.factories import make_estate, make_unit, make_workshop

from .conftest import english

pytestmark = pytest.mark.django_db
Y = year_bounds(1401)


def test_the_land_figures_follow_the_eleven_in_the_registry():
    assert list(METRICS)[11:] == [
        "land_allocated", "applications", "stalled_contracts", "land_reclaimed",
        "land_collection", "workshop_occupancy", "programme_progress",
    ]  # fmt: skip
    for name in list(METRICS)[11:]:
        assert METRICS[name].definition and METRICS[name].label_fa


def test_land_allocated(land_world):
    result = compute("land_allocated", Y)
    assert result.value == {"count": 2, "hectares": Decimal("1.5"), "fee_rials": 20_000_000_000}
    rows = {r["code"] if "code" in r else r["key"]: r for r in result.breakdowns["province"]}
    assert {k: (r["count"], r["hectares"]) for k, r in rows.items()} == {
        "IR-23": (1, Decimal("1")),
        "IR-26": (1, Decimal("0.5")),
    }
    deprived = {
        r["key"]: (r["count"], r["hectares"], r["fee_rials"]) for r in result.breakdowns["deprivation"]
    }
    assert deprived == {"deprived": (1, Decimal("0.5"), 10**10), "not_deprived": (1, Decimal("1"), 10**10)}
    assert set(result.records()) == {land_world["c1"], land_world["c2"]}
    assert compute("land_allocated", Y, parse_scope("IR-26")).value["count"] == 1


def test_applications(land_world):
    result = compute("applications", Y)
    assert result.value == {
        "received": 4, "decided": 4, "approved": 3, "rejected": 1,
        "median_days_to_contract": 17,  # C1: 22 days, C2: 12 days
    }  # fmt: skip
    by_province = {r["key"]: r["received"] for r in result.breakdowns["province"]}
    assert by_province == {"IR-23": 3, "IR-26": 1}
    assert result.records().count() == 4


def test_stalled_contracts_count_extensions_granted_by_the_day(land_world):
    assert compute("stalled_contracts", Y).value == {"count": 1, "hectares": Decimal("2")}  # C3
    assert set(compute("stalled_contracts", Y).records()) == {land_world["c3"]}
    # 1401-03-20: C5's first deadline (1401-03-01) has passed and its extension is not yet granted
    spring = Period(j("1401-01-01"), j("1401-03-20"))
    assert set(compute("stalled_contracts", spring).records()) == {land_world["c3"], land_world["c5"]}
    # C3 was not past its deadline on 1401-01-05 itself
    assert compute("stalled_contracts", Period(j("1401-01-01"), j("1401-01-05"))).value["count"] == 0


def test_stalled_on_reads_the_deadline_with_the_extensions_granted_by_the_day(land_world):
    """ContractQuerySet.stalled_on (one anti-join) picks the contracts active on the day whose
    with_deadline_on deadline is before it: around C3's deadline, C5's first deadline, the day its
    extension is granted and the day the extension runs to (1402-03-01: not yet past; the next day: past)."""
    from shahrak.land.models import AllocationContract

    days = ("1401-01-04", "1401-01-05", "1401-01-06", "1401-03-01", "1401-03-02", "1401-03-31",
            "1401-04-01", "1402-02-31", "1402-03-01", "1402-03-02")  # fmt: skip
    c5 = land_world["c5"].pk
    seen = {}
    for text in days:
        day = j(text)
        by_deadline = {
            c.pk
            for c in AllocationContract.objects.active_on(day).with_deadline_on(day)
            if c.deadline_on < day
        }
        stalled = set(AllocationContract.objects.stalled_on(day).values_list("pk", flat=True))
        assert stalled == by_deadline, text
        seen[text] = c5 in stalled
    assert [seen[t] for t in ("1401-03-01", "1401-03-02", "1401-04-01", "1402-03-01", "1402-03-02")] == [
        False, True, False, False, True,
    ]  # fmt: skip


def test_land_reclaimed(land_world):
    assert compute("land_reclaimed", Y).value == {"count": 1, "hectares": Decimal("0.8")}
    assert compute("land_reclaimed", months_of_year(1401, 6, 12)).value["count"] == 0


def test_land_collection_worked_by_hand_in_estate_b(land_world):
    result = compute("land_collection", Y, parse_scope("B"))
    # due in 1401: C2 cash share 1,500,000,000 (1401-03-01) + 3 × 708,333,333 (06-01, 09-01, 12-01);
    # C4 708,333,333 (1401-03-01); its 1401-06-01 instalment falls after its termination
    # arrears at 1401-12-29: due to date C2 3,624,999,999 + C4 (1,500,000,000 + 7 × 708,333,333)
    # = 10,083,333,330, paid to date 2,208,333,333 × 2 = 4,416,666,666
    assert result.value == {
        "due_rials": 4_333_333_332,
        "received_rials": 2_208_333_333,
        "collection_rate": Decimal("0.5096"),
        "arrears_rials": 5_666_666_664,
    }


def test_arrears_equal_dues_minus_payments_everywhere(land_world):
    for scope in ("", "IR-23", "IR-26", "A"):
        result = compute("land_collection", Y, parse_scope(scope))
        place = parse_scope(scope)
        due = sum(
            i.amount_rials
            for i in place.filter(Instalment.objects.select_related("contract"))
            if i.due_date <= Y.end
            and (i.contract.terminated_date is None or i.due_date <= i.contract.terminated_date)
        )
        paid = sum(p.amount_rials for p in place.filter(LandPayment.objects.all()) if p.date <= Y.end)
        assert result.value["arrears_rials"] == due - paid, scope
    nation = compute_all(Y)
    provinces = {code: compute_all(Y, parse_scope(code)) for code in ("IR-23", "IR-26")}
    for name, field in (("land_allocated", "count"), ("land_allocated", "fee_rials"), ("applications", "received"),
                        ("stalled_contracts", "count"), ("land_collection", "arrears_rials")):  # fmt: skip
        assert nation[name].value[field] == sum(p[name].value[field] for p in provinces.values()), name


def test_workshop_occupancy_and_programme_progress(land_world, admin_user):
    a = land_world["a"]
    tenant = make_unit(a)
    w1 = make_workshop(a, construction_started=j("1399-06-01"), completed_date=j("1400-01-01"))
    w2 = make_workshop(a, construction_started=j("1400-06-01"), completed_date=j("1401-06-01"))
    w3 = make_workshop(a, construction_started=j("1398-06-01"), completed_date=j("1399-01-01"))
    w4 = make_workshop(a, construction_started=j("1401-08-01"), completed_date=j("1402-01-10"))
    w5 = make_workshop(a, completed_date=j("1401-01-01"))
    w6 = make_workshop(a)
    actions.lease_workshop(w1, tenant, start=j("1400-02-01"), monthly_rent_rials=1, actor=admin_user)
    actions.lease_workshop(
        w3, tenant, start=j("1399-02-01"), end=j("1401-10-30"), monthly_rent_rials=1, actor=admin_user
    )
    actions.lease_workshop(w5, tenant, start=j("1401-12-29"), monthly_rent_rials=1, actor=admin_user)
    occupancy = compute("workshop_occupancy", Y)
    # vacant: W2 since completion 1401-06-01 (209 days), W3 since 1401-11-01 (58 days)
    assert occupancy.value == {"completed": 4, "occupied": 2, "vacant": 2, "median_vacancy_days": 133.5}
    assert compute("workshop_occupancy", Y, parse_scope("IR-26")).value["completed"] == 0
    programme = Programme.objects.create(code="K1000", name_fa="طرح هزار کارگاه", target=10)
    for w in (w1, w2, w3, w4, w6):
        ProgrammeMember.objects.create(programme=programme, workshop=w)
    progress = compute("programme_progress", Y)
    assert progress.value == {
        "target": 10, "planned": 5, "started": 4, "completed": 3, "opened": 2, "occupied": 1, "ratio": Decimal("0.2"),
    }  # fmt: skip
    assert progress.breakdowns["programmes"][0]["key"] == "K1000"
    assert set(progress.records()) == {w1, w2, w3, w4, w6}
    assert compute("programme_progress", Y, parse_scope("IR-26")).value["planned"] == 0


def test_the_land_figures_on_the_dashboard_with_drill_down_and_in_json(land_world, client, admin_user):
    from shahrak.metrics.serialize import metrics_payload

    english(client, admin_user)
    page = client.get("/", {"period": "year", "year": "1401"})
    assert page.status_code == 200
    cards = {card["name"]: card for card in page.context["cards"]}
    assert cards["land_allocated"]["value"] == 2
    assert cards["applications"]["value"] == 4
    assert list(cards["land_allocated"]["parts"]) == [1, 1]  # deprived, elsewhere
    for name in list(METRICS)[11:]:
        drill = client.get(f"/figures/{name}/", {"period": "year", "year": "1401"})
        assert drill.status_code == 200, name
    drill = client.get(
        "/figures/land_allocated/", {"period": "year", "year": "1401", "bd": "deprivation", "key": "deprived"}
    )
    assert drill.status_code == 200 and "B-" in drill.content.decode()  # C2, estate B's contract number
    data = metrics_payload(Y)
    assert data["metrics"]["land_allocated"]["value"] == {
        "count": 2,
        "hectares": "1.5000",
        "fee_rials": 20_000_000_000,
    }


def test_programme_progress_counts_an_occupied_member_whatever_its_ids(admin_user):
    """A member is occupied when a lease covers its workshop on D. The ids of members and workshops
    need not match (they matched by chance on a fresh SQLite database, and the count was right only
    then): here the workshops are made well before the members."""
    estate = make_estate(county="2301", code="PP")
    tenant = make_unit(estate)
    spare = [make_workshop(estate) for _n in range(3)]  # workshop ids run ahead of member ids
    leased = make_workshop(estate, completed_date=j("1400-01-01"))
    vacant = make_workshop(estate, completed_date=j("1400-01-01"))
    actions.lease_workshop(leased, tenant, start=j("1400-02-01"), monthly_rent_rials=1, actor=admin_user)
    programme = Programme.objects.create(code="PP-1", name_fa="طرح", target=2)
    for workshop in (leased, vacant):
        ProgrammeMember.objects.create(programme=programme, workshop=workshop)
    assert ProgrammeMember.objects.get(workshop=leased).pk != leased.pk, spare
    progress = compute("programme_progress", Y)
    assert (progress.value["planned"], progress.value["completed"], progress.value["occupied"]) == (2, 2, 1)
