"""Data quality per province (shahrak/analysis/quality.py), on a tiny world worked out by hand.

The month is Azar 1401 (1401-09, D = 1401-09-30), judged on 1401-11-01 (so the returns of
1401-01 … 1401-09 are due; 1401 is the first month returns are kept). Qazvin (IR-26):

    estates   E1 (2603) licensed 1400-05-01, with coordinates
              E2 (2601) licensed 1401-02-10, none                     → located 1 of 2
              E3 (2604) licensed 1401-10-05, none (after D: not counted)
    units     U1 established 1399-01-10, saved (history) 1401-05-01  → active, confirmed: passes
              U2 established 1400-01-01, nothing since                → active, stale: fails
              U3 established 1400-01-01, idled 1401-02-01            → idle at D: not counted
              U4 est. 1400-01-01, idled 1400-06-01, revived 1401-08-15 (10 jobs) → active, recent: passes
              U5 est. 1400-01-01, idled 1401-01-10, revived 1401-09-12 (12 jobs) → active, recent: passes
                                                                      → active units 3 of 4
    projects  P1 start 1401-01-01, credit 1,000; paid 300 on 1401-09-10
              P2 start 1400-01-01, credit 100; paid 90 on 1400-02-01 and 20 on 1401-09-20 (110 > 100)
              P3 start 1400-01-01, credit 100; no payment, last saved 1399 → fails "updated"
              P4 start 1401-09-25, credit 500; paid 40 on 1401-09-05, before its start
                                                                      → underway and updated 3 of 4
    returns   1401-01 … 1401-08 submitted, 1401-07 and 1401-08 after their due day; 1401-09 none
                                                                      → submitted 8 of 9, on time 6 of 9
    entry     U5's revival entered 50 days after its date, P1's payment 5, P2's 60, P4's 30:
              median of [5, 30, 50, 60] = 40 days → (90 − 40) / 60 = 5/6
    revivals  the month's: U5 (12); the nation's last twelve months: [10, 12], median 11, MAD 1,
              M = 0.6745 × 1 / 1 = 0.67 → not an outlier                → 1 of 1
    payments  the month's: 300, 20, 40 (all water); the nation's last twelve months: the same three
              (P2's 90 is of 1400-02, outside): median 40, |x − 40| = [260, 20, 0], MAD 20;
              M(300) = 0.6745 × 260 / 20 = 8.77 > 3.5: an outlier        → amounts 2 of 3
              P4's payment is before its start                            → in dates 2 of 3
              P2 has 110 paid of a credit of 100                          → within credit 2 of 3
    claims    C1 (IR-26, 2 units revived in 1401-08 … 1401-09, published 1401-09-20): the register has
              U4 and U5 = 2 → match; C2 the same with 5 (±1) → mismatch; C3 published 1401-10-05,
              after D → not counted                                       → 1 of 2

    completeness = 25 × (3/4 + 3/4 + 1/2 + 8/9) / 4 = 18.0556
    timeliness   = 25 × (6/9 + 5/6) / 2             = 18.75
    consistency  = 25 × (1 + 2/3 + 2/3 + 2/3) / 4   = 18.75
    agreement    = 25 × 1/2                         = 12.5
    score        = 100 × 68.0556 / 100              = 68.0556 → 68.1

Semnan (IR-20) has nothing but its nine due returns, none sent: completeness 0 (returns 0 of 9),
timeliness 0 (on time 0 of 9; no entry times), consistency and agreement have nothing to check and
are left out: the score is 100 × 0 / 50 = 0.
"""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from shahrak.analysis.models import Claim
from shahrak.analysis.quality import (
    Reference,
    RuleScore,
    modified_z_scores,
    month_quality,
    parse_month,
    score_part,
    total_score,
)
from shahrak.core.jalali import InvalidDate, parse_jalali
from shahrak.metrics.tests.conftest import estate, event, pay, project, unit
from shahrak.projects.models import DevelopmentProject, Disbursement
from shahrak.regions.models import Province
from shahrak.returns.models import MonthlyReturn, ReturnState, due_date
from shahrak.units.models import ProductionUnit, UnitEvent

