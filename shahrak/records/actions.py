"""The one write path for domain records: derive and validate, check the user's scope, save with history.

Web forms, the API and restores call these (the importer checks the same guards for a whole file
before its bulk write), so that a rule (database constraints,
model validation, a provincial officer's scope) holds the same way everywhere.
"""

from django.db import transaction

from shahrak.accounts.scope import check_public_add, check_write
from shahrak.core.history import save_with_history

from .guards import Write, check_write_guards


def changed_fields(before, after) -> list[str]:
    """The stored fields whose values differ between two states of a record."""
    return [
        f.attname
        for f in type(after)._meta.concrete_fields
        if getattr(before, f.attname) != getattr(after, f.attname)
    ]


@transaction.atomic
def save_record(instance, *, actor, reason: str | None = None, validate: bool = True):
    """Create or update one record as `actor`. Raises ValidationError or PermissionDenied.

    The model's `full_clean` runs first: its `clean` derives what the record's place depends on (a
    unit's county from its estate), so the province checked is the one that will be written. A
    change that changes nothing is not saved and writes no history. What the model accepts but
    asks the writer to look at (`save_warnings()`) is left on `instance.write_warnings`.
    """
    before = None
    if instance.pk is not None and not instance._state.adding:
        before = type(instance)._default_manager.get(pk=instance.pk)
    if validate:
        instance.full_clean()
    if before is not None:
        # The record as stored: an officer may not move a record out of their province either.
        check_write(actor, before, "change")
    check_write(actor, instance, "add" if instance._state.adding else "change")
    instance.write_warnings = list(instance.save_warnings()) if hasattr(instance, "save_warnings") else []
    if before is not None and not changed_fields(before, instance):
        return instance
    # What the apps above add (a locked month, shahrak/records/guards.py); a restore is an add.
    check_write_guards(Write(instance, before, "add" if before is None else "change"))
    return save_with_history(instance, actor=actor, reason=reason)


@transaction.atomic
def save_public_record(instance, *, reason: str | None = None):
    """Add one record the public may add without an account (accounts.scope.PUBLIC_ADDS: an
    investor's online application). The same validation and guards as `save_record`; no role to
    check, and the history names no user (the change reason says where it came from)."""
    check_public_add(instance)
    instance.full_clean()
    instance.write_warnings = list(instance.save_warnings()) if hasattr(instance, "save_warnings") else []
    check_write_guards(Write(instance, None, "add"))
    return save_with_history(instance, actor=None, reason=reason)


@transaction.atomic
def delete_record(instance, *, actor, reason: str | None = None) -> None:
    """Delete one record as `actor`; its last state stays in the history, so it can be restored."""
    check_write(actor, instance, "delete")
    check_write_guards(Write(instance, instance, "delete"))
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.delete()
