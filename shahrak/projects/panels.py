"""What this app adds to the pages of records below it (shahrak/ui/panels.py)."""

from shahrak.ui.panels import register_panel
from shahrak.ui.related import Related

from .filtersets import DevelopmentProjectFilterSet, DisbursementFilterSet
from .tables import DevelopmentProjectTable, DisbursementTable


@register_panel("estates.estate", "projects")
def projects_of_estate(request, estate):
    return Related.in_estate(request, DevelopmentProjectFilterSet, DevelopmentProjectTable, estate)


@register_panel("estates.estate", "payments")
def payments_of_estate(request, estate):
    return Related(
        request, DisbursementFilterSet, DisbursementTable, {"estate": estate.code}, order_by="-date"
    )
