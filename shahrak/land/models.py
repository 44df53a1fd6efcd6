"""Land and workshops: plots, applications for land, allocation contracts with their instalments and
payments, workshop leases and programmes (DESIGN.md, "Land and workshops: from application to contract").

A plot's status is derived, never typed: it is held on a day by a reservation (an approved
application, for 60 days) or by a contract (from signing until termination), recorded as
`PlotHold` rows. No two holds of one plot cover the same day: on PostgreSQL an exclusion
constraint (migration 0002) holds it, and `PlotHold.clean` holds it in the write path everywhere.
A workshop's occupant is derived from its leases the same way (`WorkshopLease`).
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shahrak.core.history import AuditedQuerySet, audited_history
from shahrak.core.indexes import CoveringIndex
from shahrak.core.places import WHOLE_RECORD
from shahrak.core.text import code_text
from shahrak.core.validators import validate_date_in_range
from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.ui import format as fmt
from shahrak.units.models import IsicClass, ProductionUnit

from .validators import validate_applicant_id

DATE = {"validators": [validate_date_in_range]}
OPTIONAL_DATE = {"null": True, "blank": True, "validators": [validate_date_in_range]}


class PlotUse(models.TextChoices):
    INDUSTRIAL = "industrial", _("industrial")
    SERVICE = "service", _("service")
    WAREHOUSE = "warehouse", _("warehouse")
    PUBLIC = "public", _("public")


class PlotStatus(models.TextChoices):
    FREE = "free", _("free")
    RESERVED = "reserved", _("reserved")
    ALLOCATED = "allocated", _("allocated")
    RECLAIMED = "reclaimed", _("reclaimed")
    # Not a plot on the day: merged into another or split into others (PlotChange), or not yet made.
    RETIRED = "retired", _("retired (merged or split)")


UTILITIES = ("water", "electricity", "gas", "road", "telecom")
POLYGON_RULE = _("The polygon is a GeoJSON Polygon: a closed ring of at least four [x, y] points.")


def _covering(day) -> Q:
    """Holds in force on the day: started on or before it and not yet released."""
    return Q(start_date__lte=day) & (Q(released_on__isnull=True) | Q(released_on__gt=day))


def _in_being(day, prefix="") -> Q:
    """Plots that are plots on the day: made (by a merge or split) on or before it, if made by
    one, and not retired by one on or before it. The one rule of a plot's life (PlotChange)."""
    return (Q(**{f"{prefix}made_by__isnull": True}) | Q(**{f"{prefix}made_by__date__lte": day})) & (
        Q(**{f"{prefix}ended_by__isnull": True}) | Q(**{f"{prefix}ended_by__date__gt": day})
    )


class PlotQuerySet(AuditedQuerySet):
    def in_being(self, day):
        """Plots that exist on the day (neither retired by a merge or split nor yet to be made)."""
        return self.filter(_in_being(day))

    def with_status(self, day):
        """Each plot with `status` on the day (free / reserved / allocated / reclaimed; retired
        when it is not a plot that day: merged, split, or not yet made)."""
        holds = PlotHold.objects.filter(plot=OuterRef("pk"))
        in_force = holds.filter(_covering(day))
        last_released = holds.filter(released_on__lte=day).order_by("-released_on", "-pk")
        return self.annotate(
            _in_being=models.ExpressionWrapper(_in_being(day), output_field=models.BooleanField()),
            _allocated=Exists(in_force.filter(kind=HoldKind.CONTRACT)),
            _reserved=Exists(in_force.filter(kind=HoldKind.RESERVATION)),
            _last_release=models.Subquery(last_released.values("release_reason")[:1]),
            status=models.Case(
                models.When(_in_being=False, then=models.Value(PlotStatus.RETIRED)),
                models.When(_allocated=True, then=models.Value(PlotStatus.ALLOCATED)),
                models.When(_reserved=True, then=models.Value(PlotStatus.RESERVED)),
                models.When(_last_release=ReleaseReason.TERMINATED, then=models.Value(PlotStatus.RECLAIMED)),
                default=models.Value(PlotStatus.FREE),
                output_field=models.CharField(),
            ),
        )

    def free_on(self, day):
        """Plots in being on the day that no hold covers (free or reclaimed: both may be handed
        out). Every free-land figure and list reads this: a retired plot drops out here."""
        return self.in_being(day).exclude(
            Exists(PlotHold.objects.filter(_covering(day), plot=OuterRef("pk")))
        )

    def fully_serviced(self):
        return self.filter(**{f"has_{name}": True for name in UTILITIES})


def free_plots(day):
    """(all plots, the plots free on the day with every utility in place): what feeds estates' free
    serviced land (estates.models.free_land_expression and free_land_by, provided from
    LandConfig.ready), which read an estate's plots from them."""
    return Plot.objects.all(), Plot.objects.free_on(day).fully_serviced()


