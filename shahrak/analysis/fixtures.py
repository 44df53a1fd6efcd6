"""The first ledger: every claim of the article in mission/, shipped as data (data/article_claims.json).

Loading is idempotent (keyed on the claim's code): a second run changes nothing and writes no history.
"""

import json
from decimal import Decimal
from pathlib import Path

from shahrak.core import jalali
from shahrak.core.history import save_with_history
from shahrak.records.actions import changed_fields

from .models import Claim

ARTICLE = Path(__file__).parent / "data" / "article_claims.json"
DATE_FIELDS = ("published_on", "period_start", "period_end")
DECIMAL_FIELDS = ("value", "usd_value", "tolerance")


def claim_values(row: dict, defaults: dict) -> dict:
    values = {**defaults, **row}
    for name in DATE_FIELDS:
        values[name] = jalali.parse_jalali(values[name])
    for name in DECIMAL_FIELDS:
        if values.get(name) is not None:
            values[name] = Decimal(values[name])
    return values


def load_claims(path: Path = ARTICLE, *, actor=None) -> dict[str, int]:
    """Create or update the claims of a ledger file; returns how many were added and changed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for row in data["claims"]:
        values = claim_values(row, data.get("defaults", {}))
        existing = Claim.objects.filter(code=values["code"]).first()
        claim = Claim(pk=existing.pk if existing else None, **values)
        if existing is not None:
            claim._state.adding = False
        claim.full_clean(validate_unique=existing is None)
        if existing is not None and not changed_fields(existing, claim):
            counts["unchanged"] += 1
            continue
        save_with_history(claim, actor=actor, reason="claims of the article (fixture)")
        counts["changed" if existing else "added"] += 1
    return counts


PRICE_SERIES = (Path(__file__).parent / "data" / "sci_cpi_compiled.csv",)
DEMO_PRICE_SERIES = Path(__file__).parent / "data" / "demo_construction_index.csv"


def load_price_index(path: Path, *, actor=None) -> dict[str, int]:
    """Create or update price-index values from a CSV (source,base,year,month,value,province,basis; lines
    starting with # are comments); keyed on source, base, year, month and province; idempotent."""
    import csv

    from shahrak.regions.models import Province

    from .models import PriceIndex

    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")
    ]
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    provinces = {p.iso_code: p for p in Province.objects.all()}
    for row in csv.DictReader(lines):
        province = provinces[row["province"]] if row.get("province") else None
        key = {
            "source": row["source"],
            "base": row["base"],
            "year": int(row["year"]),
            "month": int(row["month"]),
        }
        existing = PriceIndex.objects.filter(**key, province=province).first()
        record = existing or PriceIndex(**key, province=province)
        before = (record.value, record.basis)
        record.value, record.basis = Decimal(row["value"]), row.get("basis", "")
        if existing is not None and before == (record.value, record.basis):
            counts["unchanged"] += 1
            continue
        record.full_clean()
        save_with_history(record, actor=actor, reason=f"price index from {path.name}")
        counts["changed" if existing else "added"] += 1
    return counts