pytestmark = pytest.mark.django_db

TODAY = parse_jalali("1401-11-01")


def j(text: str) -> dt.date:
    return parse_jalali(text)


def moment(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(j(text), dt.time(12)))


def entered(record, text: str) -> None:
    """Set when the record was entered (its creation row of history) and last saved."""
    record.history.all().update(history_date=moment(text))


@pytest.fixture
def qazvin(db):
    e1 = estate("QZ-P1", "park", "2603", "1400-05-01", "1400-06-01", industrial=100)
    e1.latitude, e1.longitude = Decimal("36.1"), Decimal("50.0")
    e1.save()
    estate("QZ-Z1", "zone", "2601", "1401-02-10")
    estate("QZ-Z2", "zone", "2604", "1401-10-05")

    units = [unit(30000000000 + n, 10, "1071", estate=e1) for n in range(1, 6)]
    u1, u2, u3, u4, u5 = units
    event(u1, "1399-01-10", "established")
    event(u2, "1400-01-01", "established")
    event(u3, "1400-01-01", "established")
    event(u3, "1401-02-01", "idled", cause="finance")
    event(u4, "1400-01-01", "established")
    event(u4, "1400-06-01", "idled", cause="market")
    event(u4, "1401-08-15", "revived", jobs=10)
    event(u5, "1400-01-01", "established")
    event(u5, "1401-01-10", "idled", cause="finance")
    revival = event(u5, "1401-09-12", "revived", jobs=12)

    p1 = project("P1", e1, "water", 1_000, start="1401-01-01")
    p2 = project("P2", e1, "water", 100, start="1400-01-01")
    project("P3", e1, "water", 100, start="1400-01-01")
    p4 = project("P4", e1, "water", 500, start="1401-09-25")
    pay1 = pay(p1, "1401-09-10", 300)
    pay(p2, "1400-02-01", 90)
    pay2 = pay(p2, "1401-09-20", 20)
    pay4 = pay(p4, "1401-09-05", 40)

    # Every record entered long ago (their history as of 1399), but for what the test says.
    for model in (ProductionUnit, UnitEvent, DevelopmentProject, Disbursement):
        model.history.model.objects.update(history_date=moment("1399-01-01"))
    entered(u1, "1401-05-01")
    entered(revival, "1401-11-02")  # 50 days after 1401-09-12
    entered(pay1, "1401-09-15")  # 5 days
    entered(pay2, "1401-11-20")  # 60 days
    entered(pay4, "1401-10-05")  # 30 days

    province = Province.objects.get(iso_code="IR-26")
    for month in range(1, 9):
        late = month in (7, 8)
        day = due_date(1401, month) + dt.timedelta(days=3 if late else -2)
        MonthlyReturn.objects.create(
            province=province, year=1401, month=month, state=ReturnState.SUBMITTED,
            first_submitted_at=moment_of(day), submitted_at=moment_of(day),
        )  # fmt: skip

    claim = {
        "quote": "۲ واحد احیا شد", "outlet": "خبرگزاری", "metric": "units_revived", "unit": "count",
        "period_start": j("1401-08-01"), "period_end": j("1401-09-30"), "scope": "IR-26",
    }  # fmt: skip
    Claim.objects.create(code="C1", value=2, published_on=j("1401-09-20"), **claim)
    Claim.objects.create(code="C2", value=5, published_on=j("1401-09-20"), **claim)
    Claim.objects.create(code="C3", value=9, published_on=j("1401-10-05"), **claim)
    return province


def moment_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def rules_of(quality) -> dict:
    return {rule.key: (rule.passing, rule.items) for part in quality.parts for rule in part.rules}


