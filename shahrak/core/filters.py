"""Shared filter pieces for the per-app filtersets (web lists, API, exports)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .forms import JalaliDateField
from .text import normalize


class JalaliDateFilter(django_filters.Filter):
    field_class = JalaliDateField


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with a free-text `q` over `search_fields` and a province filter over `province_path`."""

    search_fields: tuple[str, ...] = ()
    province_path: str = ""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    province = django_filters.CharFilter(method="filter_province", label=_("Province (ISO code)"))

    def search(self, queryset, name, value):
        text = normalize(value)
        if not text:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": text})
        return queryset.filter(condition)

    def filter_province(self, queryset, name, value):
        if not value:
            return queryset
        path = f"{self.province_path}__" if self.province_path else ""
        return queryset.filter(**{f"{path}province__iso_code": value.strip().upper()})
