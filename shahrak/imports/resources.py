"""Record types as spreadsheets: columns, natural keys and the few rules that span several cells.

One Resource per record type. Imports, exports, templates and docs/data-format.md all read the
same definitions, so a column exported is a column that imports back unchanged.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shahrak.core import jalali
from shahrak.core.validators import FIRST_IRANIAN_YEAR, LAST_IRANIAN_YEAR
from shahrak.estates.models import Estate, EstateKind, EstateStatus, WorkshopUnit
from shahrak.land.models import (
    AllocationContract,
    ApplicantKind,
    Application,
    ApplicationStatus,
    Channel,
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
    validate_polygon,
)
from shahrak.money.models import ExchangeRate, RateSource
from shahrak.projects.models import (
    Category,
    DevelopmentProject,
    Disbursement,
    FundingSource,
    PlannedDisbursement,
    ProjectStatus,
)
from shahrak.regions.models import County, DeprivationBasis, DeprivationStatus, Province
from shahrak.targets.models import Target, TargetMetric
from shahrak.ui import format as fmt
from shahrak.units.models import (
    EventKind,
    IdleCause,
    IsicClass,
    ProductionUnit,
    UnitEvent,
    event_order_errors,
)

from .columns import (
    BooleanColumn,
    CellError,
    ChoiceColumn,
    CodeColumn,
    CodeListColumn,
    Column,
    DateColumn,
    DecimalColumn,
    EstateCodeRefColumn,
    ForeignKeyColumn,
    GeoJsonColumn,
    IntegerColumn,
    NationalIdColumn,
    RialsColumn,
    TextColumn,
)

LOOKUP_CHUNK = 5000  # keys per `IN (...)` query: under SQLite's variable limit


class Resource:
    """A record type's spreadsheet: columns, natural key, where its records are."""

    slug = ""
    model = None
    columns: list[Column] = []
    key: tuple[str, ...] = ()
    key_help = ""
    # Key columns a file may leave out, each with the columns that stand in for it (none: it may be
    # absent, as a payment's reference): a target's dates come from its year. Every other key column
    # must be in the header; importing and recognising a file's record type both ask `missing_key`.
    key_stand_ins: dict[str, tuple[str, ...]] = {}
    # The column that decides which province a row is in (named in scope errors).
    location_column = ""
    importable = True
    # Why an exported-only type is not imported (docs/data-format.md says it); empty: reference data.
    not_imported_because = ""
    creatable = True
    related = ()  # select_related paths for exports and for scope checks
    filterset_path = ""  # the web list's FilterSet, used by the API and by `shahrak export`

    def __init__(self):
        self.by_name = {c.name: c for c in self.columns}
        for column in self.columns:
            bind(column, self.model)

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def title_in(self, lang: str) -> str:
        from django.utils import translation

        with translation.override(lang):
            return str(self.model._meta.verbose_name_plural)

    @property
    def filterset(self):
        """The web list's FilterSet class (None if the list has none). A wrong path is an error, not
        a silently unfiltered API list."""
        from django.utils.module_loading import import_string

        return import_string(self.filterset_path) if self.filterset_path else None

    @property
    def writable_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.readonly]

    def queryset(self):
        return self.model._default_manager.select_related(*self.related)

    def export_queryset(self, queryset):
        """The queryset an export reads: the related records it writes, fetched with it."""
        return queryset.select_related(*self.related) if self.related else queryset

    # Natural keys ------------------------------------------------------------------------
    def missing_key(self, named: set[str]) -> list[str]:
        """The key columns a header naming these columns lacks, with nothing to stand in for them."""
        return [
            name
            for name in self.key
            if name not in named
            and not (name in self.key_stand_ins and set(self.key_stand_ins[name]) <= named)
        ]

    def key_of_values(self, values: dict) -> tuple:
        """The natural key of a parsed row (foreign keys resolved to objects)."""
        return tuple(_key_part(values.get(name)) for name in self.key)

    def key_of_object(self, obj) -> tuple:
        parts = []
        for name in self.key:
            column = self.by_name[name]
            parts.append(
                getattr(obj, column.attname)
                if isinstance(column, ForeignKeyColumn)
                else getattr(obj, column.field)
            )
        return tuple(parts)

    def existing(self, keys: list[tuple]) -> tuple[dict, set]:
        """Stored records by natural key, and the keys that match more than one record."""
        found, ambiguous = {}, set()
        unique_first = sorted({k[0] for k in keys}, key=str)
        first = self.by_name[self.key[0]]
        field = first.attname if isinstance(first, ForeignKeyColumn) else first.field
        wanted = set(keys)
        for queryset in _matching(self.model, field, unique_first):
            for obj in _instances(queryset):
                key = self.key_of_object(obj)
                if key in wanted:
                    if key in found:
                        ambiguous.add(key)
                    found[key] = obj
        return found, ambiguous

    # Rules over several cells --------------------------------------------------------------
    def complete(self, values: dict, present: set[str]) -> list[tuple[str, str]]:
        """Derive values before the key is taken; returns (column, message) errors."""
        return []

    def prepare(self, obj, values: dict, present: set[str]) -> list[tuple[str, str]]:
        """Set derived fields on the object about to be saved; returns (column, message) errors."""
        return []

    def check_batch(self, rows: list) -> dict[int, list[tuple[str, str]]]:
        """Rules across rows and stored records; returns errors by row index."""
        return {}

    def after_write(self, created: list, updated: list, *, user, reason: str, when) -> None:
        """Write what goes with the rows just written (in the import's transaction)."""


def _matching(model, field: str, values: list):
    """Querysets that together select the records whose field is one of the values."""
    from django.db import connection

    manager = model._default_manager
    if connection.vendor == "postgresql":
        # One query with the values as an array: no limit on parameters, and PostgreSQL plans an
        # array far faster than 20 IN lists of 5,000 literals.
        column = connection.ops.quote_name(model._meta.get_field(field).column)
        table = connection.ops.quote_name(model._meta.db_table)
        return [manager.extra(where=[f"{table}.{column} = ANY(%s)"], params=[list(values)])]
    return [
        manager.filter(**{f"{field}__in": values[i : i + LOOKUP_CHUNK]})
        for i in range(0, len(values), LOOKUP_CHUNK)
    ]


def _instances(queryset):
    """The queryset's records as model instances, built from plain rows: for 100,000 stored
    records Django's per-row from_db() costs more than the query (no signals or hooks are needed:
    these copies are only compared, cloned and saved through the bulk writer)."""
    from django.db.models.base import ModelState

    model = queryset.model
    attnames = [f.attname for f in model._meta.concrete_fields]
    alias = queryset.db
    for values in queryset.values_list(*attnames):
        obj = model.__new__(model)
        obj.__dict__.update(zip(attnames, values, strict=True))
        state = obj._state = ModelState()
        state.adding, state.db = False, alias
        yield obj


def _key_part(value):
    return value.pk if hasattr(value, "_meta") else value


