"""Production units (enterprises) and the dated events of their lives.

A unit's status on a day is the kind of its last event on or before that day. The events are the
truth; each event also carries two derived values for the figures, kept in step by save() and
delete() and rebuilt and verified by `shahrak rebuild_metric_caches` (shahrak/units/caches.py):
the date of the unit's next event (`ends_on`) and the unit's county.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shahrak.core.history import AuditedQuerySet, audited_history
from shahrak.core.indexes import CoveringIndex
from shahrak.core.places import WHOLE_RECORD
from shahrak.core.validators import validate_date_in_range, validate_national_id
from shahrak.estates.models import Estate
from shahrak.regions.models import County

from .caches import refresh_unit_caches


class TechIntensity(models.TextChoices):
    """OECD taxonomy of economic activities by R&D intensity (Galindo-Rueda & Verger, 2016)."""

    HIGH = "high", _("high technology")
    MEDIUM_HIGH = "medium_high", _("medium-high technology")
    MEDIUM = "medium", _("medium technology")
    MEDIUM_LOW = "medium_low", _("medium-low technology")
    LOW = "low", _("low technology")
    NON_MANUFACTURING = "non_manufacturing", _("not manufacturing")


class IsicClass(models.Model):
    """An ISIC Rev.4 class (four digits) with its OECD technology intensity."""

    code = models.CharField(_("ISIC Rev.4 code"), max_length=4, primary_key=True)
    name_en = models.CharField(_("English name"), max_length=250)
    name_fa = models.CharField(_("Persian name"), max_length=250, blank=True)
    tech_intensity = models.CharField(_("technology intensity"), max_length=20, choices=TechIntensity)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ISIC class")
        verbose_name_plural = _("ISIC classes")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{4}$"), name="isic_code_format"),
            models.CheckConstraint(
                condition=Q(tech_intensity__in=TechIntensity.values), name="isic_intensity_valid"
            ),
        ]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        from shahrak.core.text import code_text

        english = (get_language() or "fa").startswith("en")
        name = (self.name_en or self.name_fa) if english else (self.name_fa or self.name_en)
        return f"{code_text(self.code)} {name}"


class SizeClass(models.TextChoices):
    MICRO = "micro", _("micro (1–9)")
    SMALL = "small", _("small (10–49)")
    MEDIUM = "medium", _("medium (50–99)")
    LARGE = "large", _("large (100+)")


# A unit's size class by its employees: below each bound, its class; from the last bound on, large.
# The one home of the rule: the Python form and the database form below both read it.
SIZE_BOUNDS = ((10, SizeClass.MICRO), (50, SizeClass.SMALL), (100, SizeClass.MEDIUM))


def size_class_expression(unit: str = ""):
    """The size class derived from employees, as a database expression (micro 1–9 ... large 100+);
    `unit` is the path to the unit from the rows queried (e.g. "unit__" from its events)."""
    return models.Case(
        *[models.When(**{f"{unit}employees__lt": bound}, then=models.Value(size)) for bound, size in SIZE_BOUNDS],
        default=models.Value(SizeClass.LARGE),
        output_field=models.CharField(),
    )


def size_class_of(employees: int) -> str:
    for bound, size in SIZE_BOUNDS:
        if employees < bound:
            return size
    return SizeClass.LARGE


class ProductionUnitQuerySet(AuditedQuerySet):
    def knowledge_based_on(self, day):
        return self.filter(knowledge_based_since__lte=day)

    def with_size_class(self):
        return self.annotate(size_class=size_class_expression())


COUNTY_OUTSIDE_ESTATES = _("Choose the county of a unit outside estates.")


class ProductionUnit(models.Model):
    national_id = models.CharField(
        _("national ID"), max_length=11, unique=True, validators=[validate_national_id]
    )
    name = models.CharField(_("name"), max_length=250)
    estate = models.ForeignKey(
        Estate, models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("estate")
    )
    # The unit's county: its estate's county (kept in step by save()), or its own when outside estates.
    # blank: clean() derives it from the estate, or asks for it when there is none.
    county = models.ForeignKey(
        County, models.PROTECT, blank=True, related_name="units", verbose_name=_("county")
    )
    isic = models.ForeignKey(IsicClass, models.PROTECT, related_name="units", verbose_name=_("ISIC class"))
    knowledge_based_since = models.DateField(
        _("knowledge-based since"), null=True, blank=True, validators=[validate_date_in_range]
    )
    employees = models.PositiveIntegerField(_("employees"), validators=[MinValueValidator(1)])

    objects = ProductionUnitQuerySet.as_manager()
    # The history is read by record (id) and by date, never by place or class: without the copies'
    # indexes on estate, county and ISIC class an import of 100,000 units writes its history rows in
    # about a third of the time (bench/import.py).
    history = audited_history(no_db_index=["estate", "county", "isic"])

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "county"
    estate_path = "estate"
    # What clean() checks beyond the constraints (docs/data-format.md lists them with the constraints').
    import_rules = (
        _("A unit in an estate is in its estate's county: a county that differs from the estate's is refused."),
        COUNTY_OUTSIDE_ESTATES,
    )

    class Meta:
        ordering = ["national_id"]
        verbose_name = _("production unit")
        verbose_name_plural = _("production units")
        indexes = [
            models.Index(fields=["county", "estate"]),
            models.Index(fields=["estate"]),
            # What the figures read of a unit found from its events (size class, knowledge-based,
            # ISIC class): index-only lookups instead of hashing every unit (units_established:
            # 105 → 10 ms at scale 1 on PostgreSQL).
            CoveringIndex(
                fields=["id"], covering=["employees", "knowledge_based_since", "isic"], name="unit_figures_cover"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(national_id__regex=r"^[0-9]{11}$"), name="unit_national_id_11_digits"
            ),
            models.CheckConstraint(
                condition=Q(employees__gte=1),
                name="unit_has_employees",
                violation_error_message=_("A unit has at least one employee."),
            ),
        ]

    def __str__(self) -> str:
        from shahrak.core.text import code_text

        return f"{self.name} ({code_text(self.national_id)})"

    def save(self, *args, **kwargs):
        if self.estate_id is not None:
            self.county_id = self.estate.county_id
        moved = not self._state.adding and self.county_id != getattr(self, "_stored_county_id", None)
        with transaction.atomic():
            super().save(*args, **kwargs)
            if moved:
                refresh_unit_caches(self.pk)  # its events carry its county
        self._stored_county_id = self.county_id

    def place_in_estate_county(self) -> None:
        """A unit in an estate is in its estate's county (DESIGN, "Where a record is"). clean() calls
        it, so the write path derives the county before it checks the province; save() again, so a
        direct save cannot store another county. A county given that differs from the estate's (and
        is not the one stored, left over from a change of estate) is refused: it cannot be written."""
        if self.estate_id is None:
            return
        county_id = self.estate.county_id
        if self.county_id not in (None, county_id, getattr(self, "_stored_county_id", None)):
            raise ValidationError(
                {
                    "county": _(
                        "The county of a unit in an estate is its estate's county: estate %(estate)s is in "
                        "county %(county)s, not %(given)s."
                    )
                    % {
                        "estate": self.estate.code,
                        "county": self.estate.county.sci_code,
                        "given": self.county.sci_code,
                    }
                }
            )
        self.county_id = county_id

    def clean(self):
        self.place_in_estate_county()
        if self.county_id is None:
            raise ValidationError({"county": COUNTY_OUTSIDE_ESTATES})

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        unit = super().from_db(db, field_names, values, **kwargs)
        unit._stored_county_id = unit.__dict__.get("county_id")  # to see whether save() moves it
        return unit

    @property
    def size_class(self) -> str:
        return size_class_of(self.employees)


class EventKind(models.TextChoices):
    ESTABLISHED = "established", _("established")
    IDLED = "idled", _("idled")
    REVIVED = "revived", _("revived")
    CLOSED = "closed", _("closed")


class IdleCause(models.TextChoices):
    FINANCE = "finance", _("finance")
    RAW_MATERIALS = "raw_materials", _("raw materials")
    MARKET = "market", _("market")
    MACHINERY = "machinery", _("machinery")
    LICENSING = "licensing", _("licensing")
    UTILITIES = "utilities", _("utilities")
    LEGAL = "legal", _("legal")
    PARTNERS = "partners", _("partners")
    OTHER = "other", _("other")


# The rules of a unit's life, each with its message: event_order_errors checks them, the docs list them.
EVENT_RULES = {
    "one_establishment": _("This unit already has an establishment event."),
    "before_establishment": _("An event cannot come before the unit was established."),
    "establishment_first": _("The establishment must be the unit's first event."),
    "nothing_after_closed": _("A closed unit has no later events."),
    "revived_after_idled": _("A unit can be revived only after it was idled."),
}


def event_order_errors(timeline: dict) -> list[tuple]:
    """What breaks the order of one unit's life (DESIGN, "Validity of a unit's life"): `established`
    is first and only once, `revived` only follows `idled`, nothing follows `closed`.

    `timeline` maps each event's date to its kind. Returns (date, other date or None, field,
    message, message for other) for each break: the event at `date` is out of place next to the
    one at `other`; the caller names whichever of the two it is writing, with its message. The one home of the rule: UnitEvent.clean
    (forms, API, restore) and the importer's batch check both call it.
    """
    errors = []
    days = sorted(timeline)
    established = [day for day in days if timeline[day] == EventKind.ESTABLISHED]
    for day in established[1:]:
        message = EVENT_RULES["one_establishment"]
        errors.append((day, established[0], "kind", message, message))
    if established:
        first = established[0]
        for day in days:
            if day >= first:
                break
            errors.append(
                (
                    day,
                    first,
                    "date",
                    EVENT_RULES["before_establishment"],
                    EVENT_RULES["establishment_first"],
                )
            )
    # An event before the establishment is wrong already; its neighbours are judged without it.
    days = [day for day in days if not established or day >= established[0]]
    for previous, day in zip(days, days[1:], strict=False):
        kind, before = timeline[day], timeline[previous]
        if before == EventKind.CLOSED:
            message = EVENT_RULES["nothing_after_closed"]
            errors.append((day, previous, "kind", message, message))
        elif kind == EventKind.REVIVED and before != EventKind.IDLED:
            message = EVENT_RULES["revived_after_idled"]
            errors.append((day, previous, "kind", message, message))
    if days and timeline[days[0]] == EventKind.REVIVED:
        message = EVENT_RULES["revived_after_idled"]
        errors.append((days[0], None, "kind", message, message))
    return errors


class UnitEventQuerySet(AuditedQuerySet):
    def delete(self):
        """Delete the events, then re-link the cached ends of the events their units keep."""
        with transaction.atomic():
            unit_ids = set(self.values_list("unit_id", flat=True))
            result = super().delete()
            refresh_unit_caches(*unit_ids)
        return result

    def between(self, start, end):
        return self.filter(date__range=(start, end))

    def of_kind(self, kind):
        return self.filter(kind=kind)


class UnitEvent(models.Model):
    unit = models.ForeignKey(ProductionUnit, models.CASCADE, related_name="events", verbose_name=_("unit"))
    date = models.DateField(_("date"), validators=[validate_date_in_range])
    kind = models.CharField(_("event"), max_length=12, choices=EventKind)
    # NULL, not "", when there is no cause: the check constraint ties NULL to every kind but idled.
    cause = models.CharField(  # noqa: DJ001
        _("cause of idling"), max_length=15, choices=IdleCause, null=True, blank=True
    )
    jobs = models.PositiveIntegerField(_("jobs restored"), null=True, blank=True)
    import_rules = tuple(EVENT_RULES.values())  # clean() checks them against the unit's other events
    # Derived caches (not history, not user input): the status this event starts lasts until the
    # unit's next event (empty while it is the last one), so "idle on D" is an index range instead
    # of a search for each unit's last event; and the unit's county, so figures by place need no
    # join to the units.
    ends_on = models.DateField(_("until (next event)"), null=True, blank=True, editable=False)
    county = models.ForeignKey(
        County, models.PROTECT, null=True, blank=True, editable=False, db_index=False, related_name="+",
        verbose_name=_("county"),
    )  # fmt: skip

    objects = UnitEventQuerySet.as_manager()
    history = audited_history(excluded_fields=["ends_on", "county"])

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "unit__county"
    estate_path = "unit__estate"
    # The stored copy of its unit's county (shahrak/units/caches.py), which the figures read.
    stored_place = {"county": "county"}
    # An event is wholly a fact of its date's month, locked with it (shahrak/core/places.py).
    fact_dates = {"date": WHOLE_RECORD}

    class Meta:
        ordering = ["unit", "date"]
        verbose_name = _("unit event")
        verbose_name_plural = _("unit events")
        # Covering indexes for the figures: a unit's events in date order (status on a day),
        # and events of one kind in a date range (revivals, establishments).
        indexes = [
            models.Index(fields=["unit", "date", "kind", "cause"], name="event_unit_date_cover"),
            models.Index(fields=["kind", "date", "unit", "jobs", "county"], name="event_kind_date_cover"),
            # Status on a day D: events of a kind whose status lasts past D (ends_on empty or > D).
            models.Index(
                fields=["kind", "ends_on", "date", "county", "cause", "unit"], name="event_kind_ends_cover"
            ),
            # The same for a province or county: idled events (idle units on a day) by county first,
            # so that a scope reads its own counties' ranges, not every idled event of the nation.
            models.Index(
                fields=["county", "ends_on", "date", "cause"], condition=Q(kind=EventKind.IDLED),
                name="idled_event_county_cover",
            ),  # fmt: skip
            # Events written around save() (bulk inserts) until rebuild_metric_caches: found at once.
            models.Index(fields=["unit"], condition=Q(county__isnull=True), name="event_cache_missing"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "date"],
                name="event_one_per_unit_per_day",
                violation_error_message=_("This unit already has an event on this day."),
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(kind=EventKind.ESTABLISHED),
                name="event_one_establishment_per_unit",
                violation_error_message=EVENT_RULES["one_establishment"],
            ),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind=EventKind.IDLED) & Q(cause__isnull=False) & Q(cause__in=IdleCause.values))
                | (~Q(kind=EventKind.IDLED) & Q(cause__isnull=True)),
                name="event_cause_only_and_always_when_idled",
                violation_error_message=_(
                    "A cause of idling is given for an «idled» event, and only for it."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(kind=EventKind.REVIVED) & Q(jobs__isnull=False) & Q(jobs__gte=0))
                | (~Q(kind=EventKind.REVIVED) & Q(jobs__isnull=True)),
                name="event_jobs_only_and_always_when_revived",
                violation_error_message=_("Jobs restored are given for a «revived» event, and only for it."),
            ),
        ]

    def __str__(self) -> str:
        # Named as a reader says it (messages, history, selects): the unit, what happened, the
        # Solar Hijri day, in the reader's digits — not the internal id and a Gregorian date.
        from shahrak.core.jalali import format_jalali
        from shahrak.core.text import in_reader_digits

        return in_reader_digits(f"{self.unit.name}: {self.get_kind_display()} {format_jalali(self.date)}")

    def save(self, *args, **kwargs):
        moved_from = None
        if self.pk is not None and not self._state.adding:
            moved_from = (
                UnitEvent.objects.filter(pk=self.pk)
                .exclude(unit_id=self.unit_id)
                .values_list("unit_id", flat=True)
                .first()
            )
        # The cached ends of this unit's events (and of the unit it left) follow, in the same transaction.
        with transaction.atomic():
            super().save(*args, **kwargs)
            refresh_unit_caches(self.unit_id, moved_from)

    def delete(self, *args, **kwargs):
        unit_id = self.unit_id
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            refresh_unit_caches(unit_id)
        return result

    def clean(self):
        """The event must fit the unit's other events (event_order_errors); rules no constraint holds."""
        if self.unit_id is None or self.date is None or self.kind not in EventKind.values:
            return
        others = UnitEvent.objects.filter(unit_id=self.unit_id).exclude(pk=self.pk)
        timeline = dict(others.values_list("date", "kind"))
        if self.date in timeline:
            return  # one event a day: the unique constraint says so
        timeline[self.date] = self.kind
        errors = {}
        for day, other, field, message, other_message in event_order_errors(timeline):
            if self.date == day:
                errors.setdefault(field, []).append(message)
            elif self.date == other:
                errors.setdefault(field, []).append(other_message)
        if errors:
            raise ValidationError(errors)
