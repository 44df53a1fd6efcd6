"""Development (infrastructure) projects in estates, what was paid for them and what is planned.

Projects and payments also store where they are (county, province; a payment its project's estate
and category) for the figures: a cache kept by save() and rebuilt and verified by
`shahrak rebuild_metric_caches` (shahrak/projects/places.py). The records stay the truth.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shahrak.core import jalali
from shahrak.core.history import AuditedQuerySet, audited_history
from shahrak.core.indexes import CoveringIndex  # also imported from here by earlier migrations
from shahrak.core.places import WHOLE_RECORD
from shahrak.core.validators import IRANIAN_YEAR_VALIDATORS, validate_date_in_range, validate_iranian_year
from shahrak.estates.models import Estate
from shahrak.regions.models import County, Province


def _place_field(model, label):
    """A stored place (a derived cache, not user input, not history): see places.py."""
    return models.ForeignKey(
        model, models.PROTECT, null=True, blank=True, editable=False, db_index=False, related_name="+",
        verbose_name=label,
    )  # fmt: skip


class Category(models.TextChoices):
    WATER = "water", _("water")
    ELECTRICITY = "electricity", _("electricity")
    GAS = "gas", _("gas")
    TELECOM = "telecom", _("telecom")
    ROADS = "roads", _("roads")
    WASTEWATER = "wastewater", _("wastewater")
    BUILDINGS = "buildings", _("buildings")


class FundingSource(models.TextChoices):
    INTERNAL = "internal", _("organization's internal resources")
    NATIONAL_BUDGET = "national_budget", _("national budget")
    PROVINCIAL = "provincial", _("provincial")
    PRIVATE = "private", _("private")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    UNDERWAY = "underway", _("underway")
    COMPLETED = "completed", _("completed")
    SUSPENDED = "suspended", _("suspended")
    CANCELLED = "cancelled", _("cancelled")


STOPPED_STATUSES = (ProjectStatus.SUSPENDED, ProjectStatus.CANCELLED)


class ProjectQuerySet(AuditedQuerySet):
    def underway_on(self, day):
        """Started on or before the day, and neither finished nor stopped by then."""
        return self.filter(start_date__lte=day).filter(
            Q(actual_end_date__isnull=True) | Q(actual_end_date__gt=day),
            Q(stopped_date__isnull=True) | Q(stopped_date__gt=day),
        )


class DevelopmentProject(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    estate = models.ForeignKey(Estate, models.PROTECT, related_name="projects", verbose_name=_("estate"))
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category)
    credit_rials = models.BigIntegerField(_("credit (rials)"), validators=[MinValueValidator(0)])
    funding_source = models.CharField(_("funding source"), max_length=16, choices=FundingSource)
    approved_date = models.DateField(
        _("approved"), null=True, blank=True, validators=[validate_date_in_range]
    )
    start_date = models.DateField(_("started"), null=True, blank=True, validators=[validate_date_in_range])
    planned_end_date = models.DateField(
        _("planned end"), null=True, blank=True, validators=[validate_date_in_range]
    )
    actual_end_date = models.DateField(
        _("actual end"), null=True, blank=True, validators=[validate_date_in_range]
    )
    physical_progress = models.DecimalField(
        _("physical progress (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus, default=ProjectStatus.PLANNED
    )
    stopped_date = models.DateField(_("stopped"), null=True, blank=True, validators=[validate_date_in_range])
    # Where its estate is (places.py): kept by save(), rebuilt by rebuild_metric_caches.
    county = _place_field(County, _("county"))
    province = _place_field(Province, _("province"))

    objects = ProjectQuerySet.as_manager()
    history = audited_history(excluded_fields=["county", "province"])

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "estate__county"
    estate_path = "estate"
    # The stored copy of its estate's county and province (places.py), which the figures read.
    stored_place = {"county": "county", "province": "province"}
    # Its dated facts (approved, started, finished, stopped), locked with their months
    # (shahrak/core/places.py); its credit, progress and planned end stay open to correction.
    fact_dates = {
        "approved_date": ("category",),
        "start_date": ("category",),
        "actual_end_date": ("category",),
        "stopped_date": ("category",),
    }

    class Meta:
        ordering = ["code"]
        verbose_name = _("development project")
        verbose_name_plural = _("development projects")
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["start_date", "actual_end_date", "stopped_date"]),
            models.Index(fields=["estate", "category"]),
            # Projects underway in a province or county: the scope, then the start date.
            CoveringIndex(
                fields=["province", "start_date"],
                covering=["actual_end_date", "stopped_date", "category", "credit_rials"],
                name="project_province_start_cover",
            ),
            CoveringIndex(
                fields=["county", "start_date"],
                covering=["actual_end_date", "stopped_date", "category", "credit_rials"],
                name="project_county_start_cover",
            ),
            # Projects written around save() (bulk inserts) until their place is stored: found at once.
            models.Index(fields=["estate"], condition=Q(county__isnull=True), name="project_place_missing"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=Category.values), name="project_category_valid"),
            models.CheckConstraint(
                condition=Q(funding_source__in=FundingSource.values), name="project_source_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=ProjectStatus.values), name="project_status_valid"),
            models.CheckConstraint(condition=Q(credit_rials__gte=0), name="project_credit_not_negative"),
            models.CheckConstraint(
                condition=Q(physical_progress__gte=0, physical_progress__lte=100),
                name="project_progress_0_100",
                violation_error_message=_("Physical progress is between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end_date__isnull=True)
                | Q(start_date__isnull=False, actual_end_date__gte=F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("The actual end needs a start date and cannot come before it."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(planned_end_date__gte=F("start_date")),
                name="project_planned_end_after_start",
                violation_error_message=_("The planned end cannot come before the start."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(approved_date__isnull=True)
                | Q(start_date__gte=F("approved_date")),
                name="project_starts_after_approval",
                violation_error_message=_("A project cannot start before it is approved."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ProjectStatus.COMPLETED) | Q(actual_end_date__isnull=False),
                name="project_completed_has_end",
                violation_error_message=_("A completed project needs an actual end date."),
            ),
            models.CheckConstraint(
                condition=(Q(status__in=STOPPED_STATUSES) & Q(stopped_date__isnull=False))
                | (~Q(status__in=STOPPED_STATUSES) & Q(stopped_date__isnull=True)),
                name="project_stopped_date_iff_stopped",
                violation_error_message=_(
                    "Give the day it stopped when, and only when, a project is suspended or cancelled."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=(ProjectStatus.UNDERWAY, ProjectStatus.COMPLETED))
                | Q(start_date__isnull=False),
                name="project_started_has_start",
                violation_error_message=_("A project underway or completed needs its start date."),
            ),
        ]

    def __str__(self) -> str:
        # The code, marked as a code, and the title in the reader's language when it has one.
        from django.utils.translation import get_language

        from shahrak.core.text import code_text

        english = (get_language() or "fa").startswith("en")
        return f"{code_text(self.code)} {(self.title_en or self.title) if english else self.title}"

    def save(self, *args, **kwargs):
        """Store the estate's county and province, and bring the payments' stored places in step
        when the estate or the category changed (same transaction)."""
        if self.estate_id is not None:
            self.county_id, self.province_id = (
                Estate.objects.filter(pk=self.estate_id).values_list("county_id", "county__province_id").get()
            )
        adding = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if not adding:
                _payments_follow(self)

    def place(self) -> dict:
        """What a payment of this project stores about where it is (places.py)."""
        return {
            "estate_id": self.estate_id,
            "county_id": self.county_id,
            "province_id": self.province_id,
            "category": self.category,
        }


def _payments_follow(project: DevelopmentProject) -> None:
    place = project.place()
    stale = ~Q(**place)
    for model in (Disbursement, PlannedDisbursement):
        model.objects.filter(Q(project_id=project.pk) & stale).unaudited_update(**place)


def _copy_place(payment) -> None:
    """A payment stores its project's place (read from the database, so a project changed in
    memory but not saved does not leak into it)."""
    if payment.project_id is None:
        return
    found = (
        DevelopmentProject.objects.filter(pk=payment.project_id)
        .values("estate_id", "county_id", "province_id", "category")
        .first()
    )
    if found is not None:
        for name, value in found.items():
            setattr(payment, name, value)


def _payment_indexes(prefix: str, date: str, covering: list[str]) -> list:
    """Covering indexes for a payment table's spending per scope: the scope, the date, then what the
    sums read; and the partial index of rows whose place is not stored yet."""
    return [
        CoveringIndex(fields=[date], covering=["county", *covering], name=f"{prefix}_date_cover"),
        CoveringIndex(
            fields=["province", date], covering=["county", *covering], name=f"{prefix}_province_cover"
        ),
        CoveringIndex(fields=["county", date], covering=covering, name=f"{prefix}_county_cover"),
        CoveringIndex(fields=["estate", date], covering=["county", *covering], name=f"{prefix}_estate_cover"),
        models.Index(fields=["project"], condition=Q(county__isnull=True), name=f"{prefix}_place_missing"),
    ]


class DisbursementQuerySet(AuditedQuerySet):
    def between(self, start, end):
        return self.filter(date__range=(start, end))

    def outside_project_dates(self):
        """Payments dated before their project's start or after its actual end: accepted (a late
        invoice, a date typed wrong) but counted by data quality (DESIGN, "Validity of a unit's life")."""
        return self.filter(Q(date__lt=F("project__start_date")) | Q(date__gt=F("project__actual_end_date")))


class Disbursement(models.Model):
    project = models.ForeignKey(
        DevelopmentProject, models.PROTECT, related_name="disbursements", verbose_name=_("project")
    )
    date = models.DateField(_("date"), validators=[validate_date_in_range])
    amount_rials = models.BigIntegerField(_("amount (rials)"), validators=[MinValueValidator(1)])
    funding_source = models.CharField(_("funding source"), max_length=16, choices=FundingSource)
    reference = models.CharField(_("payment reference"), max_length=40, blank=True)
    # Its project's place and category (places.py): kept by save(), rebuilt by rebuild_metric_caches.
    estate = _place_field(Estate, _("estate"))
    county = _place_field(County, _("county"))
    province = _place_field(Province, _("province"))
    category = models.CharField(  # noqa: DJ001 - NULL until derived, like the other stored places
        _("category"), max_length=12, choices=Category, null=True, blank=True, editable=False
    )

    objects = DisbursementQuerySet.as_manager()
    history = audited_history(excluded_fields=["estate", "county", "province", "category"])

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "project__estate__county"
    estate_path = "project__estate"
    # The stored copy of its project's place (places.py), which the figures read.
    stored_place = {"estate": "estate", "county": "county", "province": "province"}
    # A payment is wholly a fact of its date's month, locked with it (shahrak/core/places.py).
    fact_dates = {"date": WHOLE_RECORD}

    class Meta:
        ordering = ["project", "date", "id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        indexes = [
            # Spending in a period per scope: the scope, the date, then what the sums read.
            *_payment_indexes("disb", "date", ["category", "funding_source", "amount_rials"]),
            models.Index(fields=["project", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_rials__gt=0),
                name="disbursement_amount_positive",
                violation_error_message=_("A payment is more than zero rials."),
            ),
            models.CheckConstraint(
                condition=Q(funding_source__in=FundingSource.values), name="disbursement_source_valid"
            ),
        ]

    def __str__(self) -> str:
        # «P-TH-W1، ۱۴۰۱/۰۲/۱۵: ۳۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال»: the project's code, the Solar Hijri day, the rials.
        from shahrak.core.text import code_text
        from shahrak.ui import format as fmt

        return _("%(project)s, %(date)s: %(amount)s rials") % {
            "project": code_text(self.project.code),
            "date": fmt.jdate(self.date),
            "amount": fmt.number(self.amount_rials),
        }

    def save(self, *args, **kwargs):
        _copy_place(self)
        super().save(*args, **kwargs)

    def save_warnings(self) -> list[str]:
        """What the write path accepts but tells the writer: a payment outside its project's dates
        (the same rule as DisbursementQuerySet.outside_project_dates)."""
        project = self.project
        if self.date is None:
            return []
        if project.start_date is not None and self.date < project.start_date:
            return [
                _("This payment is dated before its project started (%(start)s); check the date.")
                % {"start": _long_date(project.start_date)}
            ]
        if project.actual_end_date is not None and self.date > project.actual_end_date:
            return [
                _("This payment is dated after its project ended (%(end)s); check the date.")
                % {"end": _long_date(project.actual_end_date)}
            ]
        return []


def _long_date(day) -> str:
    lang = "fa" if (get_language() or "fa").startswith("fa") else "en"
    return jalali.format_jalali_long(day, lang)


class PlannedDisbursementQuerySet(AuditedQuerySet):
    def months_starting_between(self, start, end):
        """Planned amounts whose Solar Hijri month starts in [start, end], so adjacent periods add up."""
        return self.filter(month_start__range=(start, end))


class PlannedDisbursement(models.Model):
    project = models.ForeignKey(
        DevelopmentProject, models.CASCADE, related_name="planned_disbursements", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("Iranian year"), validators=IRANIAN_YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    # The Gregorian first day of the Solar Hijri month, derived from year and month by clean() and save().
    month_start = models.DateField(_("month starts"), editable=False, blank=True)
    amount_rials = models.BigIntegerField(_("amount (rials)"), validators=[MinValueValidator(0)])
    # Its project's place and category (places.py): kept by save(), rebuilt by rebuild_metric_caches.
    estate = _place_field(Estate, _("estate"))
    county = _place_field(County, _("county"))
    province = _place_field(Province, _("province"))
    category = models.CharField(  # noqa: DJ001 - NULL until derived, like the other stored places
        _("category"), max_length=12, choices=Category, null=True, blank=True, editable=False
    )

    objects = PlannedDisbursementQuerySet.as_manager()
    history = audited_history(excluded_fields=["estate", "county", "province", "category"])
    import_rules = ()  # clean() only fills month_start from the year and month; it checks nothing more

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = "project__estate__county"
    estate_path = "project__estate"
    # The stored copy of its project's place (places.py), which the figures read.
    stored_place = {"estate": "estate", "county": "county", "province": "province"}

    class Meta:
        ordering = ["project", "year", "month"]
        verbose_name = _("planned disbursement")
        verbose_name_plural = _("planned disbursements")
        indexes = [
            models.Index(fields=["year", "month"]),
            # Planned spending of the months starting in a period per scope, with the amount.
            *_payment_indexes("planned", "month_start", ["category", "amount_rials"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="planned_one_per_project_month",
                violation_error_message=_("This project already has a planned amount for this month."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="planned_month_1_12",
                violation_error_message=_("The month is from 1 to 12."),
            ),
            models.CheckConstraint(condition=Q(amount_rials__gte=0), name="planned_amount_not_negative"),
        ]

    def __str__(self) -> str:
        # «P-WA-E1، اسفند ۱۴۰۱: ۲٬۰۰۰٬۰۰۰٬۰۰۰ ریال»: the project's code, the Solar Hijri month, the rials.
        from shahrak.core.text import code_text
        from shahrak.ui import format as fmt

        months = jalali.MONTHS_FA if fmt.is_fa() else jalali.MONTHS_EN
        month = months[self.month - 1] if 1 <= (self.month or 0) <= 12 else fmt.digits(self.month)
        return _("%(project)s, %(month)s %(year)s: %(amount)s rials") % {
            "project": code_text(self.project.code),
            "month": month,
            "year": fmt.digits(self.year),
            "amount": fmt.number(self.amount_rials),
        }

    def save(self, *args, **kwargs):
        self.month_start = jalali.month_start(self.year, self.month)
        _copy_place(self)
        super().save(*args, **kwargs)

    def clean(self):
        if self.year is None:
            return
        try:
            validate_iranian_year(self.year)
        except ValidationError:
            return  # clean_fields has said why
        if self.month is not None and 1 <= self.month <= 12:
            self.month_start = jalali.month_start(self.year, self.month)
