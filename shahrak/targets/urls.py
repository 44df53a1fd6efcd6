from shahrak.ui.generic import record_urls

from . import views

app_name = "targets"

urlpatterns = record_urls(
    "targets", "target",
    list_view=views.TargetListView, detail=views.TargetView, edit=views.TargetEditView,
    delete=views.TargetDeleteView, history=views.TargetHistoryView,
)  # fmt: skip
