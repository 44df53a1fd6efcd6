from shahrak.ui.generic import record_urls

from . import views

app_name = "regions"

urlpatterns = [
    *record_urls("provinces", "province", list_view=views.ProvinceListView, detail=views.ProvinceView),
    *record_urls(
        "counties", "county",
        list_view=views.CountyListView, detail=views.CountyView, edit=views.CountyEditView,
        history=views.CountyHistoryView,
    ),
]  # fmt: skip
