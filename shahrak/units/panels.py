"""What this app adds to the pages of records below it (shahrak/ui/panels.py)."""

from shahrak.ui.panels import register_panel
from shahrak.ui.related import Related

from .filtersets import ProductionUnitFilterSet
from .tables import ProductionUnitTable


@register_panel("estates.estate", "units")
def units_of_estate(request, estate):
    return Related.in_estate(request, ProductionUnitFilterSet, ProductionUnitTable, estate)
