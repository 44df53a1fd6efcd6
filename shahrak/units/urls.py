from shahrak.ui.generic import record_urls

from . import views

app_name = "units"

urlpatterns = [
    *record_urls(
        "units", "productionunit",
        list_view=views.ProductionUnitListView, detail=views.ProductionUnitView, edit=views.ProductionUnitEditView,
        delete=views.ProductionUnitDeleteView, history=views.ProductionUnitHistoryView,
    ),
    *record_urls(
        "unit-events", "unitevent",
        list_view=views.UnitEventListView, detail=views.UnitEventView, edit=views.UnitEventEditView,
        delete=views.UnitEventDeleteView, history=views.UnitEventHistoryView,
    ),
]  # fmt: skip
