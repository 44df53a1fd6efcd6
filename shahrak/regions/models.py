"""Provinces and counties (shahrestan): the places every record belongs to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shahrak.core.history import AuditedQuerySet, audited_history


class LocalizedNameMixin:
    @property
    def name(self) -> str:
        if (get_language() or "fa").startswith("en") and self.name_en:
            return self.name_en
        return self.name_fa

    def __str__(self) -> str:
        return self.name


class Province(LocalizedNameMixin, models.Model):
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=5, unique=True)
    sci_code = models.CharField(_("SCI code"), max_length=2, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    population = models.PositiveBigIntegerField(_("population (1395 census)"))

    class Meta:
        ordering = ["sci_code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(
                condition=Q(iso_code__regex=r"^IR-[0-9]{2}$"), name="province_iso_code_format"
            ),
        ]


class DeprivationStatus(models.TextChoices):
    WHOLE = "whole", _("whole county")
    PARTIAL = "partial", _("part of the county")
    NONE = "none", _("not deprived")
    UNKNOWN = "unknown", _("unknown")


class DeprivationBasis(models.TextChoices):
    DECREE = "decree", _("official decree")
    PROVISIONAL = "provisional", _("provisional rule")
    UNKNOWN = "unknown", _("unknown")


class SizeClass(models.TextChoices):
    METROPOLIS = "metropolis", _("metropolis")
    BIG = "big", _("big")
    SMALL = "small", _("small")


DEPRIVED_STATUSES = (DeprivationStatus.WHOLE, DeprivationStatus.PARTIAL)


class CountyQuerySet(AuditedQuerySet):
    def deprived(self):
        """Counties on the less-developed list, wholly or in part."""
        return self.filter(deprivation__in=DEPRIVED_STATUSES)


class County(LocalizedNameMixin, models.Model):
    sci_code = models.CharField(_("SCI code"), max_length=4, unique=True)
    province = models.ForeignKey(
        Province, models.PROTECT, related_name="counties", verbose_name=_("province")
    )
    name_fa = models.CharField(_("Persian name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    # Empty for counties created after the 1395 census: no figure is invented for them.
    population = models.PositiveBigIntegerField(_("population (1395 census)"), null=True, blank=True)
    urban_population = models.PositiveBigIntegerField(
        _("urban population (1395 census)"), null=True, blank=True
    )
    deprivation = models.CharField(
        _("less-developed status"),
        max_length=10,
        choices=DeprivationStatus,
        default=DeprivationStatus.UNKNOWN,
    )
    deprivation_basis = models.CharField(
        _("basis of the status"), max_length=12, choices=DeprivationBasis, default=DeprivationBasis.UNKNOWN
    )
    deprivation_source = models.CharField(_("source of the status"), max_length=300, blank=True)
    size_class = models.CharField(_("size class"), max_length=12, choices=SizeClass, default=SizeClass.SMALL)

    objects = CountyQuerySet.as_manager()
    history = audited_history()

    # Where a record is (shahrak/core/places.py): the ORM path to its county and to its estate.
    county_path = ""

    class Meta:
        ordering = ["sci_code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        constraints = [
            models.CheckConstraint(condition=Q(sci_code__regex=r"^[0-9]{4}$"), name="county_sci_code_format"),
            models.CheckConstraint(
                condition=Q(deprivation__in=DeprivationStatus.values), name="county_deprivation_valid"
            ),
            models.CheckConstraint(
                condition=Q(deprivation_basis__in=DeprivationBasis.values),
                name="county_deprivation_basis_valid",
            ),
            models.CheckConstraint(
                condition=Q(size_class__in=SizeClass.values), name="county_size_class_valid"
            ),
            models.CheckConstraint(
                condition=Q(urban_population__isnull=True)
                | Q(population__isnull=False, urban_population__lte=models.F("population")),
                name="county_urban_within_population",
                violation_error_message=_("Urban population cannot exceed population."),
            ),
        ]

    @property
    def is_deprived(self) -> bool:
        return self.deprivation in DEPRIVED_STATUSES


def size_class_for(sci_code: str, population: int | None) -> str:
    """The size-class rule (there is no official one): listed metropolises, then a population threshold."""
    rules = settings.SHAHRAK
    if sci_code in rules["METROPOLIS_COUNTIES"]:
        return SizeClass.METROPOLIS
    if population is not None and population >= rules["BIG_COUNTY_MIN_POPULATION"]:
        return SizeClass.BIG
    return SizeClass.SMALL


def province_choices() -> list[tuple[str, str]]:
    """The provinces as (ISO code, name) in the reader's alphabetical order, for a filter's list."""
    from shahrak.core.collation import by_name

    return [(p.iso_code, p.name) for p in by_name(Province.objects.all())]
