import django_filters
from django.utils.translation import gettext_lazy as _

from shahrak.core.filters import SearchFilterSet, ShahrakFilterSet

from .models import DEPRIVED_STATUSES, County, Province


class CountyFilterSet(SearchFilterSet):
    search_fields = ("sci_code", "name_fa", "name_en")
    deprived = django_filters.BooleanFilter(method="filter_deprived", label=_("Deprived"))

    class Meta:
        model = County
        fields = ["deprivation", "deprivation_basis", "size_class"]

    def filter_deprived(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(deprivation__in=DEPRIVED_STATUSES)
            if value
            else queryset.exclude(deprivation__in=DEPRIVED_STATUSES)
        )


class ProvinceFilterSet(ShahrakFilterSet):
    """Provinces by code or name (31 rows: a search box is enough)."""

    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Province
        fields = []

    def search(self, queryset, name, value):
        from shahrak.core.collation import search

        return search(queryset, ("iso_code", "name_fa", "name_en"), value)
