"""Loading the shipped reference data: provinces and counties here, and whatever other apps ship.

Each app that ships reference data names its loader on its AppConfig (`reference_loader`, a
dotted path); `load_reference` runs them in INSTALLED_APPS order, so regions load before the apps
above them and no app here has to import those above it (ISIC classes: shahrak/units/reference.py).

Loading is idempotent: a second run changes nothing and writes no history. A county whose
less-developed status came from an official decree (imported by an administrator) keeps it.
"""

from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string

from shahrak.core.datafiles import read_data_csv
from shahrak.core.history import save_with_history
from shahrak.core.versions import data_changed

from .models import County, DeprivationBasis, DeprivationStatus, Province

DATA = Path(__file__).parent / "data"


def apply_values(instance, values: dict) -> bool:
    changed = False
    for field, value in values.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    return changed


@transaction.atomic
def load_reference(*, actor=None) -> dict[str, int]:
    """Run every app's reference loader in one transaction; returns how many rows changed per kind."""
    changed = {}
    for config in apps.get_app_configs():
        loader = getattr(config, "reference_loader", None)
        if loader:
            changed |= import_string(loader)(actor=actor)
    if any(changed.values()):
        data_changed()  # provinces and ISIC classes have no history, so no save signal counts them
    return changed


def load_regions(*, actor=None) -> dict[str, int]:
    """Create or update provinces and counties; returns how many rows changed per kind."""
    changed = {"provinces": 0, "counties": 0}
    provinces = {p.sci_code: p for p in Province.objects.all()}
    for row in read_data_csv(DATA / "provinces.csv"):
        province = provinces.get(row["sci_code"]) or Province(sci_code=row["sci_code"])
        values = {
            "iso_code": row["iso_code"],
            "name_fa": row["name_fa"],
            "name_en": row["name_en"],
            "population": int(row["population"]),
        }
        if apply_values(province, values) or province.pk is None:
            province.save()
            changed["provinces"] += 1
        provinces[province.sci_code] = province

    counties = {c.sci_code: c for c in County.objects.all()}
    for row in read_data_csv(DATA / "counties.csv"):
        county = counties.get(row["sci_code"]) or County(sci_code=row["sci_code"])
        values = {
            "province_id": provinces[row["province_sci_code"]].pk,
            "name_fa": row["name_fa"],
            "name_en": row["name_en"],
            "population": int(row["population"]) if row["population"] else None,
            "urban_population": int(row["urban_population"]) if row["urban_population"] else None,
            "size_class": row["size_class"],
        }
        if county.deprivation_basis != DeprivationBasis.DECREE:
            values |= {
                "deprivation": DeprivationStatus(row["deprivation"]),
                "deprivation_basis": DeprivationBasis(row["deprivation_basis"]),
                "deprivation_source": row["deprivation_source"],
            }
        if apply_values(county, values) or county.pk is None:
            save_with_history(county, actor=actor, reason="reference data")
            changed["counties"] += 1

    return changed