def bind(column: Column, model) -> None:
    """Take a column's limits from its model field, so the rule stays written once, in the model."""
    if column.readonly:
        column.required = False
        return
    try:
        field = model._meta.get_field(column.field)
    except Exception:
        column.required = bool(column.required)
        return
    if isinstance(column, TextColumn) and getattr(field, "max_length", None):
        column.max_length = field.max_length
    if isinstance(column, DecimalColumn) and getattr(field, "max_digits", None):
        column.max_digits, column.decimal_places = field.max_digits, field.decimal_places
    for validator in field.validators:
        if isinstance(validator, MinValueValidator) and isinstance(column, (IntegerColumn, DecimalColumn)):
            limit = validator.limit_value
            column.min_value = limit if column.min_value is None else max(column.min_value, limit)
        if isinstance(validator, MaxValueValidator) and isinstance(column, (IntegerColumn, DecimalColumn)):
            limit = validator.limit_value
            column.max_value = limit if column.max_value is None else min(column.max_value, limit)
    if column.required is None:
        column.required = not field.null and not field.blank and not field.has_default()


def _province_of(path):
    def get(obj):
        for step in path.split("__"):
            obj = getattr(obj, step, None)
            if obj is None:
                return ""
        return obj.iso_code

    return get


COUNTY_CODE = {
    "pattern": r"[0-9]{4}",
    "pattern_help": gettext_lazy("four digits"),
    "zero_pad": 4,
    "max_length": 4,
}


def county_column(**kwargs):
    return ForeignKeyColumn(
        "county", "کد شهرستان", "County code", model=County, key_field="sci_code",
        key_column=CodeColumn("county", "", "", **COUNTY_CODE), example="2301", **kwargs,
    )  # fmt: skip


def estate_column(**kwargs):
    return ForeignKeyColumn(
        "estate", "کد شهرک", "Estate code", model=Estate, key_field="code", example="TH-001", **kwargs
    )


def project_column():
    return ForeignKeyColumn(
        "project", "کد پروژه", "Project code", model=DevelopmentProject, key_field="code", required=True,
        example="PRJ-1401-0001",
    )  # fmt: skip


def date(name, fa, en, **kwargs):
    return DateColumn(name, fa, en, example=kwargs.pop("example", "1401/01/15"), **kwargs)


class EstateResource(Resource):
    filterset_path = "shahrak.estates.filtersets.EstateFilterSet"
    slug = "estates"
    model = Estate
    key = ("code",)
    location_column = "county"
    related = ("county__province",)
    columns = [
        CodeColumn("code", "کد شهرک", "Estate code", required=True, example="TH-001"),
        TextColumn("name_fa", "نام فارسی", "Persian name", required=True, example="شهرک صنعتی عباس‌آباد"),
        TextColumn("name_en", "نام انگلیسی", "English name", example="Abbasabad Industrial Park"),
        ChoiceColumn("kind", "نوع", "Kind", choices=EstateKind, required=True, example="park"),
        county_column(required=True),
        ChoiceColumn("status", "وضعیت", "Status", choices=EstateStatus, example="operational"),
        date("licence_date", "تاریخ مجوز", "Licence date"),
        date("operational_date", "تاریخ بهره‌برداری", "Operational date", example="1402/06/01"),
        DecimalColumn("gross_area_ha", "مساحت ناخالص (هکتار)", "Gross land (ha)", example="250.5"),
        DecimalColumn("industrial_area_ha", "مساحت صنعتی (هکتار)", "Industrial land (ha)", example="180"),
        DecimalColumn(
            "allocated_area_ha", "مساحت واگذارشده (هکتار)", "Allocated land (ha)", example="120.25"
        ),
        DecimalColumn(
            "latitude", "عرض جغرافیایی", "Latitude", min_value=-90, max_value=90, example="35.56123"
        ),
        DecimalColumn(
            "longitude", "طول جغرافیایی", "Longitude", min_value=-180, max_value=180, example="51.87456"
        ),
        TextColumn("contact_phone", "تلفن تماس", "Contact phone", example="021-44556677"),
        TextColumn("office_address", "نشانی دفتر", "Office address", example="دفتر شهرک، خیابان اصلی"),
        Column("province", "استان", "Province", readonly=True, getter=_province_of("county__province")),
    ]


class WorkshopResource(Resource):
    filterset_path = "shahrak.estates.filtersets.WorkshopUnitFilterSet"
    slug = "workshops"
    model = WorkshopUnit
    key = ("estate", "code")
    location_column = "estate"
    related = ("estate__county__province", "occupant")
    columns = [
        estate_column(required=True),
        CodeColumn("code", "کد کارگاه", "Workshop code", required=True, example="W-017"),
        DecimalColumn("floor_area_m2", "زیربنا (مترمربع)", "Floor area (m²)", required=True, example="500"),
        date("planned_date", "تاریخ برنامه", "Planned date", example="1400/01/20"),
        date("construction_started", "تاریخ شروع ساخت", "Construction started", example="1400/03/01"),
        date("completed_date", "تاریخ تکمیل", "Completed", example="1401/02/10"),
        date("opened_date", "تاریخ واگذاری", "Opened (handed over)", example="1401/04/01"),
        ForeignKeyColumn(
            "occupant",
            "شناسه ملی بهره‌بردار",
            "Occupant national ID",
            model=ProductionUnit,
            key_field="national_id",
            key_column=NationalIdColumn("occupant", "", ""),
            example="10320000002",
        ),  # fmt: skip
        Column(
            "province", "استان", "Province", readonly=True, getter=_province_of("estate__county__province")
        ),
    ]


class ProductionUnitResource(Resource):
    filterset_path = "shahrak.units.filtersets.ProductionUnitFilterSet"
    slug = "units"
    model = ProductionUnit
    key = ("national_id",)
    key_help = gettext_lazy("national ID")
    location_column = "estate"
    related = ("county__province", "estate", "isic")
    columns = [
        NationalIdColumn("national_id", "شناسه ملی", "National ID", required=True, example="10320000002"),
        TextColumn("name", "نام واحد", "Name", required=True, example="صنایع غذایی نمونه"),
        estate_column(help_text=gettext_lazy("empty for a unit outside estates")),
        county_column(
            required=False,
            help_text=gettext_lazy("required when the estate is empty; otherwise the estate's county"),
        ),
        ForeignKeyColumn(
            "isic",
            "کد آیسیک",
            "ISIC class",
            model=IsicClass,
            key_field="code",
            required=True,
            key_column=CodeColumn(
                "isic",
                "",
                "",
                pattern=r"[0-9]{4}",
                pattern_help=gettext_lazy("four digits"),
                zero_pad=4,
                max_length=4,
            ),
            example="1079",
        ),  # fmt: skip
        date("knowledge_based_since", "دانش‌بنیان از تاریخ", "Knowledge-based since", example="1400/11/05"),
        IntegerColumn("employees", "تعداد کارکنان", "Employees", required=True, example="12"),
        Column("province", "استان", "Province", readonly=True, getter=_province_of("county__province")),
        Column("size_class", "اندازه", "Size class", readonly=True, getter=lambda unit: unit.size_class),
    ]

    def prepare(self, obj, values, present):
        # The model's rule: a unit in an estate is in its estate's county; one outside names its own.
        return _clean_errors(obj)