def test_each_part_worked_by_hand(qazvin):
    ranked = month_quality(1401, 9, today=TODAY)
    by_code = {q.province.iso_code: q for q in ranked}
    q = by_code["IR-26"]
    assert rules_of(q) == {
        "active_units_updated": (3, 4),
        "projects_updated": (3, 4),
        "estates_located": (1, 2),
        "returns_submitted": (8, 9),
        "returns_on_time": (6, 9),
        "entry_delay": (2, 4),  # entered within 30 days: P1's and P4's
        "revival_jobs": (1, 1),
        "payment_amounts": (2, 3),
        "payments_in_dates": (2, 3),
        "spending_within_credit": (2, 3),
        "claims_match": (1, 2),
    }
    delay = q.part("timeliness").rules[1]
    assert delay.value == Decimal(40) and delay.fraction == Decimal(5) / 6
    points = {part.key: part.points_shown for part in q.parts}
    assert points == {
        "completeness": Decimal("18.1"),
        "timeliness": Decimal("18.8"),  # 18.75, half up
        "consistency": Decimal("18.8"),
        "agreement": Decimal("12.5"),
    }
    assert abs(q.score - Decimal("68.0556")) < Decimal("0.0001")
    assert q.score_shown == Decimal("68.1")

    semnan = by_code["IR-20"]
    assert {p.key: p.points for p in semnan.parts} == {
        "completeness": Decimal(0), "timeliness": Decimal(0), "consistency": None, "agreement": None,
    }  # fmt: skip
    assert semnan.score == 0
    # Ranked by score: Qazvin first; every province is listed.
    assert ranked[0].province.iso_code == "IR-26" and len(ranked) == Province.objects.count()


def test_the_records_that_lost_points_are_listed_for_one_province(qazvin):
    (q,) = month_quality(1401, 9, province=qazvin, today=TODAY)
    lost = {rule.key: [item.pk for item in rule.lost] for part in q.parts for rule in part.rules}
    u2 = ProductionUnit.objects.get(national_id="30000000002")
    assert lost["active_units_updated"] == [u2.pk]
    assert lost["projects_updated"] == [DevelopmentProject.objects.get(code="P3").pk]
    assert lost["payment_amounts"] == [Disbursement.objects.get(amount_rials=300).pk]
    assert lost["payments_in_dates"] == [Disbursement.objects.get(amount_rials=40).pk]
    assert lost["spending_within_credit"] == [DevelopmentProject.objects.get(code="P2").pk]
    assert lost["claims_match"] == [Claim.objects.get(code="C2").pk]
    assert lost["returns_submitted"] == ["1401-09"]  # no return stored: its month, linking to its page
    returns = {r.month: r.pk for r in MonthlyReturn.objects.all()}
    assert lost["returns_on_time"] == [returns[7], returns[8], "1401-09"]
    assert len(lost["entry_delay"]) == 2  # entered 50 and 60 days after their dates
    urls = [item.url for part in q.parts for rule in part.rules for item in rule.lost]
    assert reverse("returns:month", args=["IR-26", 1401, 9]) in urls
    assert reverse("projects:developmentproject", args=[DevelopmentProject.objects.get(code="P3").pk]) in urls


def test_modified_z_score_finds_the_known_outlier():
    # [10, 11, 12, 13, 100]: median 12, |x − 12| = [2, 1, 0, 1, 88], MAD 1;
    # M(100) = 0.6745 × 88 = 59.356 > 3.5; M(10) = −1.349.
    scores = modified_z_scores([10, 11, 12, 13, 100])
    assert scores == [
        Decimal("-1.3490"),
        Decimal("-0.6745"),
        Decimal(0),
        Decimal("0.6745"),
        Decimal("59.3560"),
    ]
    reference = Reference.of([10, 11, 12, 13, 100])
    assert [reference.is_outlier(v) for v in (10, 11, 12, 13, 100)] == [False, False, False, False, True]
    # MAD 0 (most values equal): the mean absolute deviation instead. [5, 5, 5, 5, 25]: median 5,
    # MAD 0, mean AD = 20 / 5 = 4; M(25) = 20 / (1.253314 × 4) = 3.99 > 3.5.
    same = Reference.of([5, 5, 5, 5, 25])
    assert same.mad == 0 and same.mean_ad == 4
    assert same.is_outlier(25) and not same.is_outlier(5)
    assert not Reference.of([7, 7, 7]).is_outlier(7)


