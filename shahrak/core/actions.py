"""The one write path for domain records: validate, check the user's scope, save with history.

Web forms, the API and imports all call these, so that a rule (database constraints, model
validation, a provincial officer's scope) holds the same way everywhere.
"""

from django.db import transaction

from shahrak.accounts.scope import check_write

from .history import save_with_history


@transaction.atomic
def save_record(instance, *, actor, reason: str | None = None, validate: bool = True):
    """Create or update one record as `actor`. Raises ValidationError or PermissionDenied."""
    if instance.pk is not None and not instance._state.adding:
        # The record as stored: an officer may not move a record out of their province either.
        before = type(instance)._default_manager.get(pk=instance.pk)
        check_write(actor, before, "change")
    check_write(actor, instance, "add" if instance._state.adding else "change")
    if validate:
        instance.full_clean()
    return save_with_history(instance, actor=actor, reason=reason)


@transaction.atomic
def delete_record(instance, *, actor, reason: str | None = None) -> None:
    """Delete one record as `actor`; its last state stays in the history, so it can be restored."""
    check_write(actor, instance, "delete")
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.delete()
