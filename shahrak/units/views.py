from django.utils import timezone

from shahrak.ui import generic
from shahrak.ui.generic import model_url

from .filtersets import ProductionUnitFilterSet, UnitEventFilterSet
from .forms import ProductionUnitForm, UnitEventForm
from .models import ProductionUnit, SizeClass, UnitEvent
from .tables import ProductionUnitTable, UnitEventTable

UNITS = ProductionUnit.objects.select_related("estate", "county__province", "isic")
EVENTS = UnitEvent.objects.select_related("unit")


class ProductionUnitListView(generic.ObjectListView):
    queryset = UNITS
    filterset = ProductionUnitFilterSet
    table = ProductionUnitTable


class ProductionUnitView(generic.ObjectView):
    queryset = UNITS

    def get_extra_context(self, request, instance):
        today = timezone.localdate()
        events = list(instance.events.order_by("date"))
        current = next((e for e in reversed(events) if e.date <= today), None)
        event_form = None
        if generic.may_change(request.user, instance):
            event_form = UnitEventForm(initial={"unit": instance.national_id}, user=request.user)
        return {
            "events": events,
            "size_label": SizeClass(instance.size_class).label,
            "current_event": current,
            "event_form": event_form,
            "event_add_url": model_url(UnitEvent, "add"),
            "workshops": instance.workshops.select_related("estate"),
        }


class ProductionUnitEditView(generic.ObjectEditView):
    queryset = UNITS
    form = ProductionUnitForm


class ProductionUnitDeleteView(generic.ObjectDeleteView):
    queryset = UNITS


class ProductionUnitHistoryView(generic.ObjectHistoryView):
    queryset = UNITS


class UnitEventListView(generic.ObjectListView):
    queryset = EVENTS
    filterset = UnitEventFilterSet
    table = UnitEventTable


class UnitEventView(generic.ObjectView):
    queryset = EVENTS.select_related("unit__estate", "unit__county__province")


class UnitEventEditView(generic.ObjectEditView):
    """Events are entered as events: idled with its cause, revived with the jobs it restored."""

    queryset = EVENTS
    form = UnitEventForm
    template_name = "units/unitevent_edit.html"

    def success_url(self, instance):
        return model_url(ProductionUnit, "", instance.unit_id)


class UnitEventDeleteView(generic.ObjectDeleteView):
    queryset = EVENTS

    def success_url(self, instance):
        return model_url(ProductionUnit, "", instance.unit_id)


class UnitEventHistoryView(generic.ObjectHistoryView):
    queryset = EVENTS
