"""Targets the organization sets itself: a metric, a date range (usually an Iranian year), a scope."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shahrak.core import jalali
from shahrak.core.history import AuditedQuerySet, audited_history
from shahrak.core.validators import IRANIAN_YEAR_VALIDATORS, validate_date_in_range, validate_iranian_year
from shahrak.regions.models import Province


class TargetMetric(models.TextChoices):
    WORKSHOPS_OPENED = "workshops_opened", _("workshops opened")
    UNITS_REVIVED = "units_revived", _("units revived")
    JOBS_RESTORED = "jobs_restored", _("jobs restored")
    UNITS_ESTABLISHED = "units_established", _("units established")
    ESTATES_LICENSED = "estates_licensed", _("estates licensed")
    INFRASTRUCTURE_SPENDING = "infrastructure_spending", _("infrastructure spending (rials)")


class TargetQuerySet(AuditedQuerySet):
    def overlapping(self, start, end):
        return self.filter(start_date__lte=end, end_date__gte=start)

    def national(self):
        return self.filter(province__isnull=True)


YEAR_OR_DATES = _("Give the Iranian year, or both dates.")


class Target(models.Model):
    metric = models.CharField(_("metric"), max_length=30, choices=TargetMetric)
    # The Iranian year when the target is for a whole year; start and end are always set.
    year = models.PositiveSmallIntegerField(
        _("Iranian year"), null=True, blank=True, validators=IRANIAN_YEAR_VALIDATORS
    )
    start_date = models.DateField(_("from"), blank=True, validators=[validate_date_in_range])
    end_date = models.DateField(_("to"), blank=True, validators=[validate_date_in_range])
    province = models.ForeignKey(
        Province, models.PROTECT, null=True, blank=True, related_name="targets", verbose_name=_("province")
    )
    value = models.BigIntegerField(_("target value"), validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=300, blank=True)
    # What clean() checks beyond the constraints (docs/data-format.md lists them with the constraints').
    import_rules = (
        _("A target for a whole Iranian year runs from its 1 Farvardin to its last day of Esfand."),
        YEAR_OR_DATES,
    )

    objects = TargetQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["start_date", "metric"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(condition=Q(metric__in=TargetMetric.values), name="target_metric_valid"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="target_ends_after_start",
                violation_error_message=_("A target cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["metric", "start_date", "end_date", "province"],
                name="target_unique_per_province",
                violation_error_message=_("There is already a target for this metric, period and scope."),
            ),
            # NULL province (national) is not equal to itself in a plain unique index.
            models.UniqueConstraint(
                fields=["metric", "start_date", "end_date"],
                condition=Q(province__isnull=True),
                name="target_unique_national",
                violation_error_message=_("There is already a target for this metric, period and scope."),
            ),
        ]

    def __str__(self) -> str:
        # «کارگاه‌های افتتاح‌شده ۱۴۰۱: ۴»: the metric, its Iranian year (or first day), the value.
        from shahrak.ui import format as fmt

        period = fmt.digits(self.year) if self.year else fmt.jdate(self.start_date)
        return f"{self.get_metric_display()} {period}: {fmt.number(self.value)}"

    def clean(self):
        """A target for a whole Iranian year runs from its 1 Farvardin to its last day of Esfand."""
        if self.year is not None and self.start_date is None and self.end_date is None:
            try:
                validate_iranian_year(self.year)
            except ValidationError:
                return  # clean_fields has said why; no dates from an impossible year
            bounds = jalali.year_bounds(self.year)
            self.start_date, self.end_date = bounds.start, bounds.end
        if self.start_date is None or self.end_date is None:
            raise ValidationError(
                {
                    name: YEAR_OR_DATES
                    for name in ("start_date", "end_date")
                    if getattr(self, name) is None
                }
            )
