from shahrak.ui.generic import record_urls

from . import views

app_name = "estates"

urlpatterns = [
    *record_urls(
        "estates", "estate",
        list_view=views.EstateListView, detail=views.EstateView, edit=views.EstateEditView,
        delete=views.EstateDeleteView, history=views.EstateHistoryView,
    ),
    *record_urls(
        "workshops", "workshopunit",
        list_view=views.WorkshopUnitListView, detail=views.WorkshopUnitView, edit=views.WorkshopUnitEditView,
        delete=views.WorkshopUnitDeleteView, history=views.WorkshopUnitHistoryView,
    ),
]  # fmt: skip
