"""Industrial estates (parks and zones) and the workshop units built inside them."""

from collections import defaultdict
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.core.history import AuditedQuerySet, audited_history
from shahrak.core.text import normalize
from shahrak.core.validators import validate_date_in_range
from shahrak.regions.models import DEPRIVED_STATUSES, County, LocalizedNameMixin


class EstateKind(models.TextChoices):
    PARK = "park", _("industrial park")
    ZONE = "zone", _("industrial zone")
    SPECIALIZED = "specialized", _("specialized park")
    TECHNOLOGY = "technology", _("technology park")


class EstateStatus(models.TextChoices):
    LICENSED = "licensed", _("licensed")
    UNDER_DEVELOPMENT = "under_development", _("under development")
    OPERATIONAL = "operational", _("operational")


class EstateQuerySet(AuditedQuerySet):
    def in_deprived_counties(self):
        return self.filter(county__deprivation__in=DEPRIVED_STATUSES)

    def existing_on(self, day):
        """Estates licensed on or before the day (an estate exists from its licence)."""
        return self.filter(licence_date__lte=day)

    def operational(self):
        return self.filter(status=EstateStatus.OPERATIONAL)

    def with_free_land(self, day=None):
        """Each estate's free serviced land on the day (`free_land`, hectares; today by default), the
        one home of the rule for the catalogue, the estate page and the regional balance."""
        return self.annotate(free_land=free_land_expression(day))


# Where an estate has plots (shahrak/land, an app above this one), its free serviced land is the
# area of its plots free on the day with every utility in place (DESIGN.md, "Land and workshops").
# land provides, from its AppConfig.ready, `free_plots(day) -> (plots, free_serviced)`: two query
# sets of plots, all of them and those free on the day with every utility in place (land's one rule).
_free_plots = None


def provide_free_plots(function) -> None:
    global _free_plots
    _free_plots = function


# Where workshops are leased (shahrak/land), land provides from its AppConfig.ready
# `workshop_leases(day) -> (covered, ever_leased)`: two Exists over the workshop of the outer query.
_workshop_leases = None


def provide_workshop_leases(function) -> None:
    global _workshop_leases
    _workshop_leases = function


def _hectares():
    return models.DecimalField(max_digits=14, decimal_places=4)


M2_PER_HECTARE = Decimal(10_000)


def _declared():
    return F("industrial_area_ha") - F("allocated_area_ha")


def free_land_expression(day=None):
    """Free serviced land (hectares) of the estate on the day: the area of its free plots with every
    utility in place where it has plots; otherwise industrial less allocated land. The same rule as
    free_land_by, as an expression over each estate (a subquery per estate: for one estate's page or
    a list filtered by it; a total over many estates is cheaper with free_land_by)."""
    if _free_plots is None:
        return _declared()
    plots, free_serviced = _free_plots(day or timezone.localdate())
    free_hectares = Subquery(
        free_serviced.filter(estate=OuterRef("pk"))
        .order_by()
        .values("estate")
        .annotate(ha=ExpressionWrapper(Sum("area_m2") / Value(M2_PER_HECTARE), output_field=_hectares()))
        .values("ha"),
        output_field=_hectares(),
    )
    return Case(
        When(
            Exists(plots.filter(estate=OuterRef("pk"))),
            then=Coalesce(free_hectares, Value(Decimal(0)), output_field=_hectares()),
        ),
        default=_declared(),
        output_field=_hectares(),
    )


def _exact_hectares():
    # m² to two decimals ÷ 10,000 is exact to six: no rounding on the way to the sum.
    return models.DecimalField(max_digits=20, decimal_places=6)


