from shahrak.ui.generic import record_urls

from . import views

app_name = "money"

urlpatterns = record_urls(
    "rates", "exchangerate",
    list_view=views.ExchangeRateListView, detail=views.ExchangeRateView, edit=views.ExchangeRateEditView,
    delete=views.ExchangeRateDeleteView, history=views.ExchangeRateHistoryView,
)  # fmt: skip
