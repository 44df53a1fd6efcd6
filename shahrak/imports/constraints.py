"""The models' CheckConstraints, evaluated in Python on unsaved rows.

An import checks 100,000 rows: asking the database once per row and constraint (what
`Model.validate_constraints` does) would take minutes. The conditions are the models' own `Q`
objects, so the rule is still written once, in the model; this module only evaluates it, with
SQL's three-valued logic (a comparison with NULL is unknown, and a CHECK passes when unknown).
The database constraints stay the final guard. The messages are the constraints' own
(`violation_error_message`, see shahrak/core/constraints.py).
"""

import operator
import re

from django.db.models import CheckConstraint, F, Q

from shahrak.core.constraints import condition_fields, constraint_fields, constraint_message

__all__ = ["check_constraints", "condition_fields", "evaluate", "violations"]

_COMPARE = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
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


def check_constraints(model) -> list[CheckConstraint]:
    return [c for c in model._meta.constraints if isinstance(c, CheckConstraint)]


def violations(instance, constraints=None) -> list[tuple[CheckConstraint, list[str], str]]:
    """The check constraints the unsaved instance breaks: (constraint, fields, message)."""
    broken = []
    for constraint in constraints if constraints is not None else check_constraints(type(instance)):
        if evaluate(constraint.condition, instance) is False:
            fields = constraint_fields(type(instance), constraint)
            broken.append((constraint, fields, constraint_message(constraint)))
    return broken
