"""How the ledger writes a claim's numbers for the reader (language, digits, the claim's own unit)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from shahrak.ui import format as fmt

from .choices import RIALS_PER_UNIT, ClaimUnit
from .ledger import ClaimResult
from .models import Claim

DECIMALS = {
    ClaimUnit.RIAL: 0, ClaimUnit.TOMAN: 0, ClaimUnit.BILLION_RIAL: 0, ClaimUnit.TRILLION_RIAL: 1,
    ClaimUnit.HEMAT: 2,
}  # fmt: skip
UNIT_NAMES = {
    ClaimUnit.RIAL: ("ریال", "rials"),
    ClaimUnit.TOMAN: ("تومان", "tomans"),
    ClaimUnit.BILLION_RIAL: ("میلیارد ریال", "billion rials"),
    ClaimUnit.TRILLION_RIAL: ("هزار میلیارد ریال", "trillion rials"),
    ClaimUnit.HEMAT: ("همت", "hemat"),
    ClaimUnit.JOBS: ("شغل", "jobs"),
}


def in_unit(claim: Claim, number) -> str:
    """A base-unit number (rials, dollars, a count, a ratio) written in the claim's own unit."""
    if number is None:
        return "—"
    number = Decimal(number)
    if claim.unit in RIALS_PER_UNIT:
        fa, en = UNIT_NAMES[claim.unit]
        return f"{fmt.number(number / RIALS_PER_UNIT[claim.unit], DECIMALS[claim.unit])} {fa if fmt.is_fa() else en}"
    if claim.unit == ClaimUnit.USD:
        return fmt.usd(number)
    if claim.unit == ClaimUnit.PERCENT:
        return fmt.percent(number)
    if claim.unit == ClaimUnit.JOBS:
        fa, en = UNIT_NAMES[ClaimUnit.JOBS]
        return f"{fmt.number(number)} {fa if fmt.is_fa() else en}"
    return fmt.number(number)


def signed(claim: Claim, number) -> str:
    """A difference with its sign; no sign when it rounds to nothing in the claim's unit."""
    if number is None:
        return "—"
    text = in_unit(claim, abs(number))
    if not any(ch in "123456789۱۲۳۴۵۶۷۸۹" for ch in text):
        return text
    return ("+" if number > 0 else "−" if number < 0 else "") + text


# How the ledger words a qualifier before a number: (Persian, English).
QUALIFIER_WORDS = {
    "more_than": ("بیش از", "more than"),
    "about": ("حدود", "about"),
    "at_most": ("تا", "up to"),
}


def qualified(claim: Claim, number) -> str:
    words = QUALIFIER_WORDS.get(claim.qualifier)
    text = in_unit(claim, number)
    return f"{words[0] if fmt.is_fa() else words[1]} {text}" if words else text


def separator() -> str:
    return "، " if fmt.is_fa() else ", "


def quote_for_reader(claim: Claim) -> tuple[str, bool]:
    """The claim's words in the reader's language when a translation exists: (text, is_translation)."""
    if claim.quote_language != fmt.lang() and claim.translation:
        return claim.translation, True
    return claim.quote, False


VERDICTS = {
    "match": ("success", "match"),
    "mismatch": ("danger", "mismatch"),
    "unknown": ("secondary", "unknown"),
}


def verdict_label(verdict: str) -> str:
    return {"match": _("match"), "mismatch": _("mismatch"), "unknown": _("cannot say")}[verdict]


def row(outcome: ClaimResult) -> dict:
    """What the ledger's table shows of one checked claim."""
    claim = outcome.claim
    text, translated = quote_for_reader(claim)
    rate = outcome.rate
    return {
        "outcome": outcome,
        "claim": claim,
        "quote": text,
        "translated": translated,
        "claimed": qualified(claim, outcome.claimed),
        "sep": separator(),
        "register": in_unit(claim, outcome.register),
        "difference": signed(claim, outcome.difference),
        "difference_ratio": fmt.percent(outcome.difference_ratio)
        if outcome.difference_ratio is not None
        else "—",
        "verdict": outcome.verdict,
        "verdict_label": verdict_label(outcome.verdict),
        "verdict_class": VERDICTS[outcome.verdict][0],
        "rate": rate,
        "rate_implied": fmt.number(rate.implied) if rate else "",
        "rate_in_force": fmt.number(rate.in_force) if rate and rate.in_force else "—",
        "rate_difference": fmt.percent(rate.difference_ratio)
        if rate and rate.difference_ratio is not None
        else "—",
        "as_of": in_unit(claim, outcome.as_of.register_value) if outcome.as_of else None,
    }
