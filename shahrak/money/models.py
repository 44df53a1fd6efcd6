"""Exchange rates: rials per unit of a foreign currency, by date and source."""

import datetime as dt
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shahrak.core.history import AuditedQuerySet, audited_history

# RateSource and the default source live in core (ui reads them); imported from here as before.
from shahrak.core.money import RateSource, default_rate_source  # noqa: F401
from shahrak.core.validators import validate_date_in_range


class ExchangeRateQuerySet(AuditedQuerySet):
    def of(self, currency: str = "USD", source: str | None = None):
        return self.filter(currency=currency, source=source or default_rate_source())

    def in_force_on(self, day: dt.date, currency: str = "USD", source: str | None = None) -> Decimal | None:
        """The latest rate of the source dated on or before the day; None when there is none."""
        return (
            self.of(currency, source)
            .filter(date__lte=day)
            .order_by("-date")
            .values_list("rials_per_unit", flat=True)
            .first()
        )


class ExchangeRate(models.Model):
    date = models.DateField(_("date"), validators=[validate_date_in_range])
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    source = models.CharField(_("source"), max_length=12, choices=RateSource, default=RateSource.FREE_MARKET)
    rials_per_unit = models.DecimalField(
        _("rials per unit"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    objects = ExchangeRateQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["currency", "source", "date"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        indexes = [
            models.Index(fields=["currency", "source", "date", "rials_per_unit"], name="rate_lookup_cover"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "source", "date"],
                name="rate_one_per_day",
                violation_error_message=_("There is already a rate of this currency and source on this day."),
            ),
            models.CheckConstraint(
                condition=Q(rials_per_unit__gt=0),
                name="rate_positive",
                violation_error_message=_("A rate is more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"),
                name="rate_currency_iso4217",
                violation_error_message=_("Write the currency as a three-letter code such as USD."),
            ),
            models.CheckConstraint(condition=Q(source__in=RateSource.values), name="rate_source_valid"),
        ]

    def __str__(self) -> str:
        # «USD، بازار آزاد، ۱۴۰۰/۱۲/۰۱: ۴۰۰٬۰۰۰ ریال»: the currency's code, the source, the day, the rate.
        from shahrak.core.text import code_text
        from shahrak.ui import format as fmt

        rate = self.rials_per_unit
        decimals = 0 if rate is None or rate == int(rate) else 2
        return _("%(currency)s, %(source)s, %(date)s: %(rate)s rials") % {
            "currency": code_text(self.currency),
            "source": self.get_source_display(),
            "date": fmt.jdate(self.date),
            "rate": fmt.number(rate, decimals),
        }
