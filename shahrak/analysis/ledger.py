"""The claims ledger: each published claim against the register, through the one metrics engine.

For a claim the ledger asks the engine (shahrak.metrics.engine.compute) for the claim's figure over
the claim's period, scope and filters, reads the number the claim is about (MEASURES) and says:

- the register's value now, the claimed value in the same base unit, their difference;
- the verdict: `match` when the register's value lies in the range the claim's words allow (its
  qualifier widened by its tolerance), `mismatch` when it does not, `unknown` when the register
  cannot say (no rate in force for a dollar figure, no target stored);
- the value as of the claim's date: the engine computes from the records as they are now and cannot
  replay the register to a past day, so this is the latest stored check (ClaimCheck, written by
  `record_checks`, e.g. `shahrak claims --record`) made on or before the date published, or nothing
  with the reason; beside it, how many of the records counted now were entered after that date;
- the exchange rate a claim implies when it gives rials and dollars, against the rate in force on
  the day it was published (each source, and the one closest to the claim);
- contradictions: claims of the same metric, scope and filters whose periods are the same and
  whose ranges do not meet, or (for figures that add up over time) whose longer period claims less
  than a shorter one inside it.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from shahrak.core.jalali import Period
from shahrak.metrics.base import Filters, MetricResult
from shahrak.metrics.engine import compute
from shahrak.money.models import ExchangeRate, RateSource, default_rate_source
from shahrak.regions.scope import NATION

from .choices import RIALS_PER_UNIT, ClaimUnit, Qualifier
from .measures import MEASURES, _number, scope_of
from .models import Claim, ClaimCheck

DEFAULT_PERCENT_TOLERANCE = Decimal(2)
DEFAULT_COUNT_TOLERANCE = Decimal(1)
RATE_PLACES = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")


def base_value(value: Decimal, unit: str) -> Decimal:
    """A claimed number in the unit the register counts in: rials, dollars, a count, a ratio."""
    if unit in RIALS_PER_UNIT:
        return value * RIALS_PER_UNIT[unit]
    if unit == ClaimUnit.PERCENT:
        return value / 100
    return value


def tolerance_of(claim: Claim) -> Decimal:
    """The tolerance in base units: ±1 (or the claim's own) for counts; 2% (or the claim's own
    percent) of the claimed amount for money; percentage points for shares."""
    if claim.unit in (ClaimUnit.COUNT, ClaimUnit.JOBS):
        return claim.tolerance if claim.tolerance is not None else DEFAULT_COUNT_TOLERANCE
    percent = claim.tolerance if claim.tolerance is not None else DEFAULT_PERCENT_TOLERANCE
    if claim.unit == ClaimUnit.PERCENT:
        return percent / 100
    return base_value(claim.value, claim.unit) * percent / 100


def claimed_range(claim: Claim) -> tuple[Decimal | None, Decimal | None]:
    """The register values the claim's words allow, in base units (None = no bound)."""
    value, slack = base_value(claim.value, claim.unit), tolerance_of(claim)
    if claim.qualifier == Qualifier.MORE_THAN:
        return value - slack, None
    if claim.qualifier == Qualifier.AT_MOST:
        return None, value + slack
    return value - slack, value + slack


def _inside(number: Decimal, low, high) -> bool:
    return (low is None or number >= low) and (high is None or number <= high)


@dataclass
class RateCheck:
    implied: Decimal
    day: dt.date
    source: str
    in_force: Decimal | None
    difference_ratio: Decimal | None
    by_source: dict[str, Decimal | None]
    closest_source: str | None


