from shahrak.ui.generic import record_urls

from . import views

app_name = "projects"

urlpatterns = [
    *record_urls(
        "projects", "developmentproject",
        list_view=views.DevelopmentProjectListView, detail=views.DevelopmentProjectView,
        edit=views.DevelopmentProjectEditView, delete=views.DevelopmentProjectDeleteView,
        history=views.DevelopmentProjectHistoryView,
    ),
    *record_urls(
        "payments", "disbursement",
        list_view=views.DisbursementListView, detail=views.DisbursementView, edit=views.DisbursementEditView,
        delete=views.DisbursementDeleteView, history=views.DisbursementHistoryView,
    ),
    *record_urls(
        "planned-payments", "planneddisbursement",
        list_view=views.PlannedDisbursementListView, detail=views.PlannedDisbursementView,
        edit=views.PlannedDisbursementEditView, delete=views.PlannedDisbursementDeleteView,
        history=views.PlannedDisbursementHistoryView,
    ),
]  # fmt: skip
