from django.db.models import Sum

from shahrak.ui import generic
from shahrak.ui.related import Related

from .filtersets import DevelopmentProjectFilterSet, DisbursementFilterSet, PlannedDisbursementFilterSet
from .forms import DevelopmentProjectForm, DisbursementForm, PlannedDisbursementForm
from .models import DevelopmentProject, Disbursement, PlannedDisbursement
from .tables import DevelopmentProjectTable, DisbursementTable, PlannedDisbursementTable

PROJECTS = DevelopmentProject.objects.select_related("estate")
PAYMENTS = Disbursement.objects.select_related("project")
PLANNED = PlannedDisbursement.objects.select_related("project")


class DevelopmentProjectListView(generic.ObjectListView):
    queryset = PROJECTS
    filterset = DevelopmentProjectFilterSet
    table = DevelopmentProjectTable


class DevelopmentProjectView(generic.ObjectView):
    queryset = PROJECTS.select_related("estate__county__province", "county", "province")

    def get_extra_context(self, request, instance):
        code = {"project": instance.code}
        add = {"project": instance.code}
        payments = Related(
            request, DisbursementFilterSet, DisbursementTable, code, order_by="-date", add_query=add
        )
        planned = Related(
            request, PlannedDisbursementFilterSet, PlannedDisbursementTable, code, limit=24, add_query=add
        )
        return {
            "payments": payments,
            "paid_rials": payments.queryset.aggregate(total=Sum("amount_rials"))["total"] or 0,
            "planned": planned,
            "planned_rials": planned.queryset.aggregate(total=Sum("amount_rials"))["total"] or 0,
        }


class DevelopmentProjectEditView(generic.ObjectEditView):
    queryset = PROJECTS
    form = DevelopmentProjectForm


class DevelopmentProjectDeleteView(generic.ObjectDeleteView):
    queryset = PROJECTS


class DevelopmentProjectHistoryView(generic.ObjectHistoryView):
    queryset = PROJECTS


class DisbursementListView(generic.ObjectListView):
    queryset = PAYMENTS
    filterset = DisbursementFilterSet
    table = DisbursementTable


class DisbursementView(generic.ObjectView):
    queryset = PAYMENTS.select_related("project__estate__county__province", "estate", "county", "province")


class DisbursementEditView(generic.ObjectEditView):
    queryset = PAYMENTS
    form = DisbursementForm


class DisbursementDeleteView(generic.ObjectDeleteView):
    queryset = PAYMENTS


class DisbursementHistoryView(generic.ObjectHistoryView):
    queryset = PAYMENTS


class PlannedDisbursementListView(generic.ObjectListView):
    queryset = PLANNED
    filterset = PlannedDisbursementFilterSet
    table = PlannedDisbursementTable


class PlannedDisbursementView(generic.ObjectView):
    queryset = PLANNED.select_related("project__estate", "estate", "county", "province")


class PlannedDisbursementEditView(generic.ObjectEditView):
    queryset = PLANNED
    form = PlannedDisbursementForm


class PlannedDisbursementDeleteView(generic.ObjectDeleteView):
    queryset = PLANNED


class PlannedDisbursementHistoryView(generic.ObjectHistoryView):
    queryset = PLANNED