class Plot(models.Model):
    estate = models.ForeignKey(Estate, models.PROTECT, related_name="plots", verbose_name=_("estate"))
    code = models.CharField(_("code"), max_length=30)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(1)]
    )
    use = models.CharField(_("use"), max_length=12, choices=PlotUse, default=PlotUse.INDUSTRIAL)
    has_water = models.BooleanField(_("water"), default=False)
    has_electricity = models.BooleanField(_("electricity"), default=False)
    has_gas = models.BooleanField(_("gas"), default=False)
    has_road = models.BooleanField(_("road"), default=False)
    has_telecom = models.BooleanField(_("telecom"), default=False)
    price_per_m2_rials = models.BigIntegerField(_("price per m² (rials)"), validators=[MinValueValidator(0)])
    # A GeoJSON polygon on the estate's site plan (the estate's own coordinates, in metres).
    polygon = models.JSONField(_("polygon (GeoJSON)"), null=True, blank=True)
    # Its lineage, written only by the named actions merge_plots / split_plot (never typed): the
    # change that made it (a plot from that day) and the change that retired it (no longer a plot
    # from that day). Its status stays derived from these and its holds (PlotQuerySet.with_status).
    made_by = models.ForeignKey(
        "PlotChange", models.PROTECT, null=True, blank=True, editable=False, related_name="results",
        verbose_name=_("made by"),
    )  # fmt: skip
    ended_by = models.ForeignKey(
        "PlotChange", models.PROTECT, null=True, blank=True, editable=False, related_name="sources",
        verbose_name=_("retired by"),
    )  # fmt: skip

    objects = PlotQuerySet.as_manager()
    history = audited_history()
    # What clean() checks (the docs of the import list them, shahrak/imports/docs.py).
    import_rules = (POLYGON_RULE,)

    # Where a record is (shahrak/core/places.py). A plot has no dated fact: its status is derived.
    county_path = "estate__county"
    estate_path = "estate"

    class Meta:
        ordering = ["estate", "code"]
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        # Free serviced land (estates.models.free_land_expression / free_land_by) reads an estate's
        # serviced plots: their area, lineage and id (for their holds) from this index alone.
        indexes = [
            models.Index(
                fields=["estate", "id", "area_m2", "made_by", "ended_by"],
                condition=Q(**{f"has_{name}": True for name in UTILITIES}),
                name="plot_serviced_cover",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["estate", "code"],
                name="plot_code_unique_in_estate",
                violation_error_message=_("This estate already has a plot with this code."),
            ),
            models.CheckConstraint(
                condition=Q(area_m2__gt=0),
                name="plot_area_positive",
                violation_error_message=_("A plot's area is more than zero."),
            ),
            models.CheckConstraint(condition=Q(price_per_m2_rials__gte=0), name="plot_price_not_negative"),
            models.CheckConstraint(condition=Q(use__in=PlotUse.values), name="plot_use_valid"),
        ]

    def __str__(self) -> str:
        # A plot is named by its code (TH-01/A-12), marked as a code inside Persian text.
        return code_text(f"{self.estate.code}/{self.code}")

    @property
    def area_ha(self):
        return self.area_m2 / 10_000

    @property
    def utilities(self) -> list[str]:
        return [name for name in UTILITIES if getattr(self, f"has_{name}")]

    @property
    def fully_serviced(self) -> bool:
        return len(self.utilities) == len(UTILITIES)

    @property
    def price_class(self) -> str:
        """The price class shown to the public (terms.price_class), not the price itself."""
        from .terms import price_class

        return price_class(self.price_per_m2_rials)[1]

    def in_being_on(self, day) -> bool:
        """The same rule as PlotQuerySet.in_being, on the plot in hand."""
        made = self.made_by.date if self.made_by_id else None
        ended = self.ended_by.date if self.ended_by_id else None
        return (made is None or made <= day) and (ended is None or ended > day)

    def status_on(self, day) -> str:
        """The derived status on the day (the same rule as PlotQuerySet.with_status)."""
        return Plot.objects.with_status(day).values_list("status", flat=True).get(pk=self.pk)

    def clean(self):
        if self.polygon is not None:
            validate_polygon(self.polygon)
        if self.pk and (self.made_by_id or self.ended_by_id):
            self._keep_lineage()

    def _keep_lineage(self):
        """A merge or split fixed this plot's estate and area (the areas add up across it), and a
        retired plot is kept as it was: changing them is refused; merge or split again instead."""
        stored = Plot.objects.filter(pk=self.pk).values("estate_id", "area_m2", "use").first()
        if stored is None:
            return
        fixed = {"estate_id": "estate", "area_m2": "area_m2"}
        if self.ended_by_id:
            fixed["use"] = "use"
        changed = [name for attname, name in fixed.items() if stored[attname] != getattr(self, attname)]
        if not changed:
            return
        if self.ended_by_id:
            message = _("This plot was merged or split on %(date)s: it is kept as it was then.") % {
                "date": fmt.jdate(self.ended_by.date)
            }
        else:
            message = _(
                "This plot was made by a merge or split on %(date)s, which fixed its estate and area: merge "
                "or split it again instead."
            ) % {"date": fmt.jdate(self.made_by.date)}
        raise ValidationError(dict.fromkeys(changed, message), code="lineage")