class UnitEventResource(Resource):
    filterset_path = "shahrak.units.filtersets.UnitEventFilterSet"
    slug = "events"
    model = UnitEvent
    key = ("unit", "date")
    location_column = "unit"
    related = ("unit__county__province",)
    columns = [
        ForeignKeyColumn(
            "unit",
            "شناسه ملی واحد",
            "Unit national ID",
            model=ProductionUnit,
            key_field="national_id",
            required=True,
            key_column=NationalIdColumn("unit", "", ""),
            example="10320000002",
        ),  # fmt: skip
        date("date", "تاریخ", "Date", required=True),
        ChoiceColumn("kind", "رویداد", "Event", choices=EventKind, required=True, example="revived"),
        ChoiceColumn("cause", "علت رکود", "Cause of idling", choices=IdleCause, example=""),
        IntegerColumn("jobs", "اشتغال احیاشده", "Jobs restored", example="25"),
    ]

    def check_batch(self, rows):
        """The order of each unit's events, stored and in the file (the model's event_order_errors)."""
        errors = defaultdict(list)
        unit_ids = sorted({row.obj.unit_id for row in rows})
        events = defaultdict(dict)  # unit → date → (kind, row index or None)
        for start in range(0, len(unit_ids), LOOKUP_CHUNK):
            chunk = unit_ids[start : start + LOOKUP_CHUNK]
            for unit_id, day, kind in UnitEvent.objects.filter(unit_id__in=chunk).values_list(
                "unit_id", "date", "kind"
            ):
                events[unit_id][day] = (kind, None)
        for index, row in enumerate(rows):
            obj = row.obj
            if row.existing is not None and row.existing.date != obj.date:
                events[obj.unit_id].pop(row.existing.date, None)
            events[obj.unit_id][obj.date] = (obj.kind, index)
        for unit_events in events.values():
            timeline = {day: kind for day, (kind, _index) in unit_events.items()}
            for day, other, field, message, other_message in event_order_errors(timeline):
                # The row being written is named; a break between two stored events is not this file's.
                index = unit_events[day][1]
                if index is not None:
                    errors[index].append((field, message))
                elif other is not None and unit_events[other][1] is not None:
                    errors[unit_events[other][1]].append((field, other_message))
        return errors


class ProjectResource(Resource):
    filterset_path = "shahrak.projects.filtersets.DevelopmentProjectFilterSet"
    slug = "projects"
    model = DevelopmentProject
    key = ("code",)
    location_column = "estate"
    related = ("estate__county__province",)
    columns = [
        CodeColumn("code", "کد پروژه", "Project code", required=True, example="PRJ-1401-0001"),
        estate_column(required=True),
        TextColumn("title", "عنوان", "Title", required=True, example="تکمیل شبکه آب شهرک"),
        TextColumn("title_en", "عنوان انگلیسی", "English title", example="Water network completion"),
        ChoiceColumn("category", "نوع زیرساخت", "Category", choices=Category, required=True, example="water"),
        RialsColumn("credit_rials", "اعتبار (ریال)", "Credit (rials)", required=True, example="120000000000"),
        ChoiceColumn(
            "funding_source",
            "منبع تأمین اعتبار",
            "Funding source",
            choices=FundingSource,
            required=True,
            example="national_budget",
        ),  # fmt: skip
        date("approved_date", "تاریخ تصویب", "Approved", example="1400/12/01"),
        date("start_date", "تاریخ شروع", "Started", example="1401/02/01"),
        date("planned_end_date", "پایان برنامه‌ریزی‌شده", "Planned end", example="1402/06/31"),
        date("actual_end_date", "پایان واقعی", "Actual end", example=""),
        DecimalColumn("physical_progress", "پیشرفت فیزیکی (درصد)", "Physical progress (%)", example="45.5"),
        ChoiceColumn("status", "وضعیت", "Status", choices=ProjectStatus, example="underway"),
        date("stopped_date", "تاریخ توقف", "Stopped", example=""),
        Column(
            "province", "استان", "Province", readonly=True, getter=_province_of("estate__county__province")
        ),
    ]


class DisbursementResource(Resource):
    filterset_path = "shahrak.projects.filtersets.DisbursementFilterSet"
    slug = "disbursements"
    model = Disbursement
    key = ("project", "date", "reference")
    key_help = gettext_lazy("project code + date + payment reference (or amount when there is no reference)")
    key_stand_ins = {"reference": ()}
    location_column = "project"
    related = ("project__estate__county__province",)
    columns = [
        project_column(),
        date("date", "تاریخ پرداخت", "Date", required=True, example="1401/05/10"),
        RialsColumn(
            "amount_rials", "مبلغ (ریال)", "Amount (rials)", required=True, min_value=1, example="2500000000"
        ),
        ChoiceColumn(
            "funding_source",
            "منبع تأمین",
            "Funding source",
            choices=FundingSource,
            required=True,
            example="internal",
        ),  # fmt: skip
        TextColumn("reference", "شماره مرجع پرداخت", "Payment reference", max_length=40, example="PAY-88231"),
    ]

    def key_of_values(self, values):
        project = values.get("project")
        reference = values.get("reference") or ""
        tail = ("ref", reference) if reference else ("amount", values.get("amount_rials"))
        return (_key_part(project), values.get("date"), *tail)

    def key_of_object(self, obj):
        tail = ("ref", obj.reference) if obj.reference else ("amount", obj.amount_rials)
        return (obj.project_id, obj.date, *tail)

    def complete(self, values, present):
        values.setdefault("reference", "")
        if values.get("reference") is None:
            values["reference"] = ""
        return []


class PlannedDisbursementResource(Resource):
    filterset_path = "shahrak.projects.filtersets.PlannedDisbursementFilterSet"
    slug = "planned"
    model = PlannedDisbursement
    key = ("project", "year", "month")
    location_column = "project"
    related = ("project__estate__county__province",)
    columns = [
        project_column(),
        IntegerColumn(
            "year",
            "سال",
            "Iranian year",
            required=True,
            min_value=FIRST_IRANIAN_YEAR,
            max_value=LAST_IRANIAN_YEAR,
            example="1401",
        ),
        IntegerColumn("month", "ماه", "Month", required=True, min_value=1, max_value=12, example="9"),
        RialsColumn(
            "amount_rials",
            "مبلغ برنامه‌ریزی‌شده (ریال)",
            "Planned amount (rials)",
            required=True,
            example="800000000000",
        ),  # fmt: skip
    ]

    def prepare(self, obj, values, present):
        obj.clean()  # the model derives month_start from year and month
        return []


