"""Importing the official list of less-developed counties (keyed on the SCI county code).

The file is CSV with columns sci_code, status (whole / partial / none), basis (decree /
provisional), source. All-or-nothing: any bad row and nothing changes.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from shahrak.core.history import save_with_history
from shahrak.core.text import normalize

from .models import County, DeprivationBasis, DeprivationStatus

REQUIRED_COLUMNS = ("sci_code", "status", "basis", "source")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class DeprivationImportError(ValueError):
    def __init__(self, path, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{path}: " + "; ".join(str(e) for e in errors[:20]))


def import_deprivation(path: Path, *, actor=None) -> int:
    """Apply the file; returns the number of counties changed. Raises DeprivationImportError."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(line for line in handle if not line.startswith("#"))
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DeprivationImportError(path, [RowError(1, c, "column is missing") for c in missing])
        rows = list(reader)
    counties = {c.sci_code: c for c in County.objects.all()}
    errors, updates, seen = [], [], set()
    for number, row in enumerate(rows, start=2):
        code = normalize(row["sci_code"] or "").zfill(4)
        status, basis = normalize(row["status"] or ""), normalize(row["basis"] or "")
        if code not in counties:
            errors.append(RowError(number, "sci_code", f"no county has the code {code!r}"))
        elif code in seen:
            errors.append(RowError(number, "sci_code", f"county {code} appears twice in the file"))
        if status not in DeprivationStatus.values:
            errors.append(RowError(number, "status", f"{status!r} is not one of {DeprivationStatus.values}"))
        if basis not in DeprivationBasis.values:
            errors.append(RowError(number, "basis", f"{basis!r} is not one of {DeprivationBasis.values}"))
        seen.add(code)
        updates.append((code, status, basis, (row["source"] or "").strip()))
    if errors:
        raise DeprivationImportError(path, errors)
    changed = 0
    with transaction.atomic():
        for code, status, basis, source in updates:
            county = counties[code]
            if (county.deprivation, county.deprivation_basis, county.deprivation_source) != (
                status,
                basis,
                source,
            ):
                county.deprivation, county.deprivation_basis, county.deprivation_source = (
                    status,
                    basis,
                    source,
                )
                save_with_history(county, actor=actor, reason=f"less-developed list from {Path(path).name}")
                changed += 1
    return changed
