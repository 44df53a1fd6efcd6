"""Where a record is, and the scopes (nation, province, county, estate) that select records.

DESIGN.md, "Where a record is": an estate is in its county; a workshop, project, disbursement and
planned disbursement are where their estate is; a production unit is in its own `county` field
(kept equal to its estate's county by the write path). Each model declares its own paths
(shahrak/core/places.py); the scopes here select records by them.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from shahrak.core.places import county_path, estate_path, join


class UnknownScope(ValueError):
    pass


@dataclass(frozen=True)
class Scope:
    """Nation (no code), a province (ISO 3166-2:IR, e.g. IR-23), a county (SCI code) or an estate (code)."""

    level: str = "nation"  # nation | province | county | estate
    code: str = ""
    pk: int | None = None
    name_fa: str = "ایران"
    name_en: str = "Iran"

    @property
    def is_nation(self) -> bool:
        return self.level == "nation"

    def q(self, model) -> Q:
        """The condition that keeps the model's records that are in this scope."""
        if self.level == "nation":
            return Q()
        if self.level == "estate":
            path = estate_path(model)
            if path is None:
                raise UnknownScope(f"{model._meta.verbose_name} records are not in estates")
            return Q(**{join(path, "id"): self.pk})
        field = {"province": "province_id", "county": "id"}[self.level]
        return Q(**{join(county_path(model), field): self.pk})

    def filter(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(self.q(queryset.model))

    def as_dict(self) -> dict:
        return {
            "level": self.level,
            "code": self.code or None,
            "name_fa": self.name_fa,
            "name_en": self.name_en,
        }


NATION = Scope()
