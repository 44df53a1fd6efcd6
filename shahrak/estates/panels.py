"""What this app adds to the pages of records below it (shahrak/ui/panels.py)."""

from shahrak.ui.panels import register_panel
from shahrak.ui.related import Related

from .filtersets import EstateFilterSet
from .tables import EstateTable


@register_panel("regions.province", "estates")
def estates_of_province(request, province):
    return Related(request, EstateFilterSet, EstateTable, {"province": province.iso_code}, limit=20)


@register_panel("regions.county", "estates")
def estates_of_county(request, county):
    return Related(request, EstateFilterSet, EstateTable, {"county": county.sci_code}, limit=30)
