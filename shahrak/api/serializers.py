"""One serializer per record type. References are written by natural key (an estate's code, a
unit's national ID, a county's SCI code), as in the spreadsheets.

Serializers only translate: every write goes through `shahrak.records.actions.save_record` (model
validation, the user's province scope, history) or, for unit events, `units.actions`.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings

from shahrak.core.forms import CODE_FIELD_NAMES
from shahrak.core.text import is_blank_text, normalize, normalize_text
from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.imports.constraints import violations
from shahrak.money.models import ExchangeRate
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement
from shahrak.records.actions import save_record
from shahrak.regions.models import County, Province
from shahrak.targets.models import Target
from shahrak.units.models import IsicClass, ProductionUnit, UnitEvent


def drf_validation_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A model's ValidationError as DRF's, with '__all__' under non_field_errors."""
    if hasattr(error, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key): value
            for key, value in error.message_dict.items()
        }
        return serializers.ValidationError(detail)
    return serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})


class TextField(serializers.CharField):
    """Free text kept as typed (digits, spaces, ZWNJ), Arabic ي/ك read as Persian ی/ک, as in forms."""

    normalise = staticmethod(normalize_text)

    def run_validation(self, data=serializers.empty):
        # Text that shows nothing (a name of ZWNJs) is blank, and refused as blank (core.text).
        if isinstance(data, str) and is_blank_text(data):
            data = ""
        return super().run_validation(data)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return self.normalise(value) if value else value


class CodeField(TextField):
    """A code or identifier in any digits: digits made Latin."""

    normalise = staticmethod(normalize)


class CodeRelatedField(serializers.SlugRelatedField):
    """A reference by natural key, typed in any digits. A key no record has is refused in the
    importer's words, naming the record type and its key as a person calls them (DRF's message names
    the field in code: «Object with sci_code=9999 does not exist»)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, int)):
            self.fail("invalid")
        try:
            return super().to_internal_value(normalize(data) if isinstance(data, str) else data)
        except serializers.ValidationError as error:
            if getattr(error.detail[0], "code", "") != "does_not_exist":
                raise
            model = self.get_queryset().model
            raise serializers.ValidationError(
                _("No %(record)s has the %(key)s «%(value)s».")
                % {
                    "record": model._meta.verbose_name,
                    "key": model._meta.get_field(self.slug_field).verbose_name,
                    "value": data,
                },
                code="does_not_exist",
            ) from None


def ref(model, slug_field: str, **kwargs):
    return CodeRelatedField(slug_field=slug_field, queryset=model._default_manager.all(), **kwargs)


class GregorianDateField(serializers.DateField):
    """An ISO 8601 Gregorian date. A year before 1900 is a Solar Hijri date sent by mistake (the
    importer and the web read Solar Hijri, the API does not): say so instead of storing AD 1401."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if day.year < 1900:
            raise serializers.ValidationError(
                _(
                    "%(value)s looks like a Solar Hijri date; the API takes Gregorian dates in ISO 8601 (YYYY-MM-DD), such as 2022-08-03."
                )
                % {"value": day.isoformat()},
                code="solar_hijri_date",
            )
        return day


class RecordSerializer(serializers.ModelSerializer):
    """Writes through the one write path, as the request's user."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: GregorianDateField,
    }

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        # DRF turns the model's Min/MaxValueValidator into min_value/max_value with its own words;
        # keep the limits (the schema shows them) and the model's message, where it has its own.
        for validator in model_field.validators:
            for kind, cls in (("min_value", MinValueValidator), ("max_value", MaxValueValidator)):
                if isinstance(validator, cls) and kind in kwargs and validator.message is not cls.message:
                    kwargs.setdefault("error_messages", {})[kind] = validator.message
        # Text is kept as typed, codes read in any digits (core.text), as in forms and imports.
        if field_class is serializers.CharField:
            field_class = CodeField if field_name in CODE_FIELD_NAMES else TextField
        return field_class, kwargs

    def actor(self):
        return self.context["request"].user

    def create(self, validated_data):
        return self.write(self.Meta.model(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.write(instance)

    def write(self, instance):
        try:
            self.before_save(instance)
            self.check_rules(instance)
            return save_record(instance, actor=self.actor(), reason=_("changed through the API"))
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None

    def before_save(self, instance) -> None:
        """Rules of the record type that the model's own validation does not hold."""

    def check_rules(self, instance) -> None:
        """The model's CheckConstraints, with the messages imports give (not "Constraint … is violated")."""
        errors = {}
        for _constraint, fields, message in violations(instance):
            name = next((f for f in fields if f in self.fields and not self.fields[f].read_only), None)
            errors.setdefault(name or api_settings.NON_FIELD_ERRORS_KEY, []).append(message)
        if errors:
            raise serializers.ValidationError(errors)


