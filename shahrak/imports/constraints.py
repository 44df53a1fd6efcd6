"""The models' CheckConstraints, evaluated in Python on unsaved rows.

An import checks 100,000 rows: asking the database once per row and constraint (what
`Model.validate_constraints` does) would take minutes. The conditions are the models' own `Q`
objects, so the rule is still written once, in the model; this module only evaluates it, with
SQL's three-valued logic (a comparison with NULL is unknown, and a CHECK passes when unknown).
The database constraints stay the final guard. The messages are the constraints' own
(`violation_error_message`, see shahrak/core/constraints.py).

An import compiles its model's checks once (`compile_checks`): each condition becomes a Python
function of the instance's stored values, with the same three-valued logic as `evaluate`, so the
`Q` tree is not walked again for each of 100,000 rows.
"""

import operator
import re

from django.db.models import CheckConstraint, F, Q

from shahrak.core.constraints import condition_fields, constraint_fields, constraint_message

__all__ = ["check_constraints", "compile_checks", "condition_fields", "evaluate", "violations"]

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
    """The check constraints the unsaved instance breaks: (constraint, fields, message).
    `constraints` may be a list of CheckConstraints or the `Checks` compiled for the model."""
    if isinstance(constraints, Checks):
        return constraints.violations(instance)
    broken = []
    for constraint in constraints if constraints is not None else check_constraints(type(instance)):
        if evaluate(constraint.condition, instance) is False:
            fields = constraint_fields(type(instance), constraint)
            broken.append((constraint, fields, constraint_message(constraint)))
    return broken


# Compiled checks --------------------------------------------------------------------------------
class Checks:
    """A model's check constraints compiled once: `violations(instance)` as the function above."""

    def __init__(self, model, constraints=None):
        constraints = check_constraints(model) if constraints is None else constraints
        self.model = model
        self.compiled = [
            (_compile(model, c.condition), c, constraint_fields(model, c), constraint_message(c))
            for c in constraints
        ]

    def violations(self, instance) -> list[tuple[CheckConstraint, list[str], str]]:
        data = instance.__dict__
        broken = []
        for test, constraint, fields, message in self.compiled:
            if test(data, instance) is False:
                broken.append((constraint, fields, message))
        return broken


def compile_checks(model, constraints=None) -> Checks:
    return Checks(model, constraints)


def _reader(model, name):
    """A function (stored values, instance) → the field's value, as `_value` reads it."""
    if isinstance(name, F):
        name = name.name
    attname = model._meta.get_field(name).attname

    def read(data, instance):
        # A deferred field is missing from __dict__: the descriptor loads it, as getattr would.
        return data[attname] if attname in data else getattr(instance, attname)

    return read


def _compile_lookup(model, key: str, expected):
    name, _sep, lookup = key.partition("__")
    lookup = lookup or "exact"
    actual = _reader(model, name)
    if lookup == "isnull":
        wanted = bool(expected)
        return lambda data, instance: (actual(data, instance) is None) == wanted
    other = _reader(model, expected) if isinstance(expected, F) else None
    fixed = None if other is not None else expected
    if lookup in ("in", "regex"):
        if lookup == "in":
            test = operator.contains
        else:
            test = lambda pattern, value: re.search(pattern, str(value)) is not None  # noqa: E731
            if other is None:
                search = re.compile(fixed).search
                test = lambda _pattern, value: search(str(value)) is not None  # noqa: E731

        def test_member(data, instance):
            value = actual(data, instance)
            if value is None:
                return None
            against = fixed if other is None else other(data, instance)
            return test(against, value)

        return test_member
    if lookup not in _COMPARE:
        raise UnsupportedCondition(f"lookup {lookup!r} in a constraint on {model._meta.label}")
    compare = _COMPARE[lookup]
    if other is None:
        if fixed is None:
            return lambda data, instance: None

        def test_fixed(data, instance):
            value = actual(data, instance)
            return None if value is None else compare(value, fixed)

        return test_fixed

    def test_field(data, instance):
        value = actual(data, instance)
        if value is None:
            return None
        against = other(data, instance)
        return None if against is None else compare(value, against)

    return test_field


def _compile(model, condition: Q):
    """The condition as a function (stored values, instance) → True, False or None, as `evaluate`."""
    tests = [
        _compile(model, child) if isinstance(child, Q) else _compile_lookup(model, *child)
        for child in condition.children
    ]
    negated = condition.negated
    if condition.connector not in (Q.AND, Q.OR):
        raise UnsupportedCondition(condition.connector)
    # The result that settles the whole at once: False for AND, True for OR; an unknown (None)
    # child leaves the whole unknown unless a later one settles it.
    settles = condition.connector == Q.OR

    def combined(data, instance):
        value = not settles
        for test in tests:
            result = test(data, instance)
            if result is settles:
                return settles
            if result is None:
                value = None
        return value

    if not negated:
        return combined

    def negation(data, instance):
        # Django adds IS NOT NULL to negated lookups on nullable columns, so NOT unknown is true.
        value = combined(data, instance)
        return True if value is None else not value

    return negation