class TargetResource(Resource):
    filterset_path = "shahrak.targets.filtersets.TargetFilterSet"
    slug = "targets"
    model = Target
    key = ("metric", "start_date", "end_date", "province")
    key_help = gettext_lazy("metric + period (year, or from and to) + province (empty for national)")
    key_stand_ins = {"start_date": ("year",), "end_date": ("year",)}
    location_column = "province"
    related = ("province",)
    columns = [
        ChoiceColumn(
            "metric", "شاخص", "Metric", choices=TargetMetric, required=True, example="units_revived"
        ),
        IntegerColumn(
            "year",
            "سال",
            "Iranian year",
            min_value=FIRST_IRANIAN_YEAR,
            max_value=LAST_IRANIAN_YEAR,
            example="1401",
            help_text=gettext_lazy("a whole Iranian year; or give from and to"),
        ),  # fmt: skip
        date(
            "start_date",
            "از تاریخ",
            "From",
            required=False,
            example="",
            help_text=gettext_lazy("defaults to 1 Farvardin of the year"),
        ),
        date(
            "end_date",
            "تا تاریخ",
            "To",
            required=False,
            example="",
            help_text=gettext_lazy("defaults to the end of Esfand of the year"),
        ),
        ForeignKeyColumn(
            "province",
            "کد استان",
            "Province code",
            model=Province,
            key_field="iso_code",
            key_column=CodeColumn(
                "province", "", "", pattern=r"IR-[0-9]{2}", pattern_help="IR-NN", max_length=5
            ),
            example="IR-23",
            help_text=gettext_lazy("empty for a national target"),
        ),  # fmt: skip
        IntegerColumn("value", "مقدار هدف", "Target value", required=True, max_value=None, example="2000"),
        TextColumn("note", "یادداشت", "Note", example=""),
    ]

    def complete(self, values, present):
        year = values.get("year")
        if year is not None:
            bounds = jalali.year_bounds(year)
            if values.get("start_date") is None:
                values["start_date"] = bounds.start
            if values.get("end_date") is None:
                values["end_date"] = bounds.end
        missing = [name for name in ("start_date", "end_date") if values.get(name) is None]
        if missing:
            return [(name, _("Give the Iranian year, or both dates.")) for name in missing]
        values["province"] = values.get("province")
        return []


class ExchangeRateResource(Resource):
    filterset_path = "shahrak.money.filtersets.ExchangeRateFilterSet"
    slug = "rates"
    model = ExchangeRate
    key = ("currency", "source", "date")
    location_column = ""
    columns = [
        date("date", "تاریخ", "Date", required=True, example="1401/09/30"),
        CodeColumn(
            "currency",
            "ارز",
            "Currency",
            required=True,
            pattern=r"[A-Z]{3}",
            pattern_help="ISO 4217 (USD)",
            max_length=3,
            example="USD",
        ),  # fmt: skip
        ChoiceColumn(
            "source", "منبع نرخ", "Source", choices=RateSource, required=True, example="free_market"
        ),
        DecimalColumn("rials_per_unit", "نرخ (ریال)", "Rials per unit", required=True, example="380250"),
    ]


class CountyResource(Resource):
    """The less-developed status of counties (counties themselves are reference data)."""

    filterset_path = "shahrak.regions.filtersets.CountyFilterSet"
    slug = "counties"
    model = County
    key = ("sci_code",)
    location_column = ""
    creatable = False
    related = ("province",)
    columns = [
        CodeColumn("sci_code", "کد شهرستان", "County code", required=True, example="2301", **COUNTY_CODE),
        Column("name_fa", "نام فارسی", "Persian name", readonly=True),
        Column("name_en", "نام انگلیسی", "English name", readonly=True),
        Column(
            "province", "استان", "Province", readonly=True, getter=lambda county: county.province.iso_code
        ),
        Column("population", "جمعیت (سرشماری ۱۳۹۵)", "Population (1395 census)", readonly=True),
        ChoiceColumn(
            "deprivation",
            "وضعیت کمتر توسعه‌یافتگی",
            "Less-developed status",
            choices=DeprivationStatus,
            required=True,
            example="whole",
        ),  # fmt: skip
        ChoiceColumn(
            "deprivation_basis",
            "مبنای وضعیت",
            "Basis of the status",
            choices=DeprivationBasis,
            example="decree",
        ),  # fmt: skip
        TextColumn(
            "deprivation_source", "منبع وضعیت", "Source of the status", example="تصویب‌نامه هیئت وزیران"
        ),
        Column("size_class", "اندازه", "Size class", readonly=True),
    ]


class ProvinceResource(Resource):
    """Provinces are reference data: exported, never imported."""

    filterset_path = "shahrak.regions.filtersets.ProvinceFilterSet"
    slug = "provinces"
    model = Province
    key = ("iso_code",)
    importable = False
    creatable = False
    columns = [
        Column("iso_code", "کد ایزو", "ISO code", readonly=True),
        Column("sci_code", "کد مرکز آمار", "SCI code", readonly=True),
        Column("name_fa", "نام فارسی", "Persian name", readonly=True),
        Column("name_en", "نام انگلیسی", "English name", readonly=True),
        Column("population", "جمعیت (سرشماری ۱۳۹۵)", "Population (1395 census)", readonly=True),
    ]


# --- Land and workshops (DESIGN.md, "Land and workshops") ------------------------------------------
#
# What only the named actions of shahrak/land/actions.py may do stays out of the importable columns:
# a plot's status (derived from its holds), an application's decision (approving reserves plots),
# a contract's completion (it writes the unit's `established` event) and termination (it reclaims
# the plots). Those columns are exported and ignored by imports (read-only). An imported contract
# is an active one, with its plots held from signing, as `sign_contract` leaves it.


def _clean_errors(obj) -> list[tuple[str, str]]:
    """The model's clean() as (field, message) pairs: the rule stays in the model."""
    try:
        obj.clean()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return [(field, m) for field, messages in error.message_dict.items() for m in messages]
        return [("", m) for m in error.messages]
    return []


def _field_errors(resource, problems):
    """Model field names → the resource's column names (the importer places errors by column)."""
    by_field = {column.field: column.name for column in resource.columns}
    return [(by_field.get(field, field), message) for field, message in problems]


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _plot_status(plot):
    status = getattr(plot, "status", None)
    return status if status in PlotStatus.values else plot.status_on(_today())


def workshop_column(**kwargs):
    return EstateCodeRefColumn(
        "workshop", "کارگاه (کد شهرک/کد کارگاه)", "Workshop (estate code/workshop code)", model=WorkshopUnit,
        example="TH-001/W-017", **kwargs,
    )  # fmt: skip


def contract_column():
    return ForeignKeyColumn(
        "contract", "شماره قرارداد", "Contract number", model=AllocationContract, key_field="number",
        required=True, key_column=CodeColumn("contract", "", "", max_length=40), example="TH-001-1401-0001",
    )  # fmt: skip


