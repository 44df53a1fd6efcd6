from django.utils import timezone

from shahrak.ui import generic
from shahrak.ui.related import Related

from .filtersets import EstateFilterSet, WorkshopUnitFilterSet
from .forms import EstateForm, WorkshopUnitForm
from .models import Estate, WorkshopUnit
from .tables import EstateTable, WorkshopUnitTable

ESTATES = Estate.objects.select_related("county__province")
WORKSHOPS = WorkshopUnit.objects.select_related("estate", "occupant")


class EstateListView(generic.ObjectListView):
    queryset = ESTATES
    filterset = EstateFilterSet
    table = EstateTable


class EstateView(generic.ObjectView):
    # Its free serviced land in the same query (from its free plots where it has plots).
    queryset = ESTATES.with_free_land()

    def get_extra_context(self, request, instance):
        # Its units, projects, payments and spending are added by those apps (their panels.py).
        today = timezone.localdate()
        return {
            "workshops": Related.in_estate(request, WorkshopUnitFilterSet, WorkshopUnitTable, instance),
            "free_workshops": WorkshopUnit.objects.filter(estate=instance).free_on(today).count(),
            "opened_workshops": WorkshopUnit.objects.filter(estate=instance, opened_date__lte=today).count(),
        }


class EstateEditView(generic.ObjectEditView):
    queryset = ESTATES
    form = EstateForm


class EstateDeleteView(generic.ObjectDeleteView):
    queryset = ESTATES


class EstateHistoryView(generic.ObjectHistoryView):
    queryset = ESTATES


class WorkshopUnitListView(generic.ObjectListView):
    queryset = WORKSHOPS
    filterset = WorkshopUnitFilterSet
    table = WorkshopUnitTable


class WorkshopUnitView(generic.ObjectView):
    queryset = WORKSHOPS.select_related("estate__county__province")


class WorkshopUnitEditView(generic.ObjectEditView):
    queryset = WORKSHOPS
    form = WorkshopUnitForm


class WorkshopUnitDeleteView(generic.ObjectDeleteView):
    queryset = WORKSHOPS


class WorkshopUnitHistoryView(generic.ObjectHistoryView):
    queryset = WORKSHOPS
