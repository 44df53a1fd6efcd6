"""Helpers for the tests of every app (no test is collected from here)."""

from django.db import transaction


class Rollback(Exception):
    pass


def in_rollback(check):
    """Run check() inside a savepoint that is always rolled back (one world per property example)."""
    try:
        with transaction.atomic():
            check()
            raise Rollback
    except Rollback:
        pass
