"""Where a record is (DESIGN.md, "Where a record is").

Each model that lives somewhere says so itself, beside its fields:

    county_path = "project__estate__county"   # ORM path to its county ("" for a county)
    estate_path = "project__estate"           # ORM path to its estate, where it has one

An estate is in its county; a workshop, project and payment are where their estate is; a production
unit is in its own county (kept equal to its estate's by the write path). Metrics, list filters,
permissions, imports and exports all read the paths through these functions, so a new record type
(land plots, returns) declares its place once in its model and every part follows.
"""

from django.db.models import Model

# A record type's dated facts (DESIGN.md, "Monthly returns, approval and period lock"): beside its
# place, a model may declare which of its dates make it a fact of a month, and what else belongs to
# that fact, e.g. a payment is wholly a fact of its date's month, an estate's licence is its date
# with its kind (and its place):
#
#     fact_dates = {"date": WHOLE_RECORD}
#     fact_dates = {"licence_date": ("kind",), "operational_date": ()}
#
# The lock of an approved month (shahrak/returns/locks.py) reads it through `fact_dates()`.
WHOLE_RECORD = "__all__"


class NoPlace(LookupError):
    """The record type is not in any county (exchange rates, targets): it cannot be scoped."""


def _model(model_or_instance) -> type[Model]:
    return model_or_instance if isinstance(model_or_instance, type) else type(model_or_instance)


def join(prefix: str, rest: str) -> str:
    return f"{prefix}__{rest}" if prefix else rest


def has_place(model) -> bool:
    return isinstance(getattr(_model(model), "county_path", None), str)


def county_path(model) -> str:
    """The ORM path from the model to its county, e.g. 'project__estate__county'."""
    path = getattr(_model(model), "county_path", None)
    if not isinstance(path, str):
        raise NoPlace(f"{_model(model)._meta.label} records are not in a county (no county_path)")
    return path


def estate_path(model) -> str | None:
    """The ORM path from the model to its estate, or None when its records are not in estates."""
    path = getattr(_model(model), "estate_path", None)
    return path if isinstance(path, str) else None


def province_lookup(model) -> str:
    """The lookup from a model to its province, e.g. 'project__estate__county__province'."""
    return join(county_path(model), "province")


def province_id_lookup(model) -> str:
    """The lookup from a model to its province's id, e.g. 'estate__county__province_id'."""
    return join(county_path(model), "province_id")


def stored_place(model) -> dict[str, str]:
    """Where the model keeps a stored copy of its place, level → field, e.g. {"county": "county"}.

    A model may declare `stored_place` beside `county_path`: fields that copy its county (and
    province, estate) so that figures by place read its own columns instead of joining up to the
    estate and county. They are a cache kept by the write path (unit events: shahrak/units/caches.py;
    projects and payments: shahrak/projects/places.py); `county_path` stays the path to the truth,
    which permissions, list filters and exports read.
    """
    return dict(getattr(_model(model), "stored_place", None) or {})


def fact_dates(model) -> dict:
    """Date field → the other fields of that fact (or WHOLE_RECORD); {} for a type with no dated facts."""
    return dict(getattr(_model(model), "fact_dates", None) or {})