def test_the_outlier_rule_on_the_database(qazvin):
    """The payment of 300 among [300, 20, 40] is an outlier on SQLite and PostgreSQL alike."""
    (q,) = month_quality(1401, 9, province=qazvin, today=TODAY)
    amounts = q.part("consistency").rules[1]
    assert amounts.key == "payment_amounts" and (amounts.passing, amounts.items) == (2, 3)
    with translation.override("en"):
        assert str(amounts.lost[0].why) == "300 rials, M = 8.8 for its category"  # 8.77, to one decimal


def test_a_part_without_items_is_left_out():
    empty, half = RuleScore("payment_amounts"), RuleScore("payments_in_dates", 4, 2)
    assert score_part([empty]) is None
    assert score_part([empty, half]) == Decimal("12.5")


def test_total_score_of_the_parts_that_have_items():
    from shahrak.analysis.quality import PartScore

    parts = [
        PartScore("completeness", [RuleScore("estates_located", 2, 1)]),
        PartScore("agreement", [RuleScore("claims_match")]),
    ]
    assert total_score(parts) == Decimal(50)
    assert total_score([PartScore("agreement", [RuleScore("claims_match")])]) is None


def test_parse_month():
    assert parse_month("1401-09") == (1401, 9)
    assert parse_month("۱۴۰۱/۰۹") == (1401, 9)
    for bad in ("1401-13", "1401", "x-09"):
        with pytest.raises(InvalidDate):
            parse_month(bad)


def test_the_command_prints_json(qazvin):
    out = StringIO()
    call_command("quality", month="1401-09", as_of="1401-11-01", format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["month"] == "1401-09" and data["as_of"] == "1401-11-01"
    first = data["provinces"][0]
    assert first["province"] == "IR-26" and first["score"] == "68.1"
    assert [(p["part"], p["points"]) for p in first["parts"]] == [
        ("completeness", "18.1"), ("timeliness", "18.8"), ("consistency", "18.8"), ("agreement", "12.5"),
    ]  # fmt: skip
    assert "lost" not in first["parts"][0]["rules"][0]  # every province: no records listed

    out = StringIO()
    call_command("quality", month="1401-09", as_of="1401-11-01", scope="IR-26", format="json", stdout=out)
    (one,) = json.loads(out.getvalue())["provinces"]
    amounts = one["parts"][2]["rules"][1]
    assert amounts["rule"] == "payment_amounts" and amounts["failing"] == 1
    assert amounts["lost"][0]["url"] == reverse(
        "projects:disbursement", args=[Disbursement.objects.get(amount_rials=300).pk]
    )

    out = StringIO()
    call_command("quality", month="1401-09", as_of="1401-11-01", lang="en", stdout=out)
    assert "Qazvin" in out.getvalue() and "68.1" in out.getvalue()


def test_the_command_refuses_a_bad_month_or_scope():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("quality", month="1401-13")
    assert error.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("quality", month="1401-09", scope="IR-99")


def test_the_pages_render(qazvin, client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("analysis:quality") + "?month=1401-09")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-province="IR-26"' in html and 'id="quality-map"' in html and "data-quality-trends" in html
    assert client.get(reverse("analysis:quality") + "?month=1401-13").status_code == 400
    response = client.get(reverse("analysis:quality_province", args=["IR-26"]) + "?month=1401-09")
    assert response.status_code == 200
    html = response.content.decode()
    for rule in ("active_units_updated", "payment_amounts", "claims_match"):
        assert f'data-rule="{rule}"' in html
    p3 = DevelopmentProject.objects.get(code="P3")
    assert reverse("projects:developmentproject", args=[p3.pk]) in html
    assert client.get(reverse("analysis:quality_province", args=["IR-99"])).status_code == 404