@dataclass
class ClaimResult:
    claim: Claim
    claimed: Decimal
    low: Decimal | None
    high: Decimal | None
    register: Decimal | None
    verdict: str  # match | mismatch | unknown
    reason: str = ""
    difference: Decimal | None = None
    difference_ratio: Decimal | None = None
    warnings: list[str] = field(default_factory=list)
    rate: RateCheck | None = None
    as_of: ClaimCheck | None = None
    as_of_reason: str = ""
    contradictions: list[tuple[Claim, str]] = field(default_factory=list)
    result: MetricResult | None = field(default=None, repr=False)

    @property
    def base_unit(self) -> str:
        if self.claim.unit in RIALS_PER_UNIT:
            return "rial"
        return self.claim.unit

    def as_dict(self) -> dict:
        claim = self.claim
        return {
            "code": claim.code,
            "metric": claim.metric,
            "of_target": claim.of_target,
            "quote": claim.quote,
            "quote_language": claim.quote_language,
            "translation": claim.translation,
            "speaker": claim.speaker,
            "outlet": claim.outlet,
            "link": claim.link,
            "published_on": claim.published_on.isoformat(),
            "period": Period(claim.period_start, claim.period_end).as_dict(),
            "period_basis": claim.period_basis,
            "scope": claim.scope or "IR",
            "estate_kind": claim.estate_kind or None,
            "qualifier": claim.qualifier,
            "value": str(claim.value.normalize()),
            "unit": claim.unit,
            "usd_value": None if claim.usd_value is None else str(claim.usd_value),
            "base_unit": self.base_unit,
            "claimed": _text(self.claimed),
            "allowed_range": [_text(self.low), _text(self.high)],
            "register_now": _text(self.register),
            "verdict": self.verdict,
            "reason": self.reason,
            "difference": _text(self.difference),
            "difference_ratio": _text(self.difference_ratio),
            "warnings": list(self.warnings),
            "as_of_published": (
                {
                    "checked_at": self.as_of.checked_at.isoformat(),
                    "register": _text(self.as_of.register_value),
                    "verdict": self.as_of.verdict,
                }
                if self.as_of
                else None
            ),  # fmt: skip
            "as_of_published_reason": self.as_of_reason,
            "implied_rate": (
                {
                    "implied": str(self.rate.implied),
                    "day": self.rate.day.isoformat(),
                    "source": self.rate.source,
                    "in_force": _text(self.rate.in_force),
                    "difference_ratio": _text(self.rate.difference_ratio),
                    "by_source": {k: _text(v) for k, v in self.rate.by_source.items()},
                    "closest_source": self.rate.closest_source,
                }
                if self.rate
                else None
            ),  # fmt: skip
            "contradicts": [{"code": other.code, "why": why} for other, why in self.contradictions],
        }


def _text(number) -> str | None:
    if number is None:
        return None
    number = Decimal(number)
    if number != number.to_integral_value():
        number = number.quantize(Decimal("0.000001"), ROUND_HALF_UP)
    return format(number.normalize(), "f")


def register_value(claim: Claim) -> tuple[Decimal | None, MetricResult | None, str]:
    """The register's number for the claim, from the engine, with the figure and a reason if none."""
    measure = MEASURES[claim.metric]
    period = Period(claim.period_start, claim.period_end)
    scope = scope_of(claim.scope) if claim.scope else NATION
    filters = Filters(estate_kind=claim.estate_kind or None)
    usd = claim.unit == ClaimUnit.USD
    if claim.of_target:
        result = compute("target_progress", period, scope, filters)
        rows = [row for row in result.breakdowns["targets"] if row["metric"] == measure.target_metric]
        same = [row for row in rows if row["start"] == period.start and row["end"] == period.end]
        chosen = same or rows
        if len(chosen) != 1:
            return (
                None,
                result,
                _("No single target of this metric is stored for the period.")
                if not chosen
                else _("Several targets of this metric overlap the period."),
            )
        return Decimal(chosen[0]["target"]), result, ""
    result = compute(measure.figure, period, scope, filters)
    number = measure.read(result, usd)
    if number is None:
        reason = " ".join(result.warnings) or _("The register has no value for this figure.")
        return None, result, reason
    return _number(number), result, ""


def implied_rate(claim: Claim, source: str | None = None) -> RateCheck | None:
    """The rials-per-dollar rate a claim giving both implies, against the rate in force when published."""
    if claim.usd_value is None or claim.unit not in RIALS_PER_UNIT:
        return None
    source = source or default_rate_source()
    implied = (base_value(claim.value, claim.unit) / claim.usd_value).quantize(RATE_PLACES, ROUND_HALF_UP)
    by_source = {s: ExchangeRate.objects.in_force_on(claim.published_on, "USD", s) for s in RateSource.values}
    in_force = by_source.get(source)
    known = {s: r for s, r in by_source.items() if r}
    closest = min(known, key=lambda s: abs(known[s] - implied)) if known else None
    ratio = ((implied - in_force) / in_force).quantize(RATIO_PLACES, ROUND_HALF_UP) if in_force else None
    return RateCheck(implied, claim.published_on, source, in_force, ratio, by_source, closest)


def latest_check_by(claim: Claim, day: dt.date) -> ClaimCheck | None:
    """The last stored check of the claim made on or before the day (in Tehran's calendar)."""
    for check in claim.checks.order_by("-checked_at"):
        if timezone.localtime(check.checked_at).date() <= day:
            return check
    return None


