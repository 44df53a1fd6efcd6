"""What this app adds to the pages of records below it (shahrak/ui/panels.py)."""

from shahrak.ui.panels import register_panel
from shahrak.ui.related import Related

from .filtersets import ProductionUnitFilterSet
from .tables import ProductionUnitTable


@register_panel("estates.estate", "units")
def units_of_estate(request, estate):
    return Related(
        request,
        ProductionUnitFilterSet,
        ProductionUnitTable,
        {"estate": estate.code},
        add_query={"estate": estate.pk},
        exclude=("estate",),
    )
