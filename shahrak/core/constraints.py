"""What a model constraint says to a person, and which field it is about.

The message is the constraint's own `violation_error_message` (written once, on the model,
translated); forms, the API and imports show it on the field this module names.
"""

from django.db.models import CheckConstraint, F, Q, UniqueConstraint


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


def _selectors(condition: Q) -> set[str]:
    """Fields a condition compares with one fixed value (`kind="idled"`): they pick the rule."""
    found = set()
    for child in condition.children:
        if isinstance(child, Q):
            found |= _selectors(child)
        elif "__" not in child[0] and not isinstance(child[1], F):
            found.add(child[0])
    return found


def constraint_fields(model, constraint) -> list[str]:
    """The fields a broken constraint is about, the one to name first.

    A check names first the field it constrains rather than the one compared with a fixed value
    to select the rule (`cause` before `kind`, `actual_end_date` before `status`); a unique constraint names its most
    specific field (the last: the `date` of one event a day), a conditional one the field of its
    condition when that is a choice (`kind` for one establishment per unit).
    """
    if isinstance(constraint, CheckConstraint):
        names = condition_fields(constraint.condition)
        selectors = _selectors(constraint.condition)
        subjects = [n for n in names if n not in selectors]
        return subjects + [n for n in names if n not in subjects]
    if isinstance(constraint, UniqueConstraint):
        names = list(reversed(constraint.fields))
        if constraint.condition is not None:
            chosen = [n for n in condition_fields(constraint.condition) if model._meta.get_field(n).choices]
            names = chosen + [n for n in names if n not in chosen]
        return names
    return []


def constraint_message(constraint) -> str:
    """The constraint's message for a person (its violation_error_message)."""
    return str(constraint.get_violation_error_message())
