from django.urls import path

from shahrak.ui.generic import record_urls

from . import views

app_name = "analysis"

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("constant-rials/", views.constant_rials, name="constant_rials"),
    path("nowcast/", views.nowcast, name="nowcast"),
    path("quality/", views.quality, name="quality"),
    path("quality/<str:province>/", views.quality_province, name="quality_province"),
    path("scenarios/", views.scenario_list, name="scenario_list"),
    path("scenarios/save/", views.scenario_save, name="scenario_save"),
    *record_urls(
        "claims", "claim",
        list_view=views.ClaimListView, detail=views.ClaimView, edit=views.ClaimEditView,
        delete=views.ClaimDeleteView, history=views.ClaimHistoryView,
        export=False,  # claims have no spreadsheet form yet (issue 15: their import is not built)
    ),
]  # fmt: skip
