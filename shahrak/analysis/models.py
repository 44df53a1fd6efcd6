"""The analyst's desk (DESIGN.md, "Analysts' tools"): published claims checked against the register.

A claim is a figure someone published (its words quoted, who said it, where and when) read as a
question the register answers: a measure (a figure of the metrics engine and which of its numbers),
a period, a scope and filters, a value in a unit, with a qualifier ("more than", "about") and a
tolerance. The ledger (ledger.py) asks the engine for the same figure and gives the verdict.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shahrak.core.history import AuditedQuerySet, audited_history
from shahrak.core.text import code_text
from shahrak.core.validators import IRANIAN_YEAR_VALIDATORS, validate_date_in_range
from shahrak.estates.models import EstateKind

from .choices import COUNT_UNITS, RIALS_PER_UNIT, ClaimMetric, ClaimUnit, Qualifier, ScenarioMode


class ClaimQuerySet(AuditedQuerySet):
    def of_metric(self, metric: str):
        return self.filter(metric=metric)


class Claim(models.Model):
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short identifier of the claim, e.g. TT-1401-01."),
    )
    # What was published.
    quote = models.TextField(_("text quoted"), help_text=_("The claim's words as published."))
    quote_language = models.CharField(
        _("language of the text"), max_length=2, choices=[("fa", "فارسی"), ("en", "English")], default="fa"
    )
    translation = models.TextField(
        _("translation"),
        blank=True,
        help_text=_("The same words in the other language (marked as a translation)."),
    )
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    outlet = models.CharField(_("source / publication"), max_length=200)
    link = models.URLField(_("link"), max_length=500, blank=True)
    published_on = models.DateField(_("date published"), validators=[validate_date_in_range])
    # What it claims, as a question the register answers.
    metric = models.CharField(_("metric"), max_length=40, choices=ClaimMetric)
    of_target = models.BooleanField(
        _("about the target"),
        default=False,
        help_text=_("The number is the target set for the period, not what was achieved."),
    )
    period_start = models.DateField(_("period from"), validators=[validate_date_in_range])
    period_end = models.DateField(_("period to"), validators=[validate_date_in_range])
    period_basis = models.CharField(
        _("how the period was worked out"), max_length=300, blank=True,
        help_text=_("From the claim's words and the date published, e.g. 'the past nine months'."),
    )  # fmt: skip
    scope = models.CharField(
        _("scope"),
        max_length=20,
        blank=True,
        help_text=_("Empty for Iran; IR-NN for a province; a county or estate code."),
    )
    estate_kind = models.CharField(_("estate kind"), max_length=12, choices=EstateKind, blank=True)
    qualifier = models.CharField(_("qualifier"), max_length=10, choices=Qualifier, default=Qualifier.EXACT)
    value = models.DecimalField(
        _("value"), max_digits=24, decimal_places=4, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=14, choices=ClaimUnit)
    usd_value = models.DecimalField(
        _("the same amount in US dollars"), max_digits=20, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("When the claim gives rials and dollars: the dollars as published."),
    )  # fmt: skip
    tolerance = models.DecimalField(
        _("tolerance"), max_digits=12, decimal_places=4, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Percent for money and shares, a number for counts; empty: 2% or ±1."),
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)

    objects = ClaimQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["published_on", "code"]
        verbose_name = _("published claim")
        verbose_name_plural = _("published claims")
        constraints = [
            models.CheckConstraint(condition=Q(metric__in=ClaimMetric.values), name="claim_metric_valid"),
            models.CheckConstraint(condition=Q(unit__in=ClaimUnit.values), name="claim_unit_valid"),
            models.CheckConstraint(condition=Q(qualifier__in=Qualifier.values), name="claim_qualifier_valid"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="claim_period_ends_after_start",
                violation_error_message=_("A claim's period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="claim_value_not_negative",
                violation_error_message=_("A claimed value is zero or more."),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{code_text(self.code)}: {self.get_metric_display()}"

    @property
    def is_money(self) -> bool:
        return self.unit in RIALS_PER_UNIT or self.unit == ClaimUnit.USD

    @property
    def is_count(self) -> bool:
        return self.unit in COUNT_UNITS

    def clean(self):
        from .measures import MEASURES, scope_of

        errors = {}
        measure = MEASURES.get(self.metric)
        if measure is not None and self.unit and self.unit not in measure.units:
            errors["unit"] = _("This metric is given in: %(units)s.") % {
                "units": ", ".join(str(ClaimUnit(u).label) for u in measure.units)
            }
        if measure is not None and self.of_target and not measure.target_metric:
            errors["of_target"] = _("No target can be set on this metric.")
        if self.usd_value is not None and self.unit not in RIALS_PER_UNIT:
            errors["usd_value"] = _("Give dollars beside an amount in rials, tomans or their multiples.")
        if self.scope:
            try:
                self.scope = scope_of(self.scope).code
            except ValueError as error:
                errors["scope"] = str(error)
        if errors:
            raise ValidationError(errors)


class ClaimCheck(models.Model):
    """The register's value for a claim as it stood when the ledger was checked: kept, because the
    engine computes from the records as they are now, so "the value on the claim's date" can only be
    read from a check made on or before that day."""

    claim = models.ForeignKey(Claim, models.CASCADE, related_name="checks", verbose_name=_("claim"))
    checked_at = models.DateTimeField(_("checked at"))
    register_value = models.DecimalField(_("register's value"), max_digits=28, decimal_places=6, null=True)
    verdict = models.CharField(_("verdict"), max_length=12)

    objects = AuditedQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["claim", "-checked_at"]
        verbose_name = _("claim check")
        verbose_name_plural = _("claim checks")
        indexes = [models.Index(fields=["claim", "checked_at"], name="claimcheck_claim_time")]

    def __str__(self) -> str:
        return f"{self.claim.code} @ {self.checked_at:%Y-%m-%d %H:%M}: {self.verdict}"


class IndexSource(models.TextChoices):
    SCI_CPI = "sci_cpi", _("Statistical Centre of Iran CPI")
    CBI_CPI = "cbi_cpi", _("Central Bank of Iran CPI")
    CONSTRUCTION_INPUT = "construction_input", _("construction-input price index")
    DEMO = "demo", _("demo series (invented)")


class PriceIndex(models.Model):
    """One month's value of a price-index series: its source, its base (e.g. 1395=100), national or a province's.

    A source may publish several bases over the years; prices.chained() links them into one series."""

    source = models.CharField(_("index source"), max_length=20, choices=IndexSource)
    base = models.CharField(_("base"), max_length=40, help_text=_("The base period, e.g. 1395=100."))
    year = models.PositiveSmallIntegerField(_("Iranian year"), validators=IRANIAN_YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    value = models.DecimalField(
        _("index value"), max_digits=14, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )
    province = models.ForeignKey(
        "regions.Province",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    basis = models.CharField(_("where the value comes from"), max_length=300, blank=True)

    objects = AuditedQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["source", "base", "year", "month"]
        verbose_name = _("price index value")
        verbose_name_plural = _("price index values")
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=IndexSource.values), name="priceindex_source_valid"
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="priceindex_month_valid"),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="priceindex_value_positive",
                violation_error_message=_("An index value is more than zero."),
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["source", "base", "year", "month", "province"],
                name="priceindex_one_per_month",
                violation_error_message=_("This series already has a value for this month."),
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["source", "base", "year", "month"],
                condition=Q(province__isnull=True),
                name="priceindex_one_per_month_national",
                violation_error_message=_("This series already has a value for this month."),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} ({self.base}) {self.year}-{self.month:02d}: {self.value}"


class Scenario(models.Model):
    """A saved what-if allocation (analysis/whatif.py): Δ rials spread over or added to counties of a
    scope in an Iranian year. Its link (`get_absolute_url`) is the regional-balance page that
    reproduces it: the same year, scope, Δ, mode and counties in the query string."""

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("Iranian year"), validators=IRANIAN_YEAR_VALIDATORS)
    scope = models.CharField(
        _("scope"),
        max_length=20,
        blank=True,
        help_text=_("Empty for Iran; IR-NN for a province; a county code."),
    )
    delta_rials = models.BigIntegerField(_("amount Δ (rials)"), validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit it was typed in"), max_length=14, default="billion_rial")
    mode = models.CharField(_("mode"), max_length=10, choices=ScenarioMode, default=ScenarioMode.SPREAD)
    counties = models.JSONField(_("chosen counties"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AuditedQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("what-if scenario")
        verbose_name_plural = _("what-if scenarios")
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=ScenarioMode.values), name="scenario_mode_valid"),
            models.CheckConstraint(
                condition=Q(delta_rials__gte=0),
                name="scenario_delta_not_negative",
                violation_error_message=_("Δ cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from urllib.parse import urlencode

        from django.urls import reverse

        return f"{reverse('web:balance')}?{urlencode(self.query(), doseq=True)}"

    def query(self) -> dict:
        """The balance page's query string of this scenario (`whatif.scenario_query`)."""
        from .whatif import scenario_query

        return scenario_query(self.year, self.scope, self.delta_rials, self.unit, self.mode, self.counties)
