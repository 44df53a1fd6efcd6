"""Land and workshops in the API, read only: plots, land applications, allocation contracts, their
deadline extensions and transfers, plot holds, instalments, land payments, workshop leases,
programmes and their members (DESIGN.md, "Land and workshops").

Lists take the web list's filters (the land app's FilterSet classes, not a copy) and show what
`scope.restrict(..., 'view')` lets the user see, as the web lists do. Every change of these
records is one of the named actions of the web app (shahrak/land/actions.py: approve, sign, record a
payment, extend, transfer, terminate, complete, lease, end a lease...), which write their history in
the same transaction; the API does not offer a second way to write them.

An applicant's national code (or national legal ID), phone and tracking code are shown as the web
shows them: not in the list (the web's inbox table has none of them), in full on one application
(the web's application page shows every stored field to whoever may read it).
"""

import datetime as dt

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, viewsets

from shahrak.accounts.scope import restrict
from shahrak.land.filtersets import (
    ApplicationFilterSet,
    ContractExtensionFilterSet,
    ContractFilterSet,
    ContractTransferFilterSet,
    InstalmentFilterSet,
    LandPaymentFilterSet,
    LeaseFilterSet,
    PlotFilterSet,
    PlotHoldFilterSet,
    ProgrammeFilterSet,
    ProgrammeMemberFilterSet,
)
from shahrak.land.models import (
    UTILITIES,
    AllocationContract,
    Application,
    ContractExtension,
    ContractTransfer,
    HoldKind,
    Instalment,
    LandPayment,
    Plot,
    PlotHold,
    PlotStatus,
    Programme,
    ProgrammeMember,
    WorkshopLease,
)

from .pagination import KeysetPagination
from .permissions import ScopedPermission
from .views import UserLanguageMixin

# What the web's application page shows and its inbox (ApplicationTable) does not: the applicant's
# personal data. The code they follow the application with is nowhere: only its hash is stored.
PERSONAL_FIELDS = ("applicant_id", "phone")

WRITES = (
    "Read only: these records change only through the named actions of the web app (approve, sign, "
    "record a payment, extend, transfer, terminate, complete, lease, end a lease), each of which writes "
    "its history in the same transaction."
)


# --- serializers (read only: they only translate) ---------------------------------------------


class PlotSerializer(serializers.ModelSerializer):
    estate = serializers.CharField(source="estate.code")
    province = serializers.CharField(source="estate.county.province.iso_code")
    status = serializers.SerializerMethodField(
        help_text=gettext_lazy("Derived from the plot's holds, today.")
    )
    utilities = serializers.ListField(
        child=serializers.ChoiceField(choices=UTILITIES),
        help_text=gettext_lazy("The utilities in place."),
    )

    class Meta:
        model = Plot
        fields = [
            "id", "estate", "province", "code", "area_m2", "use", "utilities", "price_per_m2_rials",
            "status", "polygon",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=PlotStatus.choices))
    def get_status(self, obj) -> str:
        # Annotated on the list's query (PlotQuerySet.with_status); asked of a single plot otherwise.
        return getattr(obj, "status", None) or obj.status_on(timezone.localdate())


class ApplicationSerializer(serializers.ModelSerializer):
    """One land application in full, as its web page shows it."""

    estate = serializers.CharField(source="estate.code")
    province = serializers.CharField(source="estate.county.province.iso_code")
    isic = serializers.CharField(source="isic.code", allow_null=True)
    requested_plots = serializers.SerializerMethodField()
    contract = serializers.SerializerMethodField(help_text=gettext_lazy("The contract signed on it."))

    class Meta:
        model = Application
        fields = [
            "id", "estate", "province", "applicant_kind", "applicant_id", "name", "phone", "licence_number",
            "licence_date", "isic", "requested_area_m2", "requested_plots", "applied_date", "channel",
            "score", "criteria_scores", "status", "decided_date", "rejection_reason",
            "contract",
        ]  # fmt: skip
        read_only_fields = fields

    def get_requested_plots(self, obj) -> list[str]:
        return [plot.code for plot in obj.requested_plots.all()]

    def get_contract(self, obj) -> str | None:
        contract = getattr(obj, "contract", None)
        return contract.number if contract is not None else None


class ApplicationListSerializer(ApplicationSerializer):
    """A land application in a list: no personal data (PERSONAL_FIELDS), as in the web's inbox."""

    class Meta(ApplicationSerializer.Meta):
        fields = [f for f in ApplicationSerializer.Meta.fields if f not in PERSONAL_FIELDS]
        read_only_fields = fields