class PlotResource(Resource):
    filterset_path = "shahrak.land.filtersets.PlotFilterSet"
    slug = "plots"
    model = Plot
    key = ("estate", "code")
    location_column = "estate"
    related = ("estate__county__province",)
    columns = [
        estate_column(required=True),
        CodeColumn("code", "کد قطعه", "Plot code", required=True, example="A-12"),
        DecimalColumn("area_m2", "مساحت (مترمربع)", "Area (m²)", required=True, example="2500"),
        ChoiceColumn("use", "کاربری", "Use", choices=PlotUse, example="industrial"),
        BooleanColumn("has_water", "آب", "Water", example="1"),
        BooleanColumn("has_electricity", "برق", "Electricity", example="1"),
        BooleanColumn("has_gas", "گاز", "Gas", example="0"),
        BooleanColumn("has_road", "راه", "Road", example="1"),
        BooleanColumn("has_telecom", "مخابرات", "Telecom", example="0"),
        RialsColumn(
            "price_per_m2_rials", "قیمت هر مترمربع (ریال)", "Price per m² (rials)", required=True,
            example="2000000",
        ),  # fmt: skip
        GeoJsonColumn(
            "polygon", "محدوده (GeoJSON)", "Polygon (GeoJSON)", validate=validate_polygon,
            example='{"type":"Polygon","coordinates":[[[0,0],[50,0],[50,50],[0,50],[0,0]]]}',
            help_text=gettext_lazy("on the estate's site plan, in metres"),
        ),  # fmt: skip
        Column(
            "status", "وضعیت امروز", "Status today", readonly=True, getter=_plot_status,
            help_text=gettext_lazy("derived from its reservations and contracts, never typed"),
        ),  # fmt: skip
        Column(
            "province", "استان", "Province", readonly=True, getter=_province_of("estate__county__province")
        ),
    ]

    def prepare(self, obj, values, present):
        # A plot made or retired by a merge or split keeps its estate and area (Plot.clean).
        return _clean_errors(obj)


class ApplicationResource(Resource):
    filterset_path = "shahrak.land.filtersets.ApplicationFilterSet"
    slug = "applications"
    model = Application
    key = ("estate", "applicant_id", "applied_date")
    key_help = gettext_lazy(
        "estate code + the applicant's national legal ID or national code + applied date (the tracking "
        "code is the applicant's secret and is neither exported nor imported)"
    )
    location_column = "estate"
    related = ("estate__county__province", "isic")
    columns = [
        estate_column(required=True),
        ChoiceColumn("applicant_kind", "نوع متقاضی", "Applicant", choices=ApplicantKind, example="legal"),
        CodeColumn(
            "applicant_id", "شناسه ملی یا کد ملی", "National legal ID or national code", required=True,
            pattern=r"[0-9]{10,11}", pattern_help=gettext_lazy("10 or 11 digits"), max_length=11,
            example="10320000002",
        ),  # fmt: skip
        TextColumn("name", "نام متقاضی", "Applicant's name", required=True, example="صنایع غذایی نمونه"),
        TextColumn("phone", "تلفن", "Phone", max_length=40, example="021-44556677"),
        TextColumn("licence_number", "شماره جواز تأسیس", "Establishment licence number", max_length=40,
                   example="1401-2233"),  # fmt: skip
        date("licence_date", "تاریخ جواز تأسیس", "Establishment licence date", example="1400/11/20"),
        ForeignKeyColumn(
            "isic", "کد آیسیک", "ISIC class", model=IsicClass, key_field="code",
            key_column=CodeColumn("isic", "", "", pattern=r"[0-9]{4}", pattern_help=gettext_lazy("four digits"),
                                  zero_pad=4, max_length=4),
            example="1079",
        ),  # fmt: skip
        DecimalColumn(
            "requested_area_m2", "مساحت درخواستی (مترمربع)", "Requested area (m²)", required=True, example="3000"
        ),
        date("applied_date", "تاریخ درخواست", "Applied", required=True, example="1401/01/15"),
        ChoiceColumn("channel", "مجرای دریافت", "Channel", choices=Channel, example="office"),
        Column("status", "وضعیت", "Status", readonly=True,
               help_text=gettext_lazy("changed only by the named actions (review, approve, reject, sign)")),
        Column("decided_date", "تاریخ تصمیم", "Decided", readonly=True,
               getter=lambda a: a.decided_date),
        Column("score", "امتیاز ارزیابی", "Evaluation score", readonly=True),
        Column(
            "province", "استان", "Province", readonly=True, getter=_province_of("estate__county__province")
        ),
    ]  # fmt: skip

    def prepare(self, obj, values, present):
        if obj.pk is None:
            from shahrak.land.models import new_tracking_code

            obj.status = ApplicationStatus.SUBMITTED
            obj.tracking_code = new_tracking_code()  # each new application its own
        return _field_errors(self, _clean_errors(obj))


def _contract_plot_codes(contract):
    codes = getattr(contract, "_import_plot_codes", None)
    if codes is not None:
        return codes
    if contract.pk is None:
        return ()
    held = getattr(contract, "export_holds", None)
    if held is not None:  # prefetched by ContractResource.export_queryset: no query per contract
        return tuple(sorted({hold.plot.code for hold in held}))
    return tuple(contract.plots.order_by("code").values_list("code", flat=True))


