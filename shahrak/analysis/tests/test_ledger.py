"""The claims ledger: verdicts on hand-made claims against a hand-made register, worked out by hand."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from shahrak.analysis.fixtures import load_claims
from shahrak.analysis.ledger import check_claim, check_claims, claimed_range, record_checks
from shahrak.analysis.models import Claim
from shahrak.core import jalali
from shahrak.money.models import ExchangeRate
from shahrak.targets.models import Target
from tests.factories import make_disbursement, make_estate, make_project, make_workshop

pytestmark = pytest.mark.django_db
NINE_MONTHS = jalali.months_of_year(1401, 1, 9)
PUBLISHED = jalali.to_gregorian(1401, 10, 1)
TRILLION = 10**12


def claim(
    code, metric="workshops_opened", value=3, unit="count", qualifier="exact", period=NINE_MONTHS, **fields
):
    values = {
        "code": code, "quote": f"quote {code}", "outlet": "Test Times", "published_on": PUBLISHED,
        "metric": metric, "period_start": period.start, "period_end": period.end, "value": Decimal(value),
        "unit": unit, "qualifier": qualifier, **fields,
    }  # fmt: skip
    record = Claim(**values)
    record.full_clean()
    record.save()
    return record


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def opened(estate, day):
    return make_workshop(estate, completed_date=day, opened_date=day)


@pytest.fixture
def register():
    """Three workshops opened in Farvardin-Azar 1401 and one in Dey; 40 trillion rials paid in Mehr 1401."""
    estate = make_estate()
    for month in (1, 5, 9):
        opened(estate, jalali.to_gregorian(1401, month, 10))
    opened(estate, jalali.to_gregorian(1401, 10, 10))
    project = make_project(estate, start_date=dt.date(2022, 1, 1))
    make_disbursement(project, jalali.to_gregorian(1401, 7, 1), 40 * TRILLION)
    ExchangeRate.objects.create(
        date=jalali.to_gregorian(1401, 6, 1), source="free_market", rials_per_unit=380_000
    )
    ExchangeRate.objects.create(date=jalali.to_gregorian(1401, 6, 1), source="nima", rials_per_unit=285_000)
    return estate


def test_a_claim_equal_to_the_register_matches(register):
    outcome = check_claim(claim("A", value=3))
    assert (outcome.register, outcome.verdict, outcome.difference) == (3, "match", 0)


def test_a_count_within_one_matches_and_beyond_it_does_not(register):
    assert check_claim(claim("A", value=4)).verdict == "match"  # ±1 by default for counts
    outcome = check_claim(claim("B", value=5))
    assert outcome.verdict == "mismatch"
    assert outcome.difference == -2  # register 3 − claimed 5
    assert outcome.difference_ratio == Decimal("-0.4000")
    assert check_claim(claim("C", value=5, tolerance=2)).verdict == "match"  # the claim's own tolerance


def test_more_than_is_a_lower_bound(register):
    assert check_claim(claim("A", value=2, qualifier="more_than")).verdict == "match"
    assert check_claim(claim("B", value=100, qualifier="more_than")).verdict == "mismatch"
    assert claimed_range(Claim(value=Decimal(100), unit="count", qualifier="more_than")) == (99, None)


def test_money_is_compared_in_rials_within_two_percent(register):
    over_40 = check_claim(claim("A", "infrastructure_spending", 40, "trillion_rial", "more_than"))
    assert (over_40.register, over_40.verdict) == (40 * TRILLION, "match")
    # 4 همت = 4 × 10¹³ rials = 40 trillion rials.
    assert check_claim(claim("B", "infrastructure_spending", 4, "hemat")).verdict == "match"
    # 41 trillion allows 40.18–41.82 trillion: 40 is outside.
    assert check_claim(claim("C", "infrastructure_spending", 41, "trillion_rial")).verdict == "mismatch"


def test_dollars_at_the_rate_in_force_at_period_end(register):
    # 40 × 10¹² ÷ 380,000 = $105,263,157.89; $105.2 million is 0.06% off.
    outcome = check_claim(claim("A", "infrastructure_spending", 105_200_000, "usd", "about"))
    assert outcome.register == Decimal("105263157.89")
    assert outcome.verdict == "match"


def test_the_rate_a_claim_implies_against_the_rate_in_force(register):
    outcome = check_claim(
        claim(
            "A", "infrastructure_spending", 40, "trillion_rial", "more_than", usd_value=Decimal(105_200_000)
        )
    )
    rate = outcome.rate
    assert rate.implied == Decimal("380228.14")  # 40 × 10¹² ÷ 105,200,000
    assert rate.in_force == Decimal(380_000)
    assert rate.difference_ratio == Decimal("0.0006")
    assert rate.closest_source == "free_market"
    off = check_claim(
        claim("B", "infrastructure_spending", 40, "trillion_rial", usd_value=Decimal(50_000_000))
    ).rate
    assert off.implied == Decimal(800_000)
    assert off.difference_ratio == Decimal("1.1053")  # 800,000 / 380,000 − 1


def test_no_rate_in_force_means_the_verdict_cannot_be_given(register, english):
    ExchangeRate.objects.all().delete()
    outcome = check_claim(claim("A", "infrastructure_spending", 105_200_000, "usd"))
    assert outcome.verdict == "unknown"
    assert "no free_market USD rate" in outcome.reason


def test_claims_about_a_target_read_the_stored_target(register):
    bounds = jalali.year_bounds(1401)
    Target.objects.create(
        metric="workshops_opened", year=1401, start_date=bounds.start, end_date=bounds.end, value=1000
    )
    assert check_claim(claim("A", value=1000, of_target=True, period=bounds)).verdict == "match"
    assert check_claim(claim("B", value=2000, of_target=True, period=bounds)).verdict == "mismatch"
    missing = check_claim(
        claim(
            "C",
            value=1000,
            of_target=True,
            period=NINE_MONTHS.__class__(jalali.year_bounds(1400).start, jalali.year_bounds(1400).end),
        )
    )
    assert missing.verdict == "unknown"


def test_claims_of_one_metric_and_period_that_no_value_satisfies_contradict(register):
    three, ten = claim("A", value=3), claim("B", value=10)
    over_two, over_hundred = (
        claim("C", value=2, qualifier="more_than"),
        claim("D", value=100, qualifier="more_than"),
    )
    found = {r.claim.code: sorted(other.code for other, _ in r.contradictions) for r in check_claims()}
    assert found["A"] == ["B", "D"]  # 3 is not 10 and not over 100
    assert found["B"] == ["A", "D"]
    assert found["C"] == []  # "over 2" agrees with 3, 10 and "over 100"
    assert found["D"] == ["A", "B"]
    assert three and ten and over_two and over_hundred


def test_a_longer_period_claiming_less_contradicts_a_shorter_one_inside_it(register, english):
    claim("NINE", value=5)  # 4 to 6 with its tolerance
    claim("YEAR", value=2, period=jalali.year_bounds(1401))  # 1 to 3: fewer over a longer period
    found = {r.claim.code: r.contradictions for r in check_claims()}
    assert [other.code for other, _ in found["NINE"]] == ["YEAR"]
    assert "covers the period" in found["NINE"][0][1]


def test_the_value_as_of_the_day_published_comes_from_a_stored_check(register, english):
    record = claim("A", value=3)
    outcome = check_claim(record)
    assert outcome.as_of is None and "Not known" in outcome.as_of_reason
    before = timezone.make_aware(dt.datetime.combine(PUBLISHED - dt.timedelta(days=2), dt.time(12)))
    record_checks([outcome], now=before)
    opened(register, jalali.to_gregorian(1401, 2, 2))  # entered later
    later = check_claim(record)
    assert later.register == 4
    assert later.as_of.register_value == 3 and later.as_of.verdict == "match"
    assert record.checks.get().history.count() == 1  # stored with history


def test_a_unit_must_suit_the_metric_and_dollars_go_beside_rials():
    with pytest.raises(ValidationError) as error:
        Claim(
            code="X", quote="q", outlet="o", published_on=PUBLISHED, metric="workshops_opened",
            period_start=NINE_MONTHS.start, period_end=NINE_MONTHS.end, value=1, unit="trillion_rial",
        ).full_clean()  # fmt: skip
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Claim(
            code="Y", quote="q", outlet="o", published_on=PUBLISHED, metric="workshops_opened",
            period_start=NINE_MONTHS.start, period_end=NINE_MONTHS.end, value=1, unit="count",
            usd_value=Decimal(5), scope="IR-99",
        ).full_clean()  # fmt: skip
    assert {"usd_value", "scope"} <= set(error.value.message_dict)


def test_the_article_claims_load_once():
    counts = load_claims()
    assert counts == {"added": 18, "changed": 0, "unchanged": 0}
    assert load_claims() == {"added": 0, "changed": 0, "unchanged": 18}
    assert Claim.history.count() == 18
    spending = Claim.objects.get(code="ART-04")
    assert (spending.period_start, spending.period_end) == (dt.date(2022, 3, 21), dt.date(2022, 11, 21))
    assert spending.value == 40 and spending.unit == "trillion_rial" and spending.usd_value == 105_200_000
    assert "40 trillion rials" in spending.quote and "۴۰ هزار میلیارد ریال" in spending.translation
    revived = Claim.objects.get(code="ART-08")
    assert revived.period_start == dt.date(2021, 8, 3)


def test_the_article_claims_imply_one_rate_of_about_380_000_rials():
    load_claims()
    rates = {c.code: check_claim(c).rate.implied for c in Claim.objects.exclude(usd_value=None)}
    assert rates == {
        "ART-04": Decimal("380228.14"),  # 40 trillion ÷ $105.2 million
        "ART-06": Decimal("380952.38"),  # 8 trillion ÷ $21 million: "eight", not "eighty"
        "ART-10": Decimal("380228.14"),  # 60 trillion ÷ $157.8 million
    }


def test_the_claims_command_lists_verdicts_as_json(register):
    claim("A", value=3)
    claim("B", value=10)
    out = StringIO()
    call_command("claims", "--format", "json", stdout=out)
    rows = {row["code"]: row for row in json.loads(out.getvalue())}
    assert rows["A"]["verdict"] == "match" and rows["A"]["register_now"] == "3"
    assert rows["B"]["verdict"] == "mismatch" and rows["B"]["difference"] == "-7"
    assert rows["B"]["contradicts"][0]["code"] == "A"