class ProvinceSerializer(RecordSerializer):
    class Meta:
        model = Province
        fields = ["id", "iso_code", "sci_code", "name_fa", "name_en", "population"]


class CountySerializer(RecordSerializer):
    province = ref(Province, "iso_code")

    class Meta:
        model = County
        fields = [
            "id", "sci_code", "province", "name_fa", "name_en", "population", "urban_population",
            "deprivation", "deprivation_basis", "deprivation_source", "size_class",
        ]  # fmt: skip
        validators = []  # uniqueness is checked by the model, through save_record


class EstateSerializer(RecordSerializer):
    county = ref(County, "sci_code")
    province = serializers.CharField(source="county.province.iso_code", read_only=True)

    class Meta:
        model = Estate
        fields = [
            "id", "code", "name_fa", "name_en", "kind", "county", "province", "status", "licence_date",
            "operational_date", "gross_area_ha", "industrial_area_ha", "allocated_area_ha", "latitude", "longitude",
        ]  # fmt: skip
        validators = []


class WorkshopUnitSerializer(RecordSerializer):
    estate = ref(Estate, "code")
    occupant = ref(ProductionUnit, "national_id", required=False, allow_null=True)

    class Meta:
        model = WorkshopUnit
        fields = [
            "id", "estate", "code", "floor_area_m2", "planned_date", "construction_started", "completed_date",
            "opened_date", "occupant",
        ]  # fmt: skip
        validators = []


class ProductionUnitSerializer(RecordSerializer):
    estate = ref(Estate, "code", required=False, allow_null=True)
    county = ref(
        County,
        "sci_code",
        required=False,
        allow_null=True,
        help_text=_("Set from the estate for units in an estate."),
    )
    isic = ref(IsicClass, "code")
    province = serializers.CharField(source="county.province.iso_code", read_only=True)
    size_class = serializers.CharField(read_only=True)

    class Meta:
        model = ProductionUnit
        fields = [
            "id", "national_id", "name", "estate", "county", "province", "isic", "knowledge_based_since",
            "employees", "size_class",
        ]  # fmt: skip
        validators = []


class UnitEventSerializer(RecordSerializer):
    unit = ref(ProductionUnit, "national_id")

    class Meta:
        model = UnitEvent
        fields = ["id", "unit", "date", "kind", "cause", "jobs"]
        validators = []


class DevelopmentProjectSerializer(RecordSerializer):
    estate = ref(Estate, "code")
    province = serializers.CharField(source="estate.county.province.iso_code", read_only=True)

    class Meta:
        model = DevelopmentProject
        fields = [
            "id", "code", "estate", "province", "title", "title_en", "category", "credit_rials", "funding_source",
            "approved_date", "start_date", "planned_end_date", "actual_end_date", "physical_progress", "status",
            "stopped_date",
        ]  # fmt: skip
        validators = []


class DisbursementSerializer(RecordSerializer):
    project = ref(DevelopmentProject, "code")
    warnings = serializers.SerializerMethodField(
        help_text=_("What the write accepted but asks you to check (a payment outside its project's dates).")
    )

    class Meta:
        model = Disbursement
        fields = ["id", "project", "date", "amount_rials", "funding_source", "reference", "warnings"]
        validators = []

    def get_warnings(self, obj) -> list[str]:
        return [str(message) for message in getattr(obj, "write_warnings", [])]


class PlannedDisbursementSerializer(RecordSerializer):
    project = ref(DevelopmentProject, "code")

    class Meta:
        model = PlannedDisbursement
        fields = ["id", "project", "year", "month", "month_start", "amount_rials"]
        read_only_fields = ["month_start"]
        validators = []


class TargetSerializer(RecordSerializer):
    province = ref(
        Province, "iso_code", required=False, allow_null=True, help_text=_("Empty for a national target.")
    )

    class Meta:
        model = Target
        fields = ["id", "metric", "year", "start_date", "end_date", "province", "value", "note"]
        validators = []


class ExchangeRateSerializer(RecordSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["id", "date", "currency", "source", "rials_per_unit"]
        validators = []