class ContractResource(Resource):
    filterset_path = "shahrak.land.filtersets.ContractFilterSet"
    slug = "contracts"
    model = AllocationContract
    key = ("number",)
    key_help = gettext_lazy("contract number")
    location_column = "estate"
    related = ("estate__county__province", "holder")
    columns = [
        CodeColumn("number", "شماره قرارداد", "Contract number", required=True, max_length=40,
                   example="TH-001-1401-0001"),  # fmt: skip
        estate_column(required=True),
        CodeListColumn(
            "plots", "کد قطعه‌ها", "Plot codes", required=True, getter=_contract_plot_codes, example="A-12, A-13",
            help_text=gettext_lazy("plots of the estate, held from signing; fixed once the contract is stored"),
        ),  # fmt: skip
        ForeignKeyColumn(
            "holder", "شناسه ملی دارنده", "Holder national ID", model=ProductionUnit, key_field="national_id",
            required=True, key_column=NationalIdColumn("holder", "", ""), example="10320000002",
        ),  # fmt: skip
        date("signed_date", "تاریخ امضا", "Signed", required=True, example="1401/02/01"),
        DecimalColumn("discount_percent", "تخفیف (درصد)", "Discount (%)", example="0"),
        RialsColumn("fee_rials", "حق انتفاع (ریال)", "Right-of-use fee (rials)", required=True,
                    example="5000000000"),  # fmt: skip
        RialsColumn("cash_share_rials", "سهم نقدی (ریال)", "Cash share (rials)", required=True,
                    example="1500000000"),  # fmt: skip
        date("construction_deadline", "مهلت ساخت", "Construction deadline", required=True, example="1403/02/01"),
        Column("area_m2", "مساحت (مترمربع)", "Area (m²)", readonly=True,
               help_text=gettext_lazy("the sum of its plots' areas")),  # fmt: skip
        Column("status", "وضعیت", "Status", readonly=True,
               help_text=gettext_lazy("completed or terminated only by the named actions")),  # fmt: skip
        Column("completed_date", "تاریخ پروانه بهره‌برداری", "Operation licence date", readonly=True),
        Column("terminated_date", "تاریخ فسخ", "Terminated", readonly=True),
        Column(
            "province", "استان", "Province", readonly=True, getter=_province_of("estate__county__province")
        ),
    ]

    def export_queryset(self, queryset):
        # Every contract's plots in one query per chunk of the export, not one query per contract.
        from django.db.models import Prefetch

        holds = PlotHold.objects.select_related("plot").order_by()
        return (
            super()
            .export_queryset(queryset)
            .prefetch_related(Prefetch("holds", queryset=holds, to_attr="export_holds"))
        )

    def prepare(self, obj, values, present):
        codes = values.get("plots") or ()
        stored = _contract_plot_codes(obj) if obj.pk is not None else None
        if stored is not None:
            if "plots" in present and tuple(sorted(codes)) != tuple(sorted(stored)):
                return [("plots", _("The plots of a stored contract cannot be changed by an import."))]
            if obj.signed_date != type(obj)._default_manager.values_list("signed_date", flat=True).get(pk=obj.pk):
                return [("signed_date", _("The signing day of a stored contract cannot be changed by an import."))]
            return []
        plots = {p.code: p for p in Plot.objects.filter(estate_id=obj.estate_id, code__in=codes)}
        unknown = [code for code in codes if code not in plots]
        if unknown:
            return [("plots", _("Estate %(estate)s has no plot %(codes)s.")
                     % {"estate": obj.estate.code, "codes": ", ".join(unknown)})]  # fmt: skip
        obj._import_plots = [plots[code] for code in codes]
        obj._import_plot_codes = tuple(sorted(codes))
        obj.area_m2 = sum((p.area_m2 for p in obj._import_plots), Decimal(0))
        obj.status = ContractStatus.ACTIVE
        return []

    def check_batch(self, rows):
        """A plot is never held twice on one day: a new contract's plots are held from signing, open
        ended, so no stored hold may cover a day from then (PlotHold.clean) nor another new row."""
        errors = defaultdict(list)
        taken = {}  # plot id → row number of the file's contract that holds it
        for index, row in enumerate(rows):
            obj = row.obj
            for plot in getattr(obj, "_import_plots", ()) if row.existing is None else ():
                hold = PlotHold(plot=plot, kind=HoldKind.CONTRACT, start_date=obj.signed_date)
                problems = _clean_errors(hold)
                if not problems and plot.pk in taken:
                    problems = [("", _("Plot %(plot)s is also in row %(row)d of this file: a plot is never "
                                       "held twice on one day.") % {"plot": plot, "row": taken[plot.pk]})]
                errors[index] += [("plots", message) for _field, message in problems]
                taken.setdefault(plot.pk, row.number)
        return errors

    def after_write(self, created, updated, *, user, reason, when):
        from .bulk import insert_with_history

        holds = [
            PlotHold(plot=plot, kind=HoldKind.CONTRACT, contract=contract, start_date=contract.signed_date)
            for contract in created
            for plot in contract._import_plots
        ]
        insert_with_history(PlotHold, holds, user=user, reason=reason, when=when)


class InstalmentResource(Resource):
    filterset_path = "shahrak.land.filtersets.InstalmentFilterSet"
    slug = "instalments"
    model = Instalment
    key = ("contract", "number")
    location_column = "contract"
    related = ("contract__estate__county__province",)
    columns = [
        contract_column(),
        # The field's own bound (PositiveSmallIntegerField), said here: only PostgreSQL's backend reports it.
        IntegerColumn("number", "شماره قسط", "Instalment number", required=True, example="1", max_value=32767,
                      help_text=gettext_lazy("0 is the cash share, due on signing")),  # fmt: skip
        date("due_date", "سررسید", "Due", required=True, example="1401/05/01"),
        RialsColumn("amount_rials", "مبلغ (ریال)", "Amount (rials)", required=True, example="291666667"),
    ]


class LandPaymentResource(Resource):
    filterset_path = "shahrak.land.filtersets.LandPaymentFilterSet"
    slug = "land-payments"
    model = LandPayment
    key = ("contract", "date", "reference")
    key_help = gettext_lazy("contract number + date + payment reference (or amount when there is no reference)")
    key_stand_ins = {"reference": ()}
    location_column = "contract"
    related = ("contract__estate__county__province",)
    columns = [
        contract_column(),
        date("date", "تاریخ پرداخت", "Date", required=True, example="1401/05/10"),
        RialsColumn("amount_rials", "مبلغ (ریال)", "Amount (rials)", required=True, min_value=1,
                    example="291666667"),  # fmt: skip
        TextColumn("reference", "شماره مرجع پرداخت", "Payment reference", max_length=40, example="PAY-88231"),
    ]

    def key_of_values(self, values):
        reference = values.get("reference") or ""
        tail = ("ref", reference) if reference else ("amount", values.get("amount_rials"))
        return (_key_part(values.get("contract")), values.get("date"), *tail)

    def key_of_object(self, obj):
        tail = ("ref", obj.reference) if obj.reference else ("amount", obj.amount_rials)
        return (obj.contract_id, obj.date, *tail)

    complete = DisbursementResource.complete

    def prepare(self, obj, values, present):
        return _field_errors(self, _clean_errors(obj))


def _not_active(contract) -> list[tuple[str, str]]:
    """The named actions' rule (actions.extend, actions.transfer): only an active contract."""
    if contract.status == ContractStatus.ACTIVE:
        return []
    return [("contract", _(
        "Contract %(number)s is %(status)s: only an active contract is extended or transferred."
    ) % {"number": contract.number, "status": contract.get_status_display()})]  # fmt: skip


def _changing(rows):
    """The file's rows that write something, by contract (the importer leaves only those with an
    object to write: new rows, and stored ones the file changes)."""
    by_contract = defaultdict(list)
    for index, row in enumerate(rows):
        by_contract[row.obj.contract_id].append(index)
    return by_contract


class ContractExtensionResource(Resource):
    """A construction deadline extended, as `actions.extend` records it: only for an active
    contract, granted on or after signing, each one later than the deadline in force on its day
    (the stored extensions and the file's own, in the order they were granted)."""

    filterset_path = "shahrak.land.filtersets.ContractExtensionFilterSet"
    slug = "contract-extensions"
    model = ContractExtension
    key = ("contract", "granted_date")
    key_help = gettext_lazy("contract number + date granted")
    location_column = "contract"
    related = ("contract__estate__county__province",)
    columns = [
        contract_column(),
        date("granted_date", "تاریخ موافقت", "Granted", required=True, example="1403/01/20"),
        date(
            "new_deadline", "مهلت ساخت جدید", "New construction deadline", required=True, example="1403/08/01"
        ),
        TextColumn("reason", "دلیل", "Reason", required=True, max_length=2000, example="تأخیر در تأمین برق"),
        Column(
            "province",
            "استان",
            "Province",
            readonly=True,
            getter=_province_of("contract__estate__county__province"),
        ),  # fmt: skip
    ]

    def check_batch(self, rows):
        errors = defaultdict(list)
        by_contract = _changing(rows)
        stored = defaultdict(dict)  # contract id → extension pk → (granted, new deadline)
        extensions = ContractExtension.objects.filter(contract_id__in=list(by_contract))
        for pk, contract_id, granted, until in extensions.values_list("pk", "contract_id", "granted_date",
                                                                       "new_deadline"):  # fmt: skip
            stored[contract_id][pk] = (granted, until)
        for contract_id, indexes in by_contract.items():
            contract = rows[indexes[0]].obj.contract
            if problems := _not_active(contract):
                for index in indexes:
                    errors[index] += problems
                continue
            # The contract's extensions as the file leaves them, in the order they were granted: the
            # stored ones it does not replace and its own accepted rows (ContractExtension.clean).
            spans = dict(stored[contract_id])
            for index in indexes:
                if rows[index].existing is not None:
                    spans.pop(rows[index].existing.pk, None)
            for index in sorted(indexes, key=lambda i: rows[i].obj.granted_date):
                obj = rows[index].obj
                if obj.granted_date < contract.signed_date:
                    errors[index].append(("granted_date", _("An extension is granted on or after signing.")))
                    continue
                earlier = [until for granted, until in spans.values() if granted <= obj.granted_date]
                current = max([contract.construction_deadline, *earlier])
                if obj.new_deadline <= current:
                    errors[index].append(("new_deadline", _(
                        "An extension moves the deadline later than it is now (%(current)s)."
                    ) % {"current": fmt.jdate(current)}))  # fmt: skip
                    continue
                spans[("row", index)] = (obj.granted_date, obj.new_deadline)
        return errors


