"""Monthly returns (DESIGN.md, "Monthly returns, approval and period lock").

One return per province per Solar Hijri month. The province's officer submits it when the month's
records are in, with a summary of what changed (due by the 10th of the next month,
settings.SHAHRAK["RETURN_DUE_DAY"]); a national analyst approves it or returns it with a reason. An
approved month is locked: the one write path refuses to create, change, delete or restore a dated
fact in it (shahrak/returns/locks.py). An administrator can open it again with a reason until a
given moment; when that passes the month is locked again, until it is approved once more.

States: open → submitted → approved; submitted → returned (with a reason); returned is open again
for the officer, who submits it anew; approved → open again by a reopening. The steps are the
named actions of shahrak/returns/actions.py, each kept as a ReturnStep (and in the history).
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shahrak.core import jalali
from shahrak.core.history import AuditedQuerySet, audited_history
from shahrak.core.validators import IRANIAN_YEAR_VALIDATORS
from shahrak.regions.models import Province

DEFAULT_DUE_DAY = 10


def _fa() -> bool:
    from shahrak.ui import format as fmt

    return fmt.is_fa()


def due_day() -> int:
    """The day of the next month by which a month's return is due (a setting; 10 by default)."""
    return int(settings.SHAHRAK.get("RETURN_DUE_DAY", DEFAULT_DUE_DAY))


def due_date(year: int, month: int) -> dt.date:
    """The last day on which the return of year-month is on time: the due day of the next month."""
    next_year, next_month = jalali.add_months(year, month, 1)
    return jalali.to_gregorian(next_year, next_month, due_day())


def month_label(year: int, month: int) -> str:
    """«آذر ۱۴۰۱» / 'Azar 1401': a Solar Hijri month for the reader."""
    from shahrak.ui import format as fmt

    names = jalali.MONTHS_FA if fmt.is_fa() else jalali.MONTHS_EN
    return f"{names[month - 1]} {fmt.digits(year)}"


class ReturnState(models.TextChoices):
    OPEN = "open", pgettext_lazy("return state", "open")
    SUBMITTED = "submitted", pgettext_lazy("return state", "submitted")
    APPROVED = "approved", pgettext_lazy("return state", "approved")
    RETURNED = "returned", pgettext_lazy("return state", "returned")


class ReturnQuerySet(AuditedQuerySet):
    def locked(self, now: dt.datetime | None = None):
        """Returns whose month is locked: approved, or reopened and the reopening has run out."""
        now = now or timezone.now()
        return self.filter(Q(state=ReturnState.APPROVED) | Q(reopened_until__lte=now))

    def of_month(self, year: int, month: int):
        return self.filter(year=year, month=month)


class MonthlyReturn(models.Model):
    province = models.ForeignKey(
        Province, models.PROTECT, related_name="monthly_returns", verbose_name=_("province")
    )
    year = models.PositiveSmallIntegerField(_("Iranian year"), validators=IRANIAN_YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    state = models.CharField(_("state"), max_length=10, choices=ReturnState, default=ReturnState.OPEN)
    summary = models.TextField(_("summary of the month"), blank=True)
    reason = models.TextField(_("reason (returned or reopened)"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # The first submission decides whether the return was on time (a resubmission after it was
    # returned does not make it late, nor a late one on time).
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    reopened_until = models.DateTimeField(_("reopened until"), null=True, blank=True)

    objects = ReturnQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["-year", "-month", "province__sci_code"]
        verbose_name = _("monthly return")
        verbose_name_plural = _("monthly returns")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "month"],
                name="return_one_per_province_month",
                violation_error_message=_("This province already has a return for this month."),
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="return_month_valid"),
            models.CheckConstraint(condition=Q(state__in=ReturnState.values), name="return_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=ReturnState.APPROVED) | Q(approved_at__isnull=False),
                name="return_approved_has_moment",
            ),
        ]
        indexes = [models.Index(fields=["year", "month", "state"])]

    def __str__(self) -> str:
        return (
            f"{self.province.name}، {self.month_label}"
            if _fa()
            else f"{self.province.name}, {self.month_label}"
        )

    @property
    def month_label(self) -> str:
        return month_label(self.year, self.month)

    @property
    def period_label(self) -> str:
        """'1401-09', as the CLI and the API write a month."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def period(self) -> jalali.Period:
        return jalali.month_bounds(self.year, self.month)

    @property
    def due_date(self) -> dt.date:
        return due_date(self.year, self.month)

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.state == ReturnState.APPROVED or (
            self.reopened_until is not None and self.reopened_until <= now
        )

    def is_reopened(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.reopened_until is not None and self.reopened_until > now

    def was_late(self) -> bool | None:
        """Whether it was first submitted after its due day (None while it has not been)."""
        if self.first_submitted_at is None:
            return None
        return timezone.localdate(self.first_submitted_at) > self.due_date


class StepAction(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("return step", "submitted")
    APPROVE = "approve", pgettext_lazy("return step", "approved")
    RETURN = "return", pgettext_lazy("return step", "returned")
    REOPEN = "reopen", pgettext_lazy("return step", "reopened")


class ReturnStep(models.Model):
    """One named action on a return: who, when, and what they wrote (summary or reason)."""

    monthly_return = models.ForeignKey(
        MonthlyReturn, models.CASCADE, related_name="steps", verbose_name=_("monthly return")
    )
    action = models.CharField(_("action"), max_length=10, choices=StepAction)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("summary or reason"), blank=True)
    until = models.DateTimeField(_("open until"), null=True, blank=True)

    class Meta:
        ordering = ["monthly_return", "at", "pk"]
        verbose_name = _("return step")
        verbose_name_plural = _("return steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=StepAction.values), name="return_step_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.monthly_return} {self.get_action_display()}"


class PublishedFigures(models.Model):
    """The figures of a province-month as they stood when its return was approved ("stored as
    reported", DESIGN.md). Written by the approve action in its transaction, one per approval, never
    changed: the first is what was published; a later one is what a re-approval published again.

    `figures` maps a figure's name to its headline for the province and month (a number, or a few
    named numbers), as the metrics engine computed it (shahrak/metrics/approval.py).
    """

    monthly_return = models.ForeignKey(
        MonthlyReturn, models.PROTECT, related_name="published", verbose_name=_("monthly return")
    )
    step = models.OneToOneField(
        ReturnStep,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="published",
        verbose_name=_("approval"),
    )
    approved_at = models.DateTimeField(_("approved at"))
    figures = models.JSONField(_("figures as reported"), default=dict)

    class Meta:
        ordering = ["monthly_return", "approved_at", "pk"]
        verbose_name = _("published figures")
        verbose_name_plural = _("published figures")

    def __str__(self) -> str:
        return f"{self.monthly_return} ({self.approved_at:%Y-%m-%d})"
