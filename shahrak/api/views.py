"""REST API views: one viewset per record type, the figures, token sign-in.

Lists take the web list's filters (the same FilterSet classes), and show what
`scope.restrict(..., 'view')` lets the user see; writes go through the serializers to the one
write path. Figures come from the metrics engine only (`metrics_payload`, the CLI's JSON).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import ProtectedError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shahrak.accounts.scope import restrict
from shahrak.imports.resources import RESOURCES
from shahrak.records.actions import delete_record

from . import serializers as s
from .pagination import KeysetPagination
from .permissions import ScopedPermission


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class UserLanguageMixin:
    """Answer in the signed-in user's language. Token users are known only once DRF has
    authenticated them, after the middleware that does this for the web has run."""

    def perform_authentication(self, request):
        super().perform_authentication(request)
        language = getattr(request.user, "language", None)
        if request.user.is_authenticated and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language


class RecordViewSet(UserLanguageMixin, viewsets.ModelViewSet):
    """List (with the web's filters), detail, create, update and delete of one record type."""

    resource = ""
    serializer_class = None
    permission_classes = [ScopedPermission]
    pagination_class = KeysetPagination
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    @property
    def filterset_class(self):
        return RESOURCES[self.resource].filterset

    @property
    def queryset(self):
        # For the schema generator and routers, which read the model from `queryset`.
        return RESOURCES[self.resource].model._default_manager.none()

    def get_queryset(self):
        resource = RESOURCES[self.resource]
        manager = resource.model._default_manager
        queryset = (
            manager.select_related(*resource.related) if resource.related else manager.all()
        ).order_by("id")
        return restrict(queryset, self.request.user, "view")

    def get_object(self):
        # Django's 404 names the model in code («No ProductionUnit matches the given query.»).
        try:
            return super().get_object()
        except Http404:
            raise exceptions.NotFound(
                _("No %(record)s has this id.")
                % {"record": RESOURCES[self.resource].model._meta.verbose_name}
            ) from None

    def perform_destroy(self, instance):
        try:
            delete_record(instance, actor=self.request.user, reason=_("deleted through the API"))
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        except ProtectedError as error:
            names = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
            raise Conflict(
                _("Other records still refer to this one (%(records)s); change or delete them first.")
                % {"records": ", ".join(names)}
            ) from None


class ReferenceViewSet(RecordViewSet):
    """Reference data that ships with the project (`shahrak load_reference`): read only in the API.
    Counties' less-developed status is kept by import and the web, with its source."""

    http_method_names = ["get", "head", "options"]


class ProvinceViewSet(ReferenceViewSet):
    """Provinces (reference data, read only)."""

    resource = "provinces"
    serializer_class = s.ProvinceSerializer


class CountyViewSet(ReferenceViewSet):
    """Counties and their less-developed status (reference data, read only)."""

    resource = "counties"
    serializer_class = s.CountySerializer


class EstateViewSet(RecordViewSet):
    """Industrial estates (parks and zones)."""

    resource = "estates"
    serializer_class = s.EstateSerializer


class WorkshopUnitViewSet(RecordViewSet):
    """Workshop units built in estates."""

    resource = "workshops"
    serializer_class = s.WorkshopUnitSerializer


class ProductionUnitViewSet(RecordViewSet):
    """Production units (written by national ID in references)."""

    resource = "units"
    serializer_class = s.ProductionUnitSerializer


class UnitEventViewSet(RecordViewSet):
    """Dated events of production units: established, idled, revived, closed."""

    resource = "events"
    serializer_class = s.UnitEventSerializer


class DevelopmentProjectViewSet(RecordViewSet):
    """Development (infrastructure) projects in estates."""

    resource = "projects"
    serializer_class = s.DevelopmentProjectSerializer


class DisbursementViewSet(RecordViewSet):
    """Payments made for projects."""

    resource = "disbursements"
    serializer_class = s.DisbursementSerializer


class PlannedDisbursementViewSet(RecordViewSet):
    """Planned payments by Solar Hijri month."""

    resource = "planned"
    serializer_class = s.PlannedDisbursementSerializer


class TargetViewSet(RecordViewSet):
    """Targets the organization sets itself."""

    resource = "targets"
    serializer_class = s.TargetSerializer


class ExchangeRateViewSet(RecordViewSet):
    """Exchange rates: rials per unit of a currency, by date and source."""

    resource = "rates"
    serializer_class = s.ExchangeRateSerializer


VIEWSETS = {
    viewset.resource: viewset
    for viewset in (
        ProvinceViewSet,
        CountyViewSet,
        EstateViewSet,
        WorkshopUnitViewSet,
        ProductionUnitViewSet,
        UnitEventViewSet,
        DevelopmentProjectViewSet,
        DisbursementViewSet,
        PlannedDisbursementViewSet,
        TargetViewSet,
        ExchangeRateViewSet,
    )
}


class MetricsQuery(serializers.Serializer):
    """The query of /api/metrics/: the CLI's options (`shahrak metrics`)."""

    from_ = serializers.CharField(required=False, help_text="first day, e.g. 1401-01-01")
    to = serializers.CharField(required=False, help_text="last day (included), e.g. 1401-09-30")
    year = serializers.IntegerField(required=False, help_text="a whole Iranian year (1300 to 1500)")
    calendar = serializers.ChoiceField(choices=["jalali", "gregorian"], default="jalali")
    scope = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="IR-NN, a 4-digit county code or an estate code",
    )
    estate_kind = serializers.CharField(required=False, allow_blank=True, default="")
    deprived_only = serializers.BooleanField(required=False, default=False)
    rate_source = serializers.CharField(
        required=False, default="", help_text="default: SHAHRAK DEFAULT_RATE_SOURCE"
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs):
        from shahrak.core.jalali import InvalidDate, parse_period
        from shahrak.estates.models import EstateKind
        from shahrak.estates.scope import parse_scope
        from shahrak.money.models import RateSource
        from shahrak.regions.scope import UnknownScope

        if attrs.get("year") is None and not (attrs.get("from") and attrs.get("to")):
            raise serializers.ValidationError({"from": _("Give from and to, or a year.")})
        try:
            period = parse_period(
                year=attrs.get("year"),
                start=attrs.get("from"),
                end=attrs.get("to"),
                calendar=attrs["calendar"],
            )
        except InvalidDate as error:
            field = "year" if attrs.get("year") is not None else "from"
            raise serializers.ValidationError({field: str(error)}) from None
        try:
            scope = parse_scope(attrs.get("scope") or "")
        except UnknownScope as error:
            raise serializers.ValidationError({"scope": str(error)}) from None
        if attrs["estate_kind"] and attrs["estate_kind"] not in EstateKind.values:
            raise serializers.ValidationError(
                {"estate_kind": _("One of: %(values)s") % {"values": ", ".join(EstateKind.values)}}
            )
        if attrs["rate_source"] and attrs["rate_source"] not in RateSource.values:
            raise serializers.ValidationError(
                {"rate_source": _("One of: %(values)s") % {"values": ", ".join(RateSource.values)}}
            )
        return {**attrs, "period": period, "scope_obj": scope}


class MetricsView(UserLanguageMixin, APIView):
    """Every figure for a period, scope and filters: the same JSON as `shahrak metrics --format json`."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.STR, description="first day, e.g. 1401-01-01"),
            OpenApiParameter("to", OpenApiTypes.STR, description="last day (included), e.g. 1401-09-30"),
            OpenApiParameter(
                "year", OpenApiTypes.INT, description="a whole Iranian year, instead of from/to"
            ),
            OpenApiParameter("calendar", OpenApiTypes.STR, enum=["jalali", "gregorian"]),
            OpenApiParameter(
                "scope", OpenApiTypes.STR, description="IR-NN province, 4-digit county or estate code"
            ),
            OpenApiParameter("estate_kind", OpenApiTypes.STR),
            OpenApiParameter("deprived_only", OpenApiTypes.BOOL),
            OpenApiParameter("rate_source", OpenApiTypes.STR),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        from shahrak.metrics.engine import Filters
        from shahrak.metrics.serialize import metrics_payload

        query = MetricsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = Filters(
            estate_kind=data["estate_kind"] or None,
            deprived_only=data["deprived_only"],
            rate_source=data["rate_source"] or None,
        )
        return Response(metrics_payload(data["period"], data["scope_obj"], filters))
