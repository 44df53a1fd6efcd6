"""Shared filter pieces for the per-app filtersets (web lists, API, exports)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .collation import search
from .forms import JalaliDateField
from .places import province_lookup


class JalaliDateFilter(django_filters.Filter):
    field_class = JalaliDateField


class ShahrakFilterSet(django_filters.FilterSet):
    """The base of every filterset: labels in the reader's language, whatever was asked before."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        # Filters whose label django-filter words from the model (no label= given).
        cls._worded_labels = {name for name, filter_ in filters.items() if filter_._label is None}
        return filters

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # django-filter words such a label once, in the language active then, and keeps the words and
        # the form field made with them on the filter; a class-level filter asked for its field before
        # any model was set (the API's filter backend) even keeps a field with no label, which a form
        # shows as the English field name («Kind»). Every Persian page after it would show those. So
        # each filterset words its labels again, in its reader's language, and makes its own fields.
        for name, filter_ in self.filters.items():
            filter_.__dict__.pop("_field", None)
            if name in self._worded_labels:
                filter_._label = None


class SearchFilterSet(ShahrakFilterSet):
    """A FilterSet with a free-text `q` over `search_fields` and a province filter that follows the
    record's path to its province, declared on its model (shahrak/core/places.py)."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="search", label=_("Search"))
    province = django_filters.CharFilter(method="filter_province", label=_("Province (ISO code)"))

    def search(self, queryset, name, value):
        # Digit systems, ZWNJ and spaces between word parts do not count (core.collation).
        return search(queryset, self.search_fields, value)

    def filter_province(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{province_lookup(queryset.model)}__iso_code": value.strip().upper()})
