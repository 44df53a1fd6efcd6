import django_filters
from django.utils.translation import gettext_lazy as _

from shahrak.core.filters import JalaliDateFilter, SearchFilterSet
from shahrak.regions.models import DEPRIVED_STATUSES

from .models import Estate, EstateKind, WorkshopUnit


class EstateFilterSet(SearchFilterSet):
    search_fields = ("code", "name_fa", "name_en", "county__name_fa")
    county = django_filters.CharFilter(field_name="county__sci_code", label=_("County (SCI code)"))
    deprived = django_filters.BooleanFilter(method="filter_deprived", label=_("In a deprived county"))
    licensed_from = JalaliDateFilter(field_name="licence_date", lookup_expr="gte", label=_("Licensed from"))
    licensed_to = JalaliDateFilter(field_name="licence_date", lookup_expr="lte", label=_("Licensed to"))

    class Meta:
        model = Estate
        fields = ["kind", "status"]

    def filter_deprived(self, queryset, name, value):
        if value is None:
            return queryset
        condition = {"county__deprivation__in": DEPRIVED_STATUSES}
        return queryset.filter(**condition) if value else queryset.exclude(**condition)


class WorkshopUnitFilterSet(SearchFilterSet):
    search_fields = ("code", "estate__code", "estate__name_fa")
    estate = django_filters.CharFilter(field_name="estate__code", label=_("Estate (code)"))
    estate_kind = django_filters.ChoiceFilter(
        field_name="estate__kind", choices=EstateKind.choices, label=_("Estate kind")
    )
    deprived = django_filters.BooleanFilter(method="filter_deprived", label=_("In a deprived county"))
    opened_from = JalaliDateFilter(field_name="opened_date", lookup_expr="gte", label=_("Opened from"))
    opened_to = JalaliDateFilter(field_name="opened_date", lookup_expr="lte", label=_("Opened to"))
    opened = django_filters.BooleanFilter(
        field_name="opened_date", lookup_expr="isnull", exclude=True, label=_("Opened")
    )

    class Meta:
        model = WorkshopUnit
        fields = []

    def filter_deprived(self, queryset, name, value):
        if value is None:
            return queryset
        condition = {"estate__county__deprivation__in": DEPRIVED_STATUSES}
        return queryset.filter(**condition) if value else queryset.exclude(**condition)
