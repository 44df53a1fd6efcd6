import django_filters
from django.utils.translation import gettext_lazy as _

from shahrak.core.filters import JalaliDateFilter, SearchFilterSet

from .models import Category, DevelopmentProject, Disbursement, FundingSource, PlannedDisbursement


class DevelopmentProjectFilterSet(SearchFilterSet):
    search_fields = ("code", "title", "title_en", "estate__code", "estate__name_fa")
    estate = django_filters.CharFilter(field_name="estate__code", label=_("Estate (code)"))
    underway_on = JalaliDateFilter(method="filter_underway", label=_("Underway on"))

    class Meta:
        model = DevelopmentProject
        fields = ["category", "status", "funding_source"]

    def filter_underway(self, queryset, name, value):
        return queryset.underway_on(value) if value else queryset


class DisbursementFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__title", "reference")
    project = django_filters.CharFilter(field_name="project__code", label=_("Project (code)"))
    estate = django_filters.CharFilter(field_name="project__estate__code", label=_("Estate (code)"))
    category = django_filters.ChoiceFilter(
        field_name="project__category", choices=Category.choices, label=_("Category")
    )
    funding_source = django_filters.ChoiceFilter(choices=FundingSource.choices, label=_("Funding source"))
    date_from = JalaliDateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = JalaliDateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Disbursement
        fields = []


class PlannedDisbursementFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__title")
    project = django_filters.CharFilter(field_name="project__code", label=_("Project (code)"))
    category = django_filters.ChoiceFilter(
        field_name="project__category", choices=Category.choices, label=_("Category")
    )

    class Meta:
        model = PlannedDisbursement
        fields = ["year", "month"]
