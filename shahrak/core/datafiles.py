"""Reading the reference data files that ship with the project (CSV with '#' comment lines)."""

import csv
from collections.abc import Iterator
from pathlib import Path


def read_data_csv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a shipped CSV file; lines starting with '#' name sources and are skipped."""
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))