def _national_id(path):
    def get(obj):
        unit = getattr(obj, path, None)
        return unit.national_id if unit is not None else ""

    return get


class ContractTransferResource(Resource):
    """A contract handed to another holder, as `actions.transfer` records it: only an active
    contract, on or after signing and after its last stored transfer; the holder it comes from is
    the one the contract has then (derived, never typed), and the contract's holder becomes the
    last new transfer's, written with its history in the import's transaction."""

    filterset_path = "shahrak.land.filtersets.ContractTransferFilterSet"
    slug = "contract-transfers"
    model = ContractTransfer
    key = ("contract", "date")
    key_help = gettext_lazy("contract number + date of the transfer")
    location_column = "contract"
    related = ("contract__estate__county__province", "from_holder", "to_holder")
    columns = [
        contract_column(),
        date("date", "تاریخ انتقال", "Date", required=True, example="1402/05/01"),
        ForeignKeyColumn(
            "to_holder",
            "شناسه ملی دارنده جدید",
            "New holder national ID",
            model=ProductionUnit,
            key_field="national_id",
            required=True,
            key_column=NationalIdColumn("to_holder", "", ""),
            example="10320000017",
            help_text=gettext_lazy("fixed once the transfer is stored"),
        ),  # fmt: skip
        TextColumn("reason", "دلیل", "Reason", max_length=2000, example="فروش سهام با موافقت سازمان"),
        Column(
            "from_holder",
            "شناسه ملی دارنده پیشین",
            "Previous holder national ID",
            readonly=True,
            getter=_national_id("from_holder"),
            help_text=gettext_lazy("the contract's holder before the transfer"),
        ),  # fmt: skip
        Column(
            "province",
            "استان",
            "Province",
            readonly=True,
            getter=_province_of("contract__estate__county__province"),
        ),  # fmt: skip
    ]

    def prepare(self, obj, values, present):
        if obj.pk is not None:
            stored = type(obj)._default_manager.values_list("to_holder_id", flat=True).get(pk=obj.pk)
            if obj.to_holder_id != stored:
                return [("to_holder", _("The new holder of a stored transfer cannot be changed by an import; "
                                        "record a new transfer."))]  # fmt: skip
        return []

    def check_batch(self, rows):
        errors = defaultdict(list)
        by_contract = _changing(rows)
        last = dict(
            ContractTransfer.objects.filter(contract_id__in=list(by_contract))
            .values("contract_id").annotate(day=Max("date")).values_list("contract_id", "day")
        )  # fmt: skip
        for contract_id, indexes in by_contract.items():
            contract = rows[indexes[0]].obj.contract
            new = sorted((i for i in indexes if rows[i].existing is None), key=lambda i: rows[i].obj.date)
            if new and (problems := _not_active(contract)):
                for index in new:
                    errors[index] += problems
                continue
            holder = contract.holder
            for index in new:
                obj = rows[index].obj
                if obj.date < contract.signed_date:
                    errors[index].append(("date", _("A contract is transferred on or after signing.")))
                    continue
                if contract_id in last and obj.date <= last[contract_id]:
                    errors[index].append(("date", _(
                        "Contract %(number)s was last transferred on %(date)s: a new transfer comes after it."
                    ) % {"number": contract.number, "date": fmt.jdate(last[contract_id])}))  # fmt: skip
                    continue
                if obj.to_holder_id == holder.pk:
                    errors[index].append(("to_holder", _("A contract is transferred to another holder.")))
                    continue
                obj.from_holder = holder  # the holder the contract has on the day (derived)
                holder = obj.to_holder
        return errors

    def after_write(self, created, updated, *, user, reason, when):
        """The contract's holder becomes its last new transfer's (what actions.transfer does), through
        the one write path, which writes the contract's history."""
        from shahrak.records.actions import save_record

        latest = {}
        for record in sorted(created, key=lambda r: r.date):
            latest[record.contract_id] = record.to_holder_id
        for contract in AllocationContract.objects.filter(pk__in=list(latest)).order_by("pk"):
            contract.holder_id = latest[contract.pk]
            save_record(contract, actor=user, reason=reason)


def _plot_ref(hold):
    return f"{hold.plot.estate.code}/{hold.plot.code}"


class PlotHoldResource(Resource):
    """Exported, never imported: a hold is written only by the named actions that hold a plot
    (approving an application reserves it; signing a contract, or importing one, holds it; withdrawing,
    terminating, a lapse release it), so that no two holds ever cover one plot on one day."""

    filterset_path = "shahrak.land.filtersets.PlotHoldFilterSet"
    slug = "plot-holds"
    model = PlotHold
    importable = False
    not_imported_because = gettext_lazy(
        "Derived records: exported, never imported. A hold is written only by the named actions — approving "
        "an application reserves its plots, signing a contract (or importing one) holds them from signing, "
        "withdrawing, terminating or a lapse releases them — so a plot is never held twice on one day. "
        "Import the applications and contracts instead."
    )
    location_column = "plot"
    related = ("plot__estate__county__province", "contract", "application")
    columns = [
        Column(
            "plot", "قطعه (کد شهرک/کد قطعه)", "Plot (estate code/plot code)", readonly=True, getter=_plot_ref
        ),
        Column(
            "kind",
            "نوع",
            "Kind",
            readonly=True,
            help_text=gettext_lazy("reservation (an approved application) or contract"),
        ),  # fmt: skip
        Column(
            "contract",
            "شماره قرارداد",
            "Contract number",
            readonly=True,
            getter=lambda h: h.contract.number if h.contract_id else "",
        ),  # fmt: skip
        Column(
            "applicant_id",
            "شناسه ملی یا کد ملی متقاضی",
            "Applicant's national legal ID or national code",
            readonly=True,
            getter=lambda h: h.application.applicant_id if h.application_id else "",
        ),  # fmt: skip
        DateColumn(
            "applied_date",
            "تاریخ درخواست",
            "Applied",
            readonly=True,
            getter=lambda h: h.application.applied_date if h.application_id else None,
        ),  # fmt: skip
        DateColumn("start_date", "از تاریخ", "From", readonly=True),
        DateColumn(
            "released_on",
            "تاریخ آزادشدن",
            "Released on",
            readonly=True,
            help_text=gettext_lazy("the first day it is no longer held; empty while held"),
        ),  # fmt: skip
        Column("release_reason", "علت آزادشدن", "Released because", readonly=True),
        Column(
            "province",
            "استان",
            "Province",
            readonly=True,
            getter=_province_of("plot__estate__county__province"),
        ),
    ]