def check_claim(claim: Claim) -> ClaimResult:
    claimed = base_value(claim.value, claim.unit)
    low, high = claimed_range(claim)
    register, result, reason = register_value(claim)
    outcome = ClaimResult(claim, claimed, low, high, register, "unknown", reason, result=result)
    if result is not None:
        outcome.warnings = list(result.warnings)
    if register is not None:
        outcome.verdict = "match" if _inside(register, low, high) else "mismatch"
        outcome.difference = register - claimed
        if claimed:
            outcome.difference_ratio = (outcome.difference / claimed).quantize(RATIO_PLACES, ROUND_HALF_UP)
    outcome.rate = implied_rate(claim)
    outcome.as_of = latest_check_by(claim, claim.published_on)
    if outcome.as_of is None:
        outcome.as_of_reason = _(
            "Not known: the engine computes from the records as they are today and no check of this "
            "claim was stored on or before the day it was published."
        )
    return outcome


def _group_key(claim: Claim) -> tuple:
    family = "rial" if claim.unit in RIALS_PER_UNIT else claim.unit
    return (claim.metric, claim.of_target, claim.scope or "", claim.estate_kind or "", family)


def _ranges_meet(a: tuple, b: tuple) -> bool:
    (a_low, a_high), (b_low, b_high) = a, b
    return (a_high is None or b_low is None or a_high >= b_low) and (
        b_high is None or a_low is None or b_high >= a_low
    )


def contradictions(claims: list[Claim]) -> dict[int, list[tuple[Claim, str]]]:
    """For each claim (by pk), the claims it contradicts and why."""
    found: dict[int, list[tuple[Claim, str]]] = {claim.pk: [] for claim in claims}
    groups: dict[tuple, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(_group_key(claim), []).append(claim)
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                why = _contradiction(a, b)
                if why:
                    found[a.pk].append((b, why))
                    found[b.pk].append((a, why))
    return found


def _contradiction(a: Claim, b: Claim) -> str:
    range_a, range_b = claimed_range(a), claimed_range(b)
    if (a.period_start, a.period_end) == (b.period_start, b.period_end):
        if not _ranges_meet(range_a, range_b):
            return _("same metric, scope and period, but no value satisfies both")
        return ""
    measure = MEASURES[a.metric]
    if not measure.flow or a.of_target:
        return ""
    for longer, shorter, longer_range, shorter_range in ((a, b, range_a, range_b), (b, a, range_b, range_a)):
        covers = longer.period_start <= shorter.period_start and longer.period_end >= shorter.period_end
        if (
            covers
            and longer_range[1] is not None
            and shorter_range[0] is not None
            and longer_range[1] < shorter_range[0]
        ):
            return _("%(longer)s covers the period of %(shorter)s and more, yet claims less") % {
                "longer": longer.code, "shorter": shorter.code,
            }  # fmt: skip
    return ""


def check_claims(claims: Iterable[Claim] | None = None) -> list[ClaimResult]:
    """Every claim (or the given ones) with its verdict and its contradictions among themselves."""
    claims = list(Claim.objects.all() if claims is None else claims)
    against = contradictions(claims)
    results = []
    for claim in claims:
        outcome = check_claim(claim)
        outcome.contradictions = against.get(claim.pk, [])
        results.append(outcome)
    return results


def claims_of_figure(figure: str) -> list[Claim]:
    """The claims answered by an engine figure (for a badge on the figure's page)."""
    metrics = [key for key, measure in MEASURES.items() if measure.figure == figure]
    return list(Claim.objects.filter(metric__in=metrics))


def record_checks(
    results: Iterable[ClaimResult], *, actor=None, now: dt.datetime | None = None
) -> list[ClaimCheck]:
    """Store each result's register value and verdict as it stands now (through the write path)."""
    from shahrak.core.history import save_with_history
    from shahrak.records.actions import save_record

    now = now or timezone.now()
    stored = []
    for outcome in results:
        check = ClaimCheck(
            claim=outcome.claim, checked_at=now, register_value=outcome.register, verdict=outcome.verdict
        )
        if actor is None:  # a command with no user (like reference data): validated, with history
            check.full_clean()
            save_with_history(check, reason="claims ledger check")
        else:
            save_record(check, actor=actor, reason="claims ledger check")
        stored.append(check)
    return stored


def records_entered_after(outcome: ClaimResult, day: dt.date) -> tuple[int, int] | None:
    """(records counted now that were first entered after the day, records counted now), from history."""
    if outcome.result is None or outcome.result.records_query is None:
        return None
    records = outcome.result.records()
    model = records.model
    history = getattr(model, "history", None)
    if history is None:
        return None
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    late = (
        history.filter(history_type="+", history_date__gte=end, id__in=records.values("pk"))
        .values("id")
        .distinct()
    )
    return late.count(), records.count()
