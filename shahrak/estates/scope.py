"""Reading a scope's code: the nation, a province, a county or an estate.

Here, not in shahrak/regions/scope.py, because an estate's code is one of the four kinds of code
and estates sit above regions; the Scope itself (what it selects) is in regions.
"""

from shahrak.regions.models import County, Province
from shahrak.regions.scope import NATION, Scope, UnknownScope

from .models import Estate

__all__ = ["NATION", "Scope", "UnknownScope", "parse_scope"]


def parse_scope(code: str | None) -> Scope:
    """'' or 'IR' → nation; 'IR-23' → province; four digits → county; anything else → an estate code."""
    text = (code or "").strip().upper()
    if text in ("", "IR", "NATION"):
        return NATION
    if text.startswith("IR-"):
        province = Province.objects.filter(iso_code=text).first()
        if province is None:
            raise UnknownScope(f"no province has the code {code!r}")
        return Scope("province", province.iso_code, province.pk, province.name_fa, province.name_en)
    if text.isdigit() and len(text) == 4:
        county = County.objects.filter(sci_code=text).first()
        if county is None:
            raise UnknownScope(f"no county has the code {code!r}")
        return Scope("county", county.sci_code, county.pk, county.name_fa, county.name_en or county.name_fa)
    estate = Estate.objects.filter(code=code.strip()).first()
    if estate is None:
        raise UnknownScope(f"{code!r} is not a province (IR-NN), county (4 digits) or estate code")
    return Scope("estate", estate.code, estate.pk, estate.name_fa, estate.name_en or estate.name_fa)
