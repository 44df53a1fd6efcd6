from django.utils import timezone

from shahrak.projects.filtersets import DevelopmentProjectFilterSet, DisbursementFilterSet
from shahrak.projects.tables import DevelopmentProjectTable, DisbursementTable
from shahrak.ui import generic
from shahrak.ui.related import Related
from shahrak.units.filtersets import ProductionUnitFilterSet
from shahrak.units.tables import ProductionUnitTable
from shahrak.web.figures import estate_scope, yearly_figure

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
    queryset = ESTATES

    def get_extra_context(self, request, instance):
        code = {"estate": instance.code}
        add = {"estate": instance.pk}
        today = timezone.localdate()
        within = {"add_query": add, "exclude": ("estate",)}
        return {
            "spending": yearly_figure("infrastructure_spending", estate_scope(instance), request),
            "workshops": Related(request, WorkshopUnitFilterSet, WorkshopUnitTable, code, **within),
            "free_workshops": WorkshopUnit.objects.filter(estate=instance).free_on(today).count(),
            "opened_workshops": WorkshopUnit.objects.filter(estate=instance, opened_date__lte=today).count(),
            "units": Related(request, ProductionUnitFilterSet, ProductionUnitTable, code, **within),
            "projects": Related(
                request, DevelopmentProjectFilterSet, DevelopmentProjectTable, code, **within
            ),
            "payments": Related(request, DisbursementFilterSet, DisbursementTable, code, order_by="-date"),
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
