"""The models' CheckConstraints, evaluated in Python on unsaved rows.

An import checks 100,000 rows: asking the database once per row and constraint (what
`Model.validate_constraints` does) would take minutes. The conditions are the models' own `Q`
objects, so the rule is still written once, in the model; this module only evaluates it, with
SQL's three-valued logic (a comparison with NULL is unknown, and a CHECK passes when unknown).
The database constraints stay the final guard.
"""

import operator
import re

from django.db.models import CheckConstraint, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_COMPARE = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}

# What a person reads when a row breaks a rule; keyed by constraint name.
MESSAGES = {
    "estate_industrial_within_gross": gettext_lazy("Industrial land cannot exceed gross land."),
    "estate_allocated_within_industrial": gettext_lazy("Allocated land cannot exceed industrial land."),
    "estate_operational_after_licence": gettext_lazy(
        "The operational date cannot be before the licence date."
    ),
    "estate_operational_has_date": gettext_lazy("An operational estate needs an operational date."),
    "estate_areas_not_negative": gettext_lazy("Land areas cannot be negative."),
    "workshop_completed_after_start": gettext_lazy(
        "A workshop cannot be completed before its construction started."
    ),
    "workshop_opened_after_completed": gettext_lazy(
        "A workshop can be opened (handed over) only when completed, on or after its completion date."
    ),
    "workshop_occupant_only_when_opened": gettext_lazy("Only an opened workshop can have an occupant."),
    "unit_has_employees": gettext_lazy("A unit has at least one employee."),
    "event_cause_only_and_always_when_idled": gettext_lazy(
        "A cause of idling is given for an «idled» event, and only for it."
    ),
    "event_jobs_only_and_always_when_revived": gettext_lazy(
        "Jobs restored are given for a «revived» event, and only for it."
    ),
    "project_ends_after_start": gettext_lazy(
        "A project's actual end needs a start date and cannot be before it."
    ),
    "project_planned_end_after_start": gettext_lazy("The planned end cannot be before the start."),
    "project_starts_after_approval": gettext_lazy("A project cannot start before it was approved."),
    "project_completed_has_end": gettext_lazy("A completed project needs an actual end date."),
    "project_stopped_date_iff_stopped": gettext_lazy(
        "A stop date is given when the project is suspended or cancelled, and only then."
    ),
    "project_started_has_start": gettext_lazy("An underway or completed project needs a start date."),
    "project_progress_0_100": gettext_lazy("Physical progress is between 0 and 100."),
    "disbursement_amount_positive": gettext_lazy("A payment is more than zero rials."),
    "planned_month_1_12": gettext_lazy("The month is from 1 to 12."),
    "target_ends_after_start": gettext_lazy("A target cannot end before it starts."),
    "rate_positive": gettext_lazy("A rate is more than zero."),
    "rate_currency_iso4217": gettext_lazy("The currency is a three-letter ISO 4217 code such as USD."),
    "county_urban_within_population": gettext_lazy("Urban population cannot exceed population."),
}


class UnsupportedCondition(TypeError):
    pass


def _value(instance, name):
    if isinstance(name, F):
        name = name.name
    field = instance._meta.get_field(name)
    return getattr(instance, field.attname)


def _lookup(instance, key: str, expected):
    name, _sep, lookup = key.partition("__")
    lookup = lookup or "exact"
    actual = _value(instance, name)
    if lookup == "isnull":
        return (actual is None) == bool(expected)
    if isinstance(expected, F):
        expected = _value(instance, expected)
    if actual is None:
        return None
    if lookup == "in":
        return actual in expected
    if lookup == "regex":
        return re.search(expected, str(actual)) is not None
    if lookup in _COMPARE:
        if expected is None:
            return None
        return _COMPARE[lookup](actual, expected)
    raise UnsupportedCondition(f"lookup {lookup!r} in a constraint on {instance._meta.label}")


def evaluate(condition: Q, instance):
    """True, False or None (unknown) for the condition on the instance, as SQL would say."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(evaluate(child, instance))
        else:
            results.append(_lookup(instance, *child))
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        value = True if True in results else (None if None in results else False)
    else:
        raise UnsupportedCondition(condition.connector)
    if condition.negated:
        # Django adds IS NOT NULL to negated lookups on nullable columns, so NOT unknown is true.
        value = True if value is None else not value
    return value


def condition_fields(condition: Q) -> list[str]:
    """The field names a condition reads, in order of first mention."""
    names = []
    for child in condition.children:
        found = condition_fields(child) if isinstance(child, Q) else [child[0].split("__")[0]]
        if not isinstance(child, Q) and isinstance(child[1], F):
            found.append(child[1].name)
        for name in found:
            if name not in names:
                names.append(name)
    return names


def check_constraints(model) -> list[CheckConstraint]:
    return [c for c in model._meta.constraints if isinstance(c, CheckConstraint)]


def violations(instance, constraints=None) -> list[tuple[CheckConstraint, list[str], str]]:
    """The check constraints the unsaved instance breaks: (constraint, fields, message)."""
    broken = []
    for constraint in constraints if constraints is not None else check_constraints(type(instance)):
        if evaluate(constraint.condition, instance) is False:
            message = MESSAGES.get(constraint.name)
            text = (
                str(message)
                if message
                else _("The row breaks the rule «%(name)s».") % {"name": constraint.name}
            )
            broken.append((constraint, condition_fields(constraint.condition), text))
    return broken