def free_land_by(estates, day, key: str) -> dict:
    """Free serviced land (hectares, exact) of the estates of a query set on the day, summed by `key`
    (a field of Estate, e.g. "county_id"): the same rule as free_land_expression, in one statement
    of two grouped passes instead of a subquery per estate: the area of the free serviced plots of
    the estates with plots, and the declared land (industrial less allocated) of the others. Keys
    with neither are left out (their free land is 0)."""
    estates = estates.order_by()
    declared = Sum(_declared(), output_field=_exact_hectares())
    if _free_plots is None:
        rows = estates.values_list(key).annotate(ha=declared)
    else:
        plots, free_serviced = _free_plots(day)
        from_plots = (
            free_serviced.filter(estate__in=estates.values("pk"))
            .order_by()
            .values_list(f"estate__{key}")
            .annotate(
                ha=ExpressionWrapper(Sum("area_m2") / Value(M2_PER_HECTARE), output_field=_exact_hectares())
            )
        )
        without_plots = (
            estates.filter(~Exists(plots.filter(estate=OuterRef("pk"))))
            .values_list(key)
            .annotate(ha=declared)
        )
        rows = from_plots.union(without_plots, all=True).order_by()
    totals = defaultdict(Decimal)
    for value, hectares in rows:
        totals[value] += Decimal(hectares or 0)
    return dict(totals)