def validate_polygon(value) -> None:
    """A GeoJSON Polygon: a closed ring of at least four [x, y] positions."""
    message = POLYGON_RULE
    try:
        ring = value["coordinates"][0]
        ok = (
            value.get("type") == "Polygon"
            and len(ring) >= 4
            and ring[0] == ring[-1]
            and all(len(p) == 2 and all(isinstance(c, int | float) for c in p) for p in ring)
        )
    except (TypeError, KeyError, IndexError, AttributeError):
        ok = False
    if not ok:
        raise ValidationError({"polygon": message}, code="polygon")


class ApplicantKind(models.TextChoices):
    LEGAL = "legal", _("legal person (national legal ID)")
    NATURAL = "natural", _("natural person (national code)")


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    OFFICE = "office", _("at the office")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    # "approved" alone is a project's approval date in Persian: the state has its own context.
    APPROVED = "approved", pgettext_lazy("application state", "approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CONTRACTED = "contracted", _("contracted")


DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.CONTRACTED)


# A tracking code is 28 characters of Crockford's base32 (no I, L, O, U: read aloud and typed
# without confusion), 140 random bits, shown in groups of four: K7QF-2M9X-…  Only its SHA-256
# hash is stored (Application.tracking_hash), so a copy of the database does not reveal live codes;
# the applicant is shown the code once, when the application is received.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_LENGTH = 28
_TRACKING_READ = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def new_tracking_code() -> str:
    """An unguessable code an applicant follows the application with (140 random bits)."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, TRACKING_LENGTH, 4))


def tracking_hash(code: str) -> str:
    """The stored fingerprint of a tracking code as typed (any case, with or without its dashes;
    the 16 hexadecimal characters of the codes issued before are read the same way)."""
    from shahrak.core.text import normalize

    plain = normalize(code or "").upper().translate(_TRACKING_READ)
    return hashlib.sha256(plain.encode("ascii", "replace")).hexdigest()


class ApplicationQuerySet(AuditedQuerySet):
    def received_between(self, start, end):
        return self.filter(applied_date__range=(start, end))


class Application(models.Model):
    estate = models.ForeignKey(
        Estate, models.PROTECT, related_name="land_applications", verbose_name=_("preferred estate")
    )
    applicant_kind = models.CharField(
        _("applicant"), max_length=8, choices=ApplicantKind, default=ApplicantKind.LEGAL
    )
    applicant_id = models.CharField(
        _("national legal ID or national code"),
        max_length=11,
        help_text=_("11 digits for a legal person, 10 for a natural person, with the check digit."),
    )
    name = models.CharField(_("applicant's name"), max_length=250)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    licence_number = models.CharField(_("establishment licence number"), max_length=40, blank=True)
    licence_date = models.DateField(_("establishment licence date"), **OPTIONAL_DATE)
    isic = models.ForeignKey(
        IsicClass, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ISIC class")
    )
    requested_area_m2 = models.DecimalField(
        _("requested area (m²)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(1)]
    )
    requested_plots = models.ManyToManyField(
        Plot, blank=True, related_name="requested_in", verbose_name=_("preferred plots")
    )
    applied_date = models.DateField(_("applied"), **DATE)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel, default=Channel.OFFICE)
    score = models.DecimalField(
        _("evaluation score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # The score of each criterion (terms.CRITERIA), kept with the application.
    criteria_scores = models.JSONField(_("criteria scores"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus, default=ApplicationStatus.SUBMITTED
    )
    decided_date = models.DateField(_("decided"), **OPTIONAL_DATE)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # The SHA-256 of the tracking code (tracking_hash()); the code itself is never stored.
    tracking_hash = models.CharField(_("tracking code (SHA-256)"), max_length=64, unique=True, editable=False)

    objects = ApplicationQuerySet.as_manager()
    history = audited_history()
    import_rules = (_("A national legal ID or national code ends in its correct check digit."),)

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "estate__county"
    estate_path = "estate"
    # Fields written as issued, shown as codes (ui/history.py).
    code_fields = ("applicant_id", "phone", "licence_number", "tracking_hash")
    # Its dated facts, locked with their months (shahrak/returns/locks.py).
    fact_dates = {"applied_date": ("channel",), "decided_date": ()}

    class Meta:
        ordering = ["-applied_date", "-id"]
        verbose_name = _("land application")
        verbose_name_plural = _("land applications")
        indexes = [
            models.Index(fields=["status", "applied_date"]),
            models.Index(fields=["applied_date", "estate"]),
            models.Index(fields=["decided_date", "status"]),
            # Days from application to contract: the contracts of a period look their application's
            # date up here, without reading the applications' rows.
            CoveringIndex(fields=["id"], covering=["applied_date"], name="application_applied_cover"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(applicant_kind__in=ApplicantKind.values), name="application_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(applicant_kind="legal", applicant_id__regex=r"^[0-9]{11}$")
                | Q(applicant_kind="natural", applicant_id__regex=r"^[0-9]{10}$"),
                name="application_applicant_id_digits",
                violation_error_message=_(
                    "A legal person's national legal ID has 11 digits, a natural person's national code 10."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.REJECTED) | ~Q(rejection_reason=""),
                name="application_rejection_has_reason",
                violation_error_message=_("Give the reason for a rejection."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=DECIDED) | Q(decided_date__isnull=False),
                name="application_decision_has_date",
                violation_error_message=_("A decided application needs the date of the decision."),
            ),
            models.CheckConstraint(
                condition=Q(decided_date__isnull=True) | Q(decided_date__gte=F("applied_date")),
                name="application_decided_after_applied",
                violation_error_message=_("An application is decided on or after the day it was made."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="application_score_0_100",
                violation_error_message=_("The evaluation score is between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({code_text(f'#{self.pk}')})" if self.pk else self.name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new application gets its code (shown once, to the applicant); one read from the
        # database keeps its hash (not looked at when deferred).
        if "tracking_hash" in self.__dict__ and not self.tracking_hash:
            self.tracking_code = new_tracking_code()

    @property
    def tracking_code(self) -> str | None:
        """The tracking code in plain text: known only on the instance that issued it."""
        return getattr(self, "_tracking_code", None)

    @tracking_code.setter
    def tracking_code(self, code: str) -> None:
        self._tracking_code = code
        self.tracking_hash = tracking_hash(code)

    def clean(self):
        if self.applicant_id:
            from shahrak.core.text import normalize

            self.applicant_id = normalize(self.applicant_id).strip()
            try:
                validate_applicant_id(self.applicant_kind, self.applicant_id)
            except ValidationError as error:
                raise ValidationError({"applicant_id": error.messages}) from None

    def reservation_in_force(self, day) -> bool:
        return self.holds.filter(_covering(day), kind=HoldKind.RESERVATION).exists()

    def lapsed_on(self, day) -> bool:
        """Approved, but its reservation has ended before a contract was signed."""
        return self.status == ApplicationStatus.APPROVED and not self.reservation_in_force(day)


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    COMPLETED = "completed", _("completed")
    TERMINATED = "terminated", _("terminated")


class ContractQuerySet(AuditedQuerySet):
    def signed_between(self, start, end):
        return self.filter(signed_date__range=(start, end))

    def active_on(self, day):
        """Signed on or before the day, neither completed nor terminated by then."""
        return self.filter(signed_date__lte=day).filter(
            Q(completed_date__isnull=True) | Q(completed_date__gt=day),
            Q(terminated_date__isnull=True) | Q(terminated_date__gt=day),
        )

    def with_deadline_on(self, day):
        """Each contract with `deadline_on`: its construction deadline, extensions granted by the day included."""
        extended = ContractExtension.objects.filter(contract=OuterRef("pk"), granted_date__lte=day)
        latest = models.Subquery(
            extended.values("contract").annotate(until=Max("new_deadline")).values("until")[:1],
            output_field=models.DateField(),
        )
        return self.annotate(
            deadline_on=Greatest(F("construction_deadline"), Coalesce(latest, F("construction_deadline")))
        )

    def stalled_on(self, day):
        """Active on the day with its deadline (extensions granted by then included) before it. The
        deadline of `with_deadline_on` is before the day exactly when the construction deadline is
        and no extension granted by then runs to the day or later: read so, in one anti-join rather
        than the latest extension looked up per contract."""
        extended_to_the_day = ContractExtension.objects.filter(
            contract=OuterRef("pk"), granted_date__lte=day, new_deadline__gte=day
        )
        return self.active_on(day).filter(construction_deadline__lt=day).filter(~Exists(extended_to_the_day))


class AllocationContract(models.Model):
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    application = models.OneToOneField(
        Application,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contract",
        verbose_name=_("application"),
    )
    estate = models.ForeignKey(
        Estate, models.PROTECT, related_name="land_contracts", verbose_name=_("estate")
    )
    holder = models.ForeignKey(
        ProductionUnit, models.PROTECT, related_name="land_contracts", verbose_name=_("holder")
    )
    signed_date = models.DateField(_("signed"), **DATE)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    discount_percent = models.DecimalField(
        _("discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    fee_rials = models.BigIntegerField(_("right-of-use fee (rials)"), validators=[MinValueValidator(0)])
    cash_share_rials = models.BigIntegerField(_("cash share (rials)"), validators=[MinValueValidator(0)])
    construction_deadline = models.DateField(_("construction deadline"), **DATE)
    status = models.CharField(
        _("status"), max_length=10, choices=ContractStatus, default=ContractStatus.ACTIVE
    )
    completed_date = models.DateField(_("operation licence date"), **OPTIONAL_DATE)
    terminated_date = models.DateField(_("terminated"), **OPTIONAL_DATE)
    termination_reason = models.TextField(_("reason for termination"), blank=True)

    objects = ContractQuerySet.as_manager()
    history = audited_history()
    # The rules of its plots' holds (PlotHold.clean) and of the named actions, kept by imports too.
    import_rules = (
        _("A plot is never held twice on one day: a contract's plots are held from signing, so none may be "
          "reserved or under contract on or after that day, in the database or in the same file."),
        _("The plots and the signing day of a stored contract are not changed by an import."),
    )  # fmt: skip

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "estate__county"
    estate_path = "estate"
    code_fields = ("number",)
    # Its dated facts, locked with their months (shahrak/returns/locks.py).
    fact_dates = {
        "signed_date": ("area_m2", "fee_rials", "cash_share_rials"),
        "completed_date": (),
        "terminated_date": (),
    }

    class Meta:
        ordering = ["-signed_date", "number"]
        verbose_name = _("allocation contract")
        verbose_name_plural = _("allocation contracts")
        indexes = [
            models.Index(fields=["signed_date", "estate"]),
            models.Index(fields=["terminated_date"]),
            models.Index(fields=["status", "construction_deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ContractStatus.values), name="contract_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(cash_share_rials__gte=0, cash_share_rials__lte=F("fee_rials")),
                name="contract_cash_share_within_fee",
                violation_error_message=_("The cash share is between zero and the fee."),
            ),
            models.CheckConstraint(
                condition=Q(construction_deadline__gte=F("signed_date")),
                name="contract_deadline_after_signing",
                violation_error_message=_("The construction deadline cannot come before signing."),
            ),
            models.CheckConstraint(
                condition=(Q(status=ContractStatus.COMPLETED) & Q(completed_date__gte=F("signed_date")))
                | (~Q(status=ContractStatus.COMPLETED) & Q(completed_date__isnull=True)),
                name="contract_completed_iff_date",
                violation_error_message=_(
                    "A completed contract, and only a completed one, has its operation licence date, on or after signing."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ContractStatus.TERMINATED)
                    & Q(terminated_date__gte=F("signed_date"))
                    & ~Q(termination_reason="")
                )
                | (~Q(status=ContractStatus.TERMINATED) & Q(terminated_date__isnull=True)),
                name="contract_terminated_iff_date_and_reason",
                violation_error_message=_(
                    "A terminated contract, and only a terminated one, has the date (on or after signing) and the reason."
                ),
            ),
        ]

    def __str__(self) -> str:
        return code_text(self.number)

    @property
    def area_ha(self):
        return self.area_m2 / 10_000

    @property
    def plots(self):
        return Plot.objects.filter(holds__contract=self).distinct()

    def deadline_on(self, day) -> dt.date:
        return (
            AllocationContract.objects.with_deadline_on(day)
            .values_list("deadline_on", flat=True)
            .get(pk=self.pk)
        )


class HoldKind(models.TextChoices):
    RESERVATION = "reservation", _("reservation")
    CONTRACT = "contract", _("contract")


class ReleaseReason(models.TextChoices):
    LAPSED = "lapsed", _("reservation lapsed")
    CONTRACTED = "contracted", _("contract signed")
    WITHDRAWN = "withdrawn", _("application withdrawn")
    TERMINATED = "terminated", _("contract terminated (reclaimed)")
    TRANSFERRED = "transferred", _("merged or split into another contract")
    PLOT_CHANGE = "plot_change", _("plot merged or split (the contract holds the new plots)")


class PlotHold(models.Model):
    """A plot held from `start_date` until `released_on` (the first day it is no longer held; empty
    while it is held). No two holds of one plot cover the same day."""

    plot = models.ForeignKey(Plot, models.PROTECT, related_name="holds", verbose_name=_("plot"))
    kind = models.CharField(_("kind"), max_length=12, choices=HoldKind)
    application = models.ForeignKey(
        Application,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="holds",
        verbose_name=_("application"),
    )
    contract = models.ForeignKey(
        AllocationContract,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="holds",
        verbose_name=_("contract"),
    )
    start_date = models.DateField(_("from"), **DATE)
    released_on = models.DateField(_("released on"), **OPTIONAL_DATE)
    release_reason = models.CharField(_("released because"), max_length=12, choices=ReleaseReason, blank=True)

    objects = AuditedQuerySet.as_manager()
    history = audited_history()

    # Where a record is (shahrak/core/places.py). Its dates are those of its application or contract,
    # whose facts are locked with their months.
    county_path = "plot__estate__county"
    estate_path = "plot__estate"

    class Meta:
        ordering = ["plot", "start_date"]
        verbose_name = _("plot hold")
        verbose_name_plural = _("plot holds")
        indexes = [models.Index(fields=["plot", "start_date", "released_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=HoldKind.values), name="hold_kind_valid"),
            models.CheckConstraint(
                condition=Q(released_on__isnull=True) | Q(released_on__gte=F("start_date")),
                name="hold_released_after_start",
                violation_error_message=_("A hold is released on or after the day it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=HoldKind.CONTRACT) & Q(contract__isnull=False))
                | (Q(kind=HoldKind.RESERVATION) & Q(application__isnull=False, contract__isnull=True)),
                name="hold_kind_has_its_record",
                violation_error_message=_(
                    "A reservation belongs to an application, a contract's hold to a contract."
                ),
            ),
        ]

    def __str__(self) -> str:
        until = fmt.jdate(self.released_on) if self.released_on else ""
        return f"{self.plot} {self.get_kind_display()} {fmt.jdate(self.start_date)}–{until}"

    def overlapping(self):
        """Other holds of the same plot that share a day with this one."""
        if self.released_on is not None and self.released_on <= self.start_date:
            return PlotHold.objects.none()  # an empty hold (released the day it started)
        others = PlotHold.objects.filter(plot_id=self.plot_id).exclude(pk=self.pk)
        others = others.filter(Q(released_on__isnull=True) | Q(released_on__gt=self.start_date))
        others = others.exclude(released_on=F("start_date"))
        if self.released_on is not None:
            others = others.filter(start_date__lt=self.released_on)
        return others

    def clean(self):
        if self.plot_id is None or self.start_date is None:
            return
        plot = self.plot
        made = plot.made_by.date if plot.made_by_id else None
        ended = plot.ended_by.date if plot.ended_by_id else None
        held_until = self.released_on  # the first day not held (None: open)
        empty = held_until is not None and held_until <= self.start_date
        if not empty and (
            (made is not None and self.start_date < made)
            or (ended is not None and (held_until is None or held_until > ended))
        ):
            raise ValidationError(
                _("Plot %(plot)s is a plot only from %(made)s until %(ended)s (merge or split): it is not held outside those days.")
                % {"plot": plot, "made": fmt.jdate(made) if made else "—", "ended": fmt.jdate(ended) if ended else "—"},
                code="plot_not_in_being",
            )  # fmt: skip
        clash = self.overlapping().select_related("plot").first()
        if clash is not None:
            raise ValidationError(
                _(
                    "Plot %(plot)s is already held on these days (%(hold)s): a plot is never held twice on one day."
                )
                % {"plot": self.plot, "hold": clash.get_kind_display()},
                code="plot_held_twice",
            )


class ContractExtension(models.Model):
    contract = models.ForeignKey(
        AllocationContract, models.CASCADE, related_name="extensions", verbose_name=_("contract")
    )
    granted_date = models.DateField(_("granted"), **DATE)
    new_deadline = models.DateField(_("new construction deadline"), **DATE)
    reason = models.TextField(_("reason"))

    objects = AuditedQuerySet.as_manager()
    history = audited_history()
    # What clean() and the named action (actions.extend) check, kept by imports too.
    import_rules = (
        _("Only an active contract is extended."),
        _("An extension is granted on or after signing."),
        _("An extension moves the deadline later than the deadline in force on the day it is granted."),
    )

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "contract__estate__county"
    estate_path = "contract__estate"
    # Its dated facts, locked with their months (shahrak/returns/locks.py).
    fact_dates = {"granted_date": WHOLE_RECORD}

    class Meta:
        ordering = ["contract", "granted_date"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="extension_has_reason",
                violation_error_message=_("Give the reason for an extension."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.contract} → {fmt.jdate(self.new_deadline)}"

    def clean(self):
        if self.contract_id is None or self.new_deadline is None or self.granted_date is None:
            return
        # The deadline as it is on the day, by the other extensions (a stored one is not its own reason).
        others = self.contract.extensions.filter(granted_date__lte=self.granted_date).exclude(pk=self.pk)
        extended = others.aggregate(until=Max("new_deadline"))["until"]
        current = max(self.contract.construction_deadline, extended or self.contract.construction_deadline)
        if self.new_deadline <= current:
            raise ValidationError(
                {"new_deadline": _("An extension moves the deadline later than it is now (%(current)s).")
                 % {"current": fmt.jdate(current)}}
            )  # fmt: skip
        if self.granted_date < self.contract.signed_date:
            raise ValidationError({"granted_date": _("An extension is granted on or after signing.")})


class ContractTransfer(models.Model):
    """The contract handed to another holder (with the organization's consent)."""

    contract = models.ForeignKey(
        AllocationContract, models.CASCADE, related_name="transfers", verbose_name=_("contract")
    )
    date = models.DateField(_("date"), **DATE)
    from_holder = models.ForeignKey(ProductionUnit, models.PROTECT, related_name="+", verbose_name=_("from"))
    to_holder = models.ForeignKey(ProductionUnit, models.PROTECT, related_name="+", verbose_name=_("to"))
    reason = models.TextField(_("reason"), blank=True)

    objects = AuditedQuerySet.as_manager()
    history = audited_history()
    # What the named action (actions.transfer) checks, kept by imports too.
    import_rules = (
        _("Only an active contract is transferred, on or after signing."),
        _(
            "A new transfer comes after the contract's last transfer; it is made by the holder the contract has then."
        ),
    )

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "contract__estate__county"
    estate_path = "contract__estate"
    # Its dated facts, locked with their months (shahrak/returns/locks.py).
    fact_dates = {"date": WHOLE_RECORD}

    class Meta:
        ordering = ["contract", "date"]
        verbose_name = _("contract transfer")
        verbose_name_plural = _("contract transfers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_holder=F("to_holder")), name="transfer_to_another_holder",
                violation_error_message=_("A contract is transferred to another holder."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.contract}: {self.from_holder} → {self.to_holder}"


class PlotChangeKind(models.TextChoices):
    MERGE = "merge", _("merge")
    SPLIT = "split", _("split")


class PlotChange(models.Model):
    """Plots of one estate merged into one, or one plot split into several, on `date` (written only
    by actions.merge_plots / split_plot). Its sources (Plot.ended_by) are no longer plots from the
    day, its results (Plot.made_by) are plots from it; their areas add up to the same. When a
    contract held the sources, it holds the results from the day (`contract`)."""

    estate = models.ForeignKey(Estate, models.PROTECT, related_name="plot_changes", verbose_name=_("estate"))
    kind = models.CharField(_("kind"), max_length=6, choices=PlotChangeKind)
    date = models.DateField(_("date"), **DATE)
    reason = models.TextField(_("reason"))
    contract = models.ForeignKey(
        AllocationContract, models.PROTECT, null=True, blank=True, related_name="plot_changes",
        verbose_name=_("contract holding the plots"),
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip

    objects = AuditedQuerySet.as_manager()
    history = audited_history()

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "estate__county"
    estate_path = "estate"
    # Its dated facts, locked with their months (shahrak/returns/locks.py).
    fact_dates = {"date": WHOLE_RECORD}

    class Meta:
        ordering = ["estate", "-date", "-id"]
        verbose_name = _("plot merge or split")
        verbose_name_plural = _("plot merges and splits")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PlotChangeKind.values), name="plot_change_kind_valid"),
            models.CheckConstraint(
                condition=~Q(reason=""), name="plot_change_has_reason",
                violation_error_message=_("Give the reason for a merge or split."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {fmt.jdate(self.date)}"


class Instalment(models.Model):
    contract = models.ForeignKey(
        AllocationContract, models.CASCADE, related_name="instalments", verbose_name=_("contract")
    )
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("0 is the cash share, due on signing.")
    )
    due_date = models.DateField(_("due"), **DATE)
    amount_rials = models.BigIntegerField(_("amount (rials)"), validators=[MinValueValidator(0)])

    objects = AuditedQuerySet.as_manager()
    history = audited_history()

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "contract__estate__county"
    estate_path = "contract__estate"
    # Its dated facts, locked with their months (shahrak/returns/locks.py).
    fact_dates = {"due_date": ("amount_rials",)}

    class Meta:
        ordering = ["contract", "number"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        indexes = [models.Index(fields=["due_date", "contract", "amount_rials"], name="instalment_due_cover")]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="instalment_one_per_number",
                violation_error_message=_("This contract already has an instalment with this number."),
            ),
            models.CheckConstraint(condition=Q(amount_rials__gte=0), name="instalment_not_negative"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.contract} #{fmt.digits(self.number)}"


class LandPayment(models.Model):
    contract = models.ForeignKey(
        AllocationContract, models.PROTECT, related_name="payments", verbose_name=_("contract")
    )
    date = models.DateField(_("date"), **DATE)
    amount_rials = models.BigIntegerField(_("amount (rials)"), validators=[MinValueValidator(1)])
    reference = models.CharField(_("payment reference"), max_length=40, blank=True)

    objects = AuditedQuerySet.as_manager()
    history = audited_history()

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "contract__estate__county"
    estate_path = "contract__estate"
    code_fields = ("reference",)
    import_rules = (_("A payment is made on or after the contract is signed."),)
    # Its dated facts, locked with their months (shahrak/returns/locks.py).
    fact_dates = {"date": WHOLE_RECORD}

    class Meta:
        ordering = ["contract", "date", "id"]
        verbose_name = _("land payment")
        verbose_name_plural = _("land payments")
        indexes = [models.Index(fields=["date", "contract", "amount_rials"], name="land_payment_date_cover")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_rials__gt=0), name="land_payment_positive",
                violation_error_message=_("A payment is more than zero rials."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        # «TH-01-1401-0001، ۱۴۰۱/۰۳/۰۱: ۱٬۲۰۰٬۰۰۰٬۰۰۰ ریال»: the contract, the Solar Hijri day, the rials.
        return _("%(contract)s, %(date)s: %(amount)s rials") % {
            "contract": self.contract,
            "date": fmt.jdate(self.date),
            "amount": fmt.number(self.amount_rials),
        }

    def clean(self):
        if self.contract_id is not None and self.date is not None and self.date < self.contract.signed_date:
            raise ValidationError({"date": _("A payment is made on or after the contract is signed.")})


def lease_covers(day) -> Q:
    """Leases covering the day: started on or before it, not ended before it. The one rule of an
    occupied workshop."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


class LeaseQuerySet(AuditedQuerySet):
    def covering(self, day):
        return self.filter(lease_covers(day))


def workshop_leases(day):
    """(a lease covers the day, the workshop was ever leased) for WorkshopQuerySet.free_on, the one
    rule of a free workshop (estates.models, which cannot import this app)."""
    leases = WorkshopLease.objects.filter(workshop=OuterRef("pk"))
    return Exists(leases.covering(day)), Exists(leases)


class WorkshopLease(models.Model):
    """A workshop leased to a tenant from `start_date` to `end_date` (the last day; empty while open)."""

    workshop = models.ForeignKey(
        WorkshopUnit, models.PROTECT, related_name="leases", verbose_name=_("workshop")
    )
    tenant = models.ForeignKey(
        ProductionUnit, models.PROTECT, related_name="leases", verbose_name=_("tenant")
    )
    start_date = models.DateField(_("start"), **DATE)
    end_date = models.DateField(_("end"), **OPTIONAL_DATE)
    monthly_rent_rials = models.BigIntegerField(_("monthly rent (rials)"), validators=[MinValueValidator(0)])

    objects = LeaseQuerySet.as_manager()
    history = audited_history()
    import_rules = (
        _("A workshop is leased only once it is completed."),
        _("A workshop is leased to one tenant on a day: leases of one workshop do not overlap."),
    )

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "workshop__estate__county"
    estate_path = "workshop__estate"
    # Its dated facts, locked with their months (shahrak/returns/locks.py).
    fact_dates = {"start_date": ("tenant",), "end_date": ()}

    class Meta:
        ordering = ["workshop", "start_date"]
        verbose_name = _("workshop lease")
        verbose_name_plural = _("workshop leases")
        indexes = [models.Index(fields=["workshop", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="lease_ends_after_start",
                violation_error_message=_("A lease ends on or after the day it starts."),
            ),
            models.CheckConstraint(condition=Q(monthly_rent_rials__gte=0), name="lease_rent_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop} → {self.tenant.name}"

    def clean(self):
        if self.workshop_id is None or self.start_date is None:
            return
        workshop = self.workshop
        if workshop.completed_date is None or workshop.completed_date > self.start_date:
            raise ValidationError({"start_date": _("A workshop is leased only once it is completed.")})
        others = WorkshopLease.objects.filter(workshop_id=self.workshop_id).exclude(pk=self.pk)
        others = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
        if self.end_date is not None:
            others = others.filter(start_date__lte=self.end_date)
        if others.exists():
            raise ValidationError(
                _("Workshop %(workshop)s is already leased on some of these days.") % {"workshop": workshop},
                code="workshop_leased_twice",
            )


class Programme(models.Model):
    """A named plan with a target and its member workshops (e.g. the 1,000-workshop plan)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    target = models.PositiveIntegerField(_("target (workshops)"))
    start_date = models.DateField(_("start"), **OPTIONAL_DATE)
    end_date = models.DateField(_("end"), **OPTIONAL_DATE)

    objects = AuditedQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "fa").startswith("en")
        return (self.name_en or self.name_fa) if english else self.name_fa


class ProgrammeMember(models.Model):
    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="members", verbose_name=_("programme")
    )
    workshop = models.ForeignKey(
        WorkshopUnit, models.PROTECT, related_name="programmes", verbose_name=_("workshop")
    )

    objects = AuditedQuerySet.as_manager()
    history = audited_history()

    # Where a record is (shahrak/core/places.py): where its workshop is. Programmes are national.
    county_path = "workshop__estate__county"
    estate_path = "workshop__estate"

    class Meta:
        ordering = ["programme", "workshop"]
        verbose_name = _("programme member")
        verbose_name_plural = _("programme members")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "workshop"], name="programme_member_once",
                violation_error_message=_("This workshop is already in the programme."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.programme}: {self.workshop}"
