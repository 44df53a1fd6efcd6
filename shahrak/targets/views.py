from shahrak.ui import generic

from .filtersets import TargetFilterSet
from .forms import TargetForm
from .models import Target
from .tables import TargetTable

TARGETS = Target.objects.select_related("province")


class TargetListView(generic.ObjectListView):
    queryset = TARGETS
    filterset = TargetFilterSet
    table = TargetTable


class TargetView(generic.ObjectView):
    queryset = TARGETS


class TargetEditView(generic.ObjectEditView):
    queryset = TARGETS
    form = TargetForm


class TargetDeleteView(generic.ObjectDeleteView):
    queryset = TARGETS


class TargetHistoryView(generic.ObjectHistoryView):
    queryset = TARGETS
