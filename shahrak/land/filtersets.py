import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.core.filters import JalaliDateFilter, SearchFilterSet, ShahrakFilterSet

from .models import (
    AllocationContract,
    ApplicationStatus,
    ContractExtension,
    ContractStatus,
    ContractTransfer,
    HoldKind,
    Instalment,
    LandPayment,
    Plot,
    PlotHold,
    PlotStatus,
    PlotUse,
    Programme,
    ProgrammeMember,
    WorkshopLease,
)
from .models import Application as LandApplication


class PlotFilterSet(SearchFilterSet):
    search_fields = ("code", "estate__code", "estate__name_fa")
    estate = django_filters.CharFilter(field_name="estate__code", label=_("Estate (code)"))
    use = django_filters.ChoiceFilter(choices=PlotUse.choices, label=_("Use"))
    status = django_filters.ChoiceFilter(
        choices=PlotStatus.choices, method="filter_status", label=_("Status today")
    )
    serviced = django_filters.BooleanFilter(method="filter_serviced", label=_("Every utility in place"))

    class Meta:
        model = Plot
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.with_status(timezone.localdate()).filter(status=value) if value else queryset

    def filter_serviced(self, queryset, name, value):
        if value is None:
            return queryset
        serviced = queryset.fully_serviced()
        return serviced if value else queryset.exclude(pk__in=serviced.values("pk"))


class ApplicationFilterSet(SearchFilterSet):
    search_fields = ("name", "applicant_id", "estate__code", "estate__name_fa")
    estate = django_filters.CharFilter(field_name="estate__code", label=_("Estate (code)"))
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label=_("Status"))
    applied_from = JalaliDateFilter(field_name="applied_date", lookup_expr="gte", label=_("Applied from"))
    applied_to = JalaliDateFilter(field_name="applied_date", lookup_expr="lte", label=_("Applied to"))

    class Meta:
        model = LandApplication
        fields = ["channel"]


class ContractFilterSet(SearchFilterSet):
    search_fields = ("number", "holder__name", "holder__national_id", "estate__code", "estate__name_fa")
    estate = django_filters.CharFilter(field_name="estate__code", label=_("Estate (code)"))
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices, label=_("Status"))
    stalled = django_filters.BooleanFilter(
        method="filter_stalled", label=_("Past its construction deadline today")
    )
    signed_from = JalaliDateFilter(field_name="signed_date", lookup_expr="gte", label=_("Signed from"))
    signed_to = JalaliDateFilter(field_name="signed_date", lookup_expr="lte", label=_("Signed to"))

    class Meta:
        model = AllocationContract
        fields = []

    def filter_stalled(self, queryset, name, value):
        if value is None:
            return queryset
        stalled = AllocationContract.objects.stalled_on(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=stalled) if value else queryset.exclude(pk__in=stalled)


class InstalmentFilterSet(SearchFilterSet):
    search_fields = ("contract__number",)
    contract = django_filters.CharFilter(field_name="contract__number", label=_("Contract (number)"))
    due_from = JalaliDateFilter(field_name="due_date", lookup_expr="gte", label=_("Due from"))
    due_to = JalaliDateFilter(field_name="due_date", lookup_expr="lte", label=_("Due to"))

    class Meta:
        model = Instalment
        fields = []


class LandPaymentFilterSet(SearchFilterSet):
    search_fields = ("contract__number", "reference")
    contract = django_filters.CharFilter(field_name="contract__number", label=_("Contract (number)"))
    date_from = JalaliDateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = JalaliDateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = LandPayment
        fields = []


class LeaseFilterSet(SearchFilterSet):
    search_fields = ("workshop__code", "workshop__estate__code", "tenant__name", "tenant__national_id")
    estate = django_filters.CharFilter(field_name="workshop__estate__code", label=_("Estate (code)"))
    open = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label=_("Open"))

    class Meta:
        model = WorkshopLease
        fields = []


class ProgrammeFilterSet(ShahrakFilterSet):
    q = django_filters.CharFilter(field_name="name_fa", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = Programme
        fields = []


class ProgrammeMemberFilterSet(SearchFilterSet):
    search_fields = (
        "workshop__code",
        "workshop__estate__code",
        "workshop__estate__name_fa",
        "programme__code",
    )
    programme = django_filters.CharFilter(field_name="programme__code", label=_("Programme (code)"))
    estate = django_filters.CharFilter(field_name="workshop__estate__code", label=_("Estate (code)"))

    class Meta:
        model = ProgrammeMember
        fields = []


class ContractExtensionFilterSet(SearchFilterSet):
    search_fields = ("contract__number", "reason")
    contract = django_filters.CharFilter(field_name="contract__number", label=_("Contract (number)"))
    estate = django_filters.CharFilter(field_name="contract__estate__code", label=_("Estate (code)"))
    granted_from = JalaliDateFilter(field_name="granted_date", lookup_expr="gte", label=_("Granted from"))
    granted_to = JalaliDateFilter(field_name="granted_date", lookup_expr="lte", label=_("Granted to"))

    class Meta:
        model = ContractExtension
        fields = []


class ContractTransferFilterSet(SearchFilterSet):
    search_fields = (
        "contract__number", "from_holder__name", "from_holder__national_id", "to_holder__name",
        "to_holder__national_id",
    )  # fmt: skip
    contract = django_filters.CharFilter(field_name="contract__number", label=_("Contract (number)"))
    estate = django_filters.CharFilter(field_name="contract__estate__code", label=_("Estate (code)"))
    date_from = JalaliDateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = JalaliDateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = ContractTransfer
        fields = []


class PlotHoldFilterSet(SearchFilterSet):
    search_fields = ("plot__code", "plot__estate__code", "contract__number")
    estate = django_filters.CharFilter(field_name="plot__estate__code", label=_("Estate (code)"))
    plot = django_filters.CharFilter(field_name="plot__code", label=_("Plot (code)"))
    contract = django_filters.CharFilter(field_name="contract__number", label=_("Contract (number)"))
    kind = django_filters.ChoiceFilter(choices=HoldKind.choices, label=_("Kind"))
    start_from = JalaliDateFilter(field_name="start_date", lookup_expr="gte", label=_("Held from"))
    start_to = JalaliDateFilter(field_name="start_date", lookup_expr="lte", label=_("Held to"))

    class Meta:
        model = PlotHold
        fields = []
