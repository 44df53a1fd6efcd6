from shahrak.ui import generic

from .filtersets import ExchangeRateFilterSet
from .forms import ExchangeRateForm
from .models import ExchangeRate
from .tables import ExchangeRateTable

RATES = ExchangeRate.objects.all()


class ExchangeRateListView(generic.ObjectListView):
    queryset = RATES.order_by("-date", "currency", "source")
    filterset = ExchangeRateFilterSet
    table = ExchangeRateTable


class ExchangeRateView(generic.ObjectView):
    queryset = RATES


class ExchangeRateEditView(generic.ObjectEditView):
    queryset = RATES
    form = ExchangeRateForm


class ExchangeRateDeleteView(generic.ObjectDeleteView):
    queryset = RATES


class ExchangeRateHistoryView(generic.ObjectHistoryView):
    queryset = RATES
