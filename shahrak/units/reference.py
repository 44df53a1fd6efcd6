"""The shipped ISIC Rev.4 classes with their OECD technology intensity (data/isic_rev4.csv).

Run by `shahrak load_reference` through UnitsConfig.reference_loader, after the regions.
"""

from pathlib import Path

from shahrak.core.datafiles import read_data_csv
from shahrak.regions.reference import apply_values

from .models import IsicClass

ISIC_FILE = Path(__file__).parent / "data" / "isic_rev4.csv"


def load_isic_classes(*, actor=None) -> dict[str, int]:
    """Create or update the ISIC classes; returns how many rows changed."""
    changed = 0
    existing = {i.code: i for i in IsicClass.objects.all()}
    for row in read_data_csv(ISIC_FILE):
        isic = existing.get(row["code"]) or IsicClass(code=row["code"])
        values = {k: row[k] for k in ("name_en", "name_fa", "tech_intensity")}
        if apply_values(isic, values) or isic._state.adding:
            isic.save()
            changed += 1
    return {"isic_classes": changed}