class LeaseResource(Resource):
    filterset_path = "shahrak.land.filtersets.LeaseFilterSet"
    slug = "leases"
    model = WorkshopLease
    key = ("workshop", "start_date")
    location_column = "workshop"
    related = ("workshop__estate__county__province", "tenant")
    columns = [
        workshop_column(required=True),
        ForeignKeyColumn(
            "tenant", "شناسه ملی مستأجر", "Tenant national ID", model=ProductionUnit, key_field="national_id",
            required=True, key_column=NationalIdColumn("tenant", "", ""), example="10320000002",
        ),  # fmt: skip
        date("start_date", "تاریخ شروع", "Start", required=True, example="1401/04/01"),
        date("end_date", "تاریخ پایان", "End", example="", help_text=gettext_lazy("the last day; empty while open")),
        RialsColumn("monthly_rent_rials", "اجاره ماهانه (ریال)", "Monthly rent (rials)", required=True,
                    example="45000000"),  # fmt: skip
        Column(
            "province", "استان", "Province", readonly=True,
            getter=_province_of("workshop__estate__county__province"),
        ),  # fmt: skip
    ]

    def prepare(self, obj, values, present):
        # WorkshopLease.clean: leased only once completed; its overlap with the stored leases is
        # checked by check_batch, with the file's own changes to them (ending a lease, then the next).
        try:
            obj.clean()
        except ValidationError as error:
            if getattr(error, "code", None) == "workshop_leased_twice":
                return []
            return _field_errors(self, [(f, m) for f, ms in error.message_dict.items() for m in ms])
        return []

    def check_batch(self, rows):
        """A workshop is leased once on a day: its stored leases as the file leaves them, and the
        file's new ones (the rule of WorkshopLease.clean, over the whole file)."""
        errors = defaultdict(list)
        workshops = {row.obj.workshop_id for row in rows}
        spans = defaultdict(dict)  # workshop → lease pk (or row key) → (start, end, row index or None)
        stored = WorkshopLease.objects.filter(workshop_id__in=workshops)
        for pk, workshop_id, start, end in stored.values_list("pk", "workshop_id", "start_date", "end_date"):
            spans[workshop_id][pk] = (start, end, None)
        for index, row in enumerate(rows):
            obj = row.obj
            if row.existing is not None:
                spans[row.existing.workshop_id].pop(row.existing.pk, None)
            spans[obj.workshop_id][obj.pk or f"row{index}"] = (obj.start_date, obj.end_date, index)
        far = dt.date.max
        for leases in spans.values():
            ordered = sorted(leases.values(), key=lambda span: span[0])
            for before, after in zip(ordered, ordered[1:], strict=False):
                if (before[1] or far) < after[0]:
                    continue
                index = after[2] if after[2] is not None else before[2]
                if index is None:
                    continue  # two stored leases: not this file's doing
                workshop = rows[index].obj.workshop
                errors[index].append(("start_date", _(
                    "Workshop %(workshop)s is already leased on some of these days."
                ) % {"workshop": workshop}))  # fmt: skip
        return errors

    def after_write(self, created, updated, *, user, reason, when):
        """The workshop's occupant and hand-over follow its leases (actions.refresh_occupant)."""
        from shahrak.land.actions import refresh_occupant

        workshop_ids = sorted({lease.workshop_id for lease in created + updated})
        for workshop in WorkshopUnit.objects.filter(pk__in=workshop_ids):
            refresh_occupant(workshop, actor=user)


class ProgrammeResource(Resource):
    filterset_path = "shahrak.land.filtersets.ProgrammeFilterSet"
    slug = "programmes"
    model = Programme
    key = ("code",)
    location_column = ""
    columns = [
        CodeColumn("code", "کد برنامه", "Programme code", required=True, example="W1000"),
        TextColumn("name_fa", "نام فارسی", "Persian name", required=True, example="طرح هزار کارگاه"),
        TextColumn("name_en", "نام انگلیسی", "English name", example="1,000-workshop plan"),
        IntegerColumn("target", "هدف (کارگاه)", "Target (workshops)", required=True, example="1000"),
        date("start_date", "تاریخ شروع", "Start", example="1400/01/01"),
        date("end_date", "تاریخ پایان", "End", example="1402/12/29"),
    ]


class ProgrammeMemberResource(Resource):
    filterset_path = "shahrak.land.filtersets.ProgrammeMemberFilterSet"
    slug = "programme-members"
    model = ProgrammeMember
    key = ("programme", "workshop")
    location_column = "workshop"
    related = ("programme", "workshop__estate__county__province")
    columns = [
        ForeignKeyColumn(
            "programme", "کد برنامه", "Programme code", model=Programme, key_field="code", required=True,
            example="W1000",
        ),  # fmt: skip
        workshop_column(required=True),
        Column(
            "province", "استان", "Province", readonly=True,
            getter=_province_of("workshop__estate__county__province"),
        ),  # fmt: skip
    ]


RESOURCES: dict[str, Resource] = {
    resource.slug: resource
    for resource in (
        EstateResource(),
        WorkshopResource(),
        ProductionUnitResource(),
        UnitEventResource(),
        ProjectResource(),
        DisbursementResource(),
        PlannedDisbursementResource(),
        TargetResource(),
        ExchangeRateResource(),
        CountyResource(),
        ProvinceResource(),
        PlotResource(),
        ApplicationResource(),
        ContractResource(),
        InstalmentResource(),
        LandPaymentResource(),
        ContractExtensionResource(),
        ContractTransferResource(),
        PlotHoldResource(),
        LeaseResource(),
        ProgrammeResource(),
        ProgrammeMemberResource(),
    )
}
IMPORTABLE = {slug: r for slug, r in RESOURCES.items() if r.importable}


def resource_for(resource_or_model) -> Resource:
    """The resource of a slug, a model class or a resource (for callers that hold any of them)."""
    if isinstance(resource_or_model, Resource):
        return resource_or_model
    if isinstance(resource_or_model, str):
        try:
            return RESOURCES[resource_or_model]
        except KeyError:
            raise LookupError(_("Unknown record type «%(name)s».") % {"name": resource_or_model}) from None
    for resource in RESOURCES.values():
        if resource.model is resource_or_model:
            return resource
    raise LookupError(f"no spreadsheet resource for {resource_or_model!r}")


__all__ = ["RESOURCES", "IMPORTABLE", "CellError", "Resource", "resource_for"]