AREA = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Estate(LocalizedNameMixin, models.Model):  # noqa: DJ008 (__str__ from LocalizedNameMixin)
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=EstateKind)
    county = models.ForeignKey(County, models.PROTECT, related_name="estates", verbose_name=_("county"))
    status = models.CharField(_("status"), max_length=20, choices=EstateStatus, default=EstateStatus.LICENSED)
    licence_date = models.DateField(
        _("licence date"), null=True, blank=True, validators=[validate_date_in_range]
    )
    operational_date = models.DateField(
        _("operational date"), null=True, blank=True, validators=[validate_date_in_range]
    )
    gross_area_ha = models.DecimalField(_("gross land (ha)"), default=0, **AREA)
    industrial_area_ha = models.DecimalField(_("industrial land (ha)"), default=0, **AREA)
    allocated_area_ha = models.DecimalField(_("allocated land (ha)"), default=0, **AREA)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    # Where an investor calls or goes to apply: the estate's office (or its provincial company's).
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    office_address = models.CharField(_("office address"), max_length=300, blank=True)

    objects = EstateQuerySet.as_manager()
    history = audited_history()

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "county"
    estate_path = ""
    # Its dated facts (licensed, operational), locked with their month (shahrak/core/places.py).
    fact_dates = {"licence_date": ("kind",), "operational_date": ("kind",)}

    class Meta:
        ordering = ["code"]
        verbose_name = _("estate")
        verbose_name_plural = _("estates")
        indexes = [models.Index(fields=["county", "kind"]), models.Index(fields=["licence_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EstateKind.values), name="estate_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=EstateStatus.values), name="estate_status_valid"),
            models.CheckConstraint(
                condition=Q(gross_area_ha__gte=0, industrial_area_ha__gte=0, allocated_area_ha__gte=0),
                name="estate_areas_not_negative",
                violation_error_message=_("Land areas cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(industrial_area_ha__lte=F("gross_area_ha")),
                name="estate_industrial_within_gross",
                violation_error_message=_("Industrial land cannot exceed gross land."),
            ),
            models.CheckConstraint(
                condition=Q(allocated_area_ha__lte=F("industrial_area_ha")),
                name="estate_allocated_within_industrial",
                violation_error_message=_("Allocated land cannot be more than the industrial land."),
            ),
            models.CheckConstraint(
                condition=Q(operational_date__isnull=True)
                | Q(licence_date__isnull=True)
                | Q(operational_date__gte=F("licence_date")),
                name="estate_operational_after_licence",
                violation_error_message=_("An estate becomes operational on or after its licence date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EstateStatus.OPERATIONAL) | Q(operational_date__isnull=False),
                name="estate_operational_has_date",
                violation_error_message=_("An operational estate needs its operational date."),
            ),
        ]

    @property
    def free_industrial_area_ha(self):
        """The same rule as free_land_expression, on one estate in hand, today."""
        if _free_plots is None or self.pk is None:
            return self.industrial_area_ha - self.allocated_area_ha
        if getattr(self, "free_land", None) is not None:  # annotated by with_free_land()
            return self.free_land
        return Estate.objects.with_free_land().values_list("free_land", flat=True).get(pk=self.pk)

    @property
    def contact_phone_uri(self) -> str:
        """The contact phone as a tel: link a phone dials: its digits (Persian or Arabic read as Latin)
        and a leading +, without the dashes and spaces kept as typed; empty when there is none."""
        typed = normalize(self.contact_phone)
        digits = "".join(char for char in typed if char.isdigit() and char.isascii())
        if not digits:
            return ""
        return f"tel:{'+' if typed.startswith('+') else ''}{digits}"


class WorkshopQuerySet(AuditedQuerySet):
    def opened_between(self, start, end):
        return self.filter(opened_date__range=(start, end))

    def free_on(self, day):
        """Workshops free for an investor on the day, the one rule for the catalogue and the estate
        page: built by then and not handed over by then; where leases are recorded (shahrak/land),
        with no lease covering the day (a workshop handed over before leases were recorded, with no
        lease, stays with its occupant)."""
        built = self.filter(completed_date__lte=day)
        not_handed_over = Q(opened_date__isnull=True) | Q(opened_date__gt=day)
        if _workshop_leases is None:
            return built.filter(not_handed_over)
        covered, ever_leased = _workshop_leases(day)
        return built.exclude(covered).filter(not_handed_over | ever_leased)


class WorkshopUnit(models.Model):
    estate = models.ForeignKey(Estate, models.PROTECT, related_name="workshops", verbose_name=_("estate"))
    code = models.CharField(_("code"), max_length=30)
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    planned_date = models.DateField(
        _("planned date"), null=True, blank=True, validators=[validate_date_in_range]
    )
    construction_started = models.DateField(
        _("construction started"), null=True, blank=True, validators=[validate_date_in_range]
    )
    completed_date = models.DateField(
        _("completed on"), null=True, blank=True, validators=[validate_date_in_range]
    )
    opened_date = models.DateField(
        _("opened (handed over)"), null=True, blank=True, validators=[validate_date_in_range]
    )
    occupant = models.ForeignKey(
        "units.ProductionUnit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("occupant"),
    )

    objects = WorkshopQuerySet.as_manager()
    history = audited_history()

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "estate__county"
    estate_path = "estate"
    # Its dated fact (opened, handed over), locked with its month (shahrak/core/places.py).
    fact_dates = {"opened_date": ()}

    class Meta:
        ordering = ["estate", "code"]
        verbose_name = _("workshop unit")
        verbose_name_plural = _("workshop units")
        indexes = [models.Index(fields=["opened_date", "estate"])]
        constraints = [
            models.UniqueConstraint(
                fields=["estate", "code"],
                name="workshop_code_unique_in_estate",
                violation_error_message=_("This estate already has a workshop with this code."),
            ),
            models.CheckConstraint(condition=Q(floor_area_m2__gte=0), name="workshop_area_not_negative"),
            models.CheckConstraint(
                condition=Q(completed_date__isnull=True)
                | Q(construction_started__isnull=True)
                | Q(completed_date__gte=F("construction_started")),
                name="workshop_completed_after_start",
                violation_error_message=_("A workshop cannot be completed before its construction started."),
            ),
            models.CheckConstraint(
                condition=Q(opened_date__isnull=True)
                | Q(completed_date__isnull=False, opened_date__gte=F("completed_date")),
                name="workshop_opened_after_completed",
                violation_error_message=_(
                    "A workshop can be opened only on or after the day it was completed."
                ),
            ),
            models.CheckConstraint(
                condition=Q(occupant__isnull=True) | Q(opened_date__isnull=False),
                name="workshop_occupant_only_when_opened",
                violation_error_message=_("A workshop has an occupant only once it is opened."),
            ),
        ]

    def __str__(self) -> str:
        # A workshop is named by its code (TH-01/W1), marked as a code inside Persian text.
        from shahrak.core.text import code_text

        return code_text(f"{self.estate.code}/{self.code}")
