import django_filters
from django.utils.translation import gettext_lazy as _

from shahrak.core.filters import JalaliDateFilter, SearchFilterSet
from shahrak.estates.models import EstateKind

from .models import (
    EventKind,
    IdleCause,
    ProductionUnit,
    SizeClass,
    TechIntensity,
    UnitEvent,
    size_class_expression,
)


class ProductionUnitFilterSet(SearchFilterSet):
    search_fields = ("national_id", "name")
    county = django_filters.CharFilter(field_name="county__sci_code", label=_("County (SCI code)"))
    estate = django_filters.CharFilter(field_name="estate__code", label=_("Estate (code)"))
    estate_kind = django_filters.ChoiceFilter(
        field_name="estate__kind", choices=EstateKind.choices, label=_("Estate kind")
    )
    isic = django_filters.CharFilter(field_name="isic__code", label=_("ISIC class"))
    tech_intensity = django_filters.ChoiceFilter(
        field_name="isic__tech_intensity", choices=TechIntensity.choices, label=_("Technology intensity")
    )
    knowledge_based = django_filters.BooleanFilter(
        field_name="knowledge_based_since", lookup_expr="isnull", exclude=True, label=_("Knowledge-based")
    )
    size_class = django_filters.ChoiceFilter(
        choices=SizeClass.choices, method="filter_size", label=_("Size class")
    )

    class Meta:
        model = ProductionUnit
        fields = []

    def filter_size(self, queryset, name, value):
        return queryset.annotate(_size=size_class_expression()).filter(_size=value) if value else queryset


class UnitEventFilterSet(SearchFilterSet):
    search_fields = ("unit__national_id", "unit__name")
    unit = django_filters.CharFilter(field_name="unit__national_id", label=_("Unit (national ID)"))
    estate = django_filters.CharFilter(field_name="unit__estate__code", label=_("Estate (code)"))
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Event"))
    cause = django_filters.ChoiceFilter(choices=IdleCause.choices, label=_("Cause"))
    date_from = JalaliDateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = JalaliDateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = UnitEvent
        fields = []
