from django.urls import path

from shahrak.ui.generic import record_urls

from . import views

app_name = "land"

urlpatterns = [
    *record_urls(
        "land/plots", "plot", list_view=views.PlotListView, detail=views.PlotView, edit=views.PlotEditView,
        delete=views.PlotDeleteView, history=views.PlotHistoryView,
    ),
    path("land/plots/<int:pk>/<slug:action>/", views.PlotActionView.as_view(), name="plot_action"),
    *record_urls(
        "land/applications", "application", list_view=views.ApplicationListView, detail=views.ApplicationView,
        history=views.ApplicationHistoryView,
    ),
    path("land/applications/add/", views.ApplicationAddView.as_view(), name="application_add"),
    path("land/applications/<int:pk>/sign/", views.SignView.as_view(), name="application_sign"),
    path("land/applications/<int:pk>/<slug:action>/", views.ApplicationActionView.as_view(), name="application_action"),
    *record_urls(
        "land/contracts", "allocationcontract", list_view=views.ContractListView, detail=views.ContractView,
        history=views.ContractHistoryView,
    ),
    path("land/contracts/<int:pk>/pdf/", views.ContractPdfView.as_view(), name="allocationcontract_pdf"),
    path("land/contracts/<int:pk>/<slug:action>/", views.ContractActionView.as_view(), name="allocationcontract_action"),
    *record_urls("land/extensions", "contractextension", list_view=views.ContractExtensionListView),
    *record_urls("land/transfers", "contracttransfer", list_view=views.ContractTransferListView),
    *record_urls("land/holds", "plothold", list_view=views.PlotHoldListView),
    *record_urls("land/instalments", "instalment", list_view=views.InstalmentListView),
    *record_urls("land/payments", "landpayment", list_view=views.LandPaymentListView),
    *record_urls(
        "land/leases", "workshoplease", list_view=views.LeaseListView, detail=views.LeaseView,
        history=views.LeaseHistoryView,
    ),
    path("land/leases/add/", views.LeaseAddView.as_view(), name="workshoplease_add"),
    path("land/leases/<int:pk>/<slug:action>/", views.LeaseActionView.as_view(), name="workshoplease_action"),
    *record_urls(
        "land/programmes", "programme", list_view=views.ProgrammeListView, detail=views.ProgrammeView,
        edit=views.ProgrammeEditView, history=views.ProgrammeHistoryView,
    ),
    *record_urls("land/programme-members", "programmemember", list_view=views.ProgrammeMemberListView),
]  # fmt: skip
