from django.db.models import Count

from shahrak.ui import generic
from shahrak.ui.related import Related

from .filtersets import CountyFilterSet, ProvinceFilterSet
from .forms import CountyForm
from .models import County, Province
from .tables import CountyTable, ProvinceTable

COUNTIES = County.objects.select_related("province")


class ProvinceListView(generic.ObjectListView):
    queryset = Province.objects.annotate(county_count=Count("counties"))
    filterset = ProvinceFilterSet
    table = ProvinceTable


class ProvinceView(generic.ObjectView):
    queryset = Province.objects.all()

    def get_extra_context(self, request, instance):
        return {
            # Its estates are added by the estates app (estates/panels.py).
            "counties": Related(
                request, CountyFilterSet, CountyTable, {"province": instance.iso_code}, limit=60
            ),
        }


class CountyListView(generic.ObjectListView):
    queryset = COUNTIES
    filterset = CountyFilterSet
    table = CountyTable


class CountyView(generic.ObjectView):
    queryset = COUNTIES  # its estates come from estates/panels.py


class CountyEditView(generic.ObjectEditView):
    queryset = COUNTIES
    form = CountyForm


class CountyHistoryView(generic.ObjectHistoryView):
    queryset = COUNTIES