class ContractSerializer(serializers.ModelSerializer):
    estate = serializers.CharField(source="estate.code")
    province = serializers.CharField(source="estate.county.province.iso_code")
    holder = serializers.CharField(source="holder.national_id")
    holder_name = serializers.CharField(source="holder.name")
    application = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    plots = serializers.SerializerMethodField()
    deadline_today = serializers.SerializerMethodField(
        help_text=gettext_lazy("The construction deadline today, extensions included.")
    )

    class Meta:
        model = AllocationContract
        fields = [
            "id", "number", "application", "estate", "province", "holder", "holder_name", "plots",
            "signed_date", "area_m2", "discount_percent", "fee_rials", "cash_share_rials",
            "construction_deadline", "deadline_today", "status", "completed_date", "terminated_date",
            "termination_reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_plots(self, obj) -> list[str]:
        return sorted({hold.plot.code for hold in obj.holds.all() if hold.kind == HoldKind.CONTRACT})

    def get_deadline_today(self, obj) -> dt.date:
        # Annotated on the query (ContractQuerySet.with_deadline_on); asked of one contract otherwise.
        deadline = obj.__dict__.get("deadline_on")
        return deadline if isinstance(deadline, dt.date) else obj.deadline_on(timezone.localdate())


class _OfContract(serializers.ModelSerializer):
    """A record of one contract: named by the contract's number and its province."""

    contract = serializers.CharField(source="contract.number")
    province = serializers.CharField(source="contract.estate.county.province.iso_code")


class InstalmentSerializer(_OfContract):
    class Meta:
        model = Instalment
        fields = ["id", "contract", "province", "number", "due_date", "amount_rials"]
        read_only_fields = fields


class LandPaymentSerializer(_OfContract):
    class Meta:
        model = LandPayment
        fields = ["id", "contract", "province", "date", "amount_rials", "reference"]
        read_only_fields = fields


class LeaseSerializer(serializers.ModelSerializer):
    estate = serializers.CharField(source="workshop.estate.code")
    province = serializers.CharField(source="workshop.estate.county.province.iso_code")
    workshop = serializers.CharField(
        source="workshop.code", help_text=gettext_lazy("Its code in the estate.")
    )
    tenant = serializers.CharField(source="tenant.national_id")
    tenant_name = serializers.CharField(source="tenant.name")

    class Meta:
        model = WorkshopLease
        fields = [
            "id", "estate", "province", "workshop", "tenant", "tenant_name", "start_date", "end_date",
            "monthly_rent_rials",
        ]  # fmt: skip
        read_only_fields = fields


class ProgrammeSerializer(serializers.ModelSerializer):
    workshops = serializers.SerializerMethodField(help_text=gettext_lazy("Its member workshops."))

    class Meta:
        model = Programme
        fields = ["id", "code", "name_fa", "name_en", "target", "start_date", "end_date", "workshops"]
        read_only_fields = fields

    def get_workshops(self, obj) -> int:
        # Counted on the query (ProgrammeViewSet); counted here for a programme on its own.
        count = obj.__dict__.get("workshops_count")
        return obj.members.count() if count is None else count


class ContractExtensionSerializer(_OfContract):
    class Meta:
        model = ContractExtension
        fields = ["id", "contract", "province", "granted_date", "new_deadline", "reason"]
        read_only_fields = fields


class ContractTransferSerializer(_OfContract):
    from_holder = serializers.CharField(source="from_holder.national_id")
    to_holder = serializers.CharField(source="to_holder.national_id")

    class Meta:
        model = ContractTransfer
        fields = ["id", "contract", "province", "date", "from_holder", "to_holder", "reason"]
        read_only_fields = fields


class PlotHoldSerializer(serializers.ModelSerializer):
    estate = serializers.CharField(source="plot.estate.code")
    province = serializers.CharField(source="plot.estate.county.province.iso_code")
    plot = serializers.CharField(source="plot.code", help_text=gettext_lazy("Its code in the estate."))
    contract = serializers.CharField(source="contract.number", allow_null=True)

    class Meta:
        model = PlotHold
        fields = [
            "id", "estate", "province", "plot", "kind", "application", "contract", "start_date", "released_on",
            "release_reason",
        ]  # fmt: skip
        read_only_fields = fields


class ProgrammeMemberSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.code")
    estate = serializers.CharField(source="workshop.estate.code")
    province = serializers.CharField(source="workshop.estate.county.province.iso_code")
    workshop = serializers.CharField(
        source="workshop.code", help_text=gettext_lazy("Its code in the estate.")
    )

    class Meta:
        model = ProgrammeMember
        fields = ["id", "programme", "estate", "province", "workshop"]
        read_only_fields = fields


# --- viewsets ---------------------------------------------------------------------------------


class LandViewSet(UserLanguageMixin, viewsets.ReadOnlyModelViewSet):
    """List (with the web list's filters) and detail of one land record type, read only."""

    model = None
    related: tuple[str, ...] = ()
    permission_classes = [ScopedPermission]
    pagination_class = KeysetPagination
    filter_backends = [DjangoFilterBackend]

    @property
    def queryset(self):
        # For the schema generator and routers, which read the model from `queryset`.
        return self.model._default_manager.none()

    def base_queryset(self):
        manager = self.model._default_manager
        return manager.select_related(*self.related) if self.related else manager.all()

    def get_queryset(self):
        return restrict(self.base_queryset().order_by("id"), self.request.user, "view")

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise exceptions.NotFound(
                _("No %(record)s has this id.") % {"record": self.model._meta.verbose_name}
            ) from None


class PlotViewSet(LandViewSet):
    __doc__ = "Plots of land in estates; `status` is derived from the plot's holds, today. " + WRITES
    model = Plot
    related = ("estate__county__province",)
    serializer_class = PlotSerializer
    filterset_class = PlotFilterSet

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # The status filter has already annotated the day's status; otherwise annotate it here.
        if "status" not in queryset.query.annotations:
            queryset = queryset.with_status(timezone.localdate())
        return queryset


class ApplicationViewSet(LandViewSet):
    __doc__ = (
        "Applications for land. The list leaves out the applicant's national code (or national legal "
        "ID), phone and tracking code, as the web's inbox does; one application shows them, as its "
        "web page does. " + WRITES
    )
    model = Application
    related = ("estate__county__province", "isic", "contract")
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet

    def base_queryset(self):
        return super().base_queryset().prefetch_related("requested_plots")

    def get_serializer_class(self):
        return ApplicationListSerializer if self.action == "list" else self.serializer_class


class ContractViewSet(LandViewSet):
    __doc__ = (
        "Allocation (right-of-use) contracts, with their plots and today's construction deadline. " + WRITES
    )
    model = AllocationContract
    related = ("estate__county__province", "holder")
    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet

    def base_queryset(self):
        holds = PlotHold.objects.filter(kind=HoldKind.CONTRACT).select_related("plot")
        return (
            super()
            .base_queryset()
            .with_deadline_on(timezone.localdate())
            .prefetch_related(Prefetch("holds", queryset=holds))
        )


class InstalmentViewSet(LandViewSet):
    __doc__ = "Instalments due on the allocation contracts (number 0 is the cash share). " + WRITES
    model = Instalment
    related = ("contract__estate__county__province",)
    serializer_class = InstalmentSerializer
    filterset_class = InstalmentFilterSet


class LandPaymentViewSet(LandViewSet):
    __doc__ = "Payments received on the allocation contracts. " + WRITES
    model = LandPayment
    related = ("contract__estate__county__province",)
    serializer_class = LandPaymentSerializer
    filterset_class = LandPaymentFilterSet


class LeaseViewSet(LandViewSet):
    __doc__ = "Leases of workshops (the end is empty while a lease is open). " + WRITES
    model = WorkshopLease
    related = ("workshop__estate__county__province", "tenant")
    serializer_class = LeaseSerializer
    filterset_class = LeaseFilterSet


class ProgrammeViewSet(LandViewSet):
    __doc__ = "Programmes of workshops (such as the 1,000-workshop plan) and their member counts. " + WRITES
    model = Programme
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet

    def base_queryset(self):
        return super().base_queryset().annotate(workshops_count=Count("members"))


class ContractExtensionViewSet(LandViewSet):
    __doc__ = "Extensions of the contracts' construction deadlines, with their reasons. " + WRITES
    model = ContractExtension
    related = ("contract__estate__county__province",)
    serializer_class = ContractExtensionSerializer
    filterset_class = ContractExtensionFilterSet


class ContractTransferViewSet(LandViewSet):
    __doc__ = (
        "Transfers of contracts to another holder (national IDs of the holders before and after). " + WRITES
    )
    model = ContractTransfer
    related = ("contract__estate__county__province", "from_holder", "to_holder")
    serializer_class = ContractTransferSerializer
    filterset_class = ContractTransferFilterSet


class PlotHoldViewSet(LandViewSet):
    __doc__ = (
        "Holds of plots: reservations by approved applications and contracts' holds, from `start_date` "
        "until `released_on` (the first day no longer held). A plot's status is derived from them. " + WRITES
    )
    model = PlotHold
    related = ("plot__estate__county__province", "contract")
    serializer_class = PlotHoldSerializer
    filterset_class = PlotHoldFilterSet


class ProgrammeMemberViewSet(LandViewSet):
    __doc__ = "The member workshops of the programmes, each where it is. " + WRITES
    model = ProgrammeMember
    related = ("programme", "workshop__estate__county__province")
    serializer_class = ProgrammeMemberSerializer
    filterset_class = ProgrammeMemberFilterSet


# URL prefix (that of the web's land pages) → (URL name, viewset).
LAND_VIEWSETS = {
    "land/plots": ("land_plots", PlotViewSet),
    "land/applications": ("land_applications", ApplicationViewSet),
    "land/contracts": ("land_contracts", ContractViewSet),
    "land/instalments": ("land_instalments", InstalmentViewSet),
    "land/payments": ("land_payments", LandPaymentViewSet),
    "land/leases": ("land_leases", LeaseViewSet),
    "land/programmes": ("land_programmes", ProgrammeViewSet),
    "land/programme-members": ("land_programme_members", ProgrammeMemberViewSet),
    "land/extensions": ("land_extensions", ContractExtensionViewSet),
    "land/transfers": ("land_transfers", ContractTransferViewSet),
    "land/holds": ("land_holds", PlotHoldViewSet),
}
