"""Change history for every domain record (django-simple-history).

Each audited model declares `history = HistoricalRecords(...)`: every save and delete through
the ORM writes a row with who, when and the whole record after the change (the row before it is
the previous history row, so before/after can always be shown). Bulk writes go through
`bulk_create_with_history` / `bulk_update_with_history`; `QuerySet.update()`, which would change
rows without a trace, is refused on audited models.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from simple_history import utils as history_utils
from simple_history.models import HistoricalRecords

from .versions import data_changed

__all__ = [
    "AuditedQuerySet",
    "HistoricalRecords",
    "UnauditedWrite",
    "audited_history",
    "bulk_create_with_history",
    "bulk_update_with_history",
    "save_with_history",
]


class UnauditedWrite(RuntimeError):
    """Raised when code tries to change audited rows in a way that leaves no history."""


# Django's bulk_update() is built on update(); it is allowed only inside bulk_update_with_history.
_update_allowed: ContextVar[bool] = ContextVar("_update_allowed", default=False)


@contextmanager
def _allow_update():
    token = _update_allowed.set(True)
    try:
        yield
    finally:
        _update_allowed.reset(token)


def bulk_create_with_history(objs, model, **kwargs):
    """simple-history's bulk_create_with_history; the data version advances (no save signal does)."""
    created = history_utils.bulk_create_with_history(objs, model, **kwargs)
    data_changed()
    return created


def bulk_update_with_history(objs, model, fields, **kwargs):
    """simple-history's bulk_update_with_history, let through the refusal of update()."""
    with _allow_update():
        updated = history_utils.bulk_update_with_history(objs, model, fields, **kwargs)
    data_changed()
    return updated


class AuditedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if _update_allowed.get():
            return super().update(**kwargs)
        raise UnauditedWrite(
            f"{self.model.__name__}.objects.update() would leave no history; "
            "save the objects or use bulk_update_with_history"
        )

    def unaudited_update(self, **kwargs):
        """For derived caches only (never user data): an update that writes no history."""
        changed = super().update(**kwargs)
        if changed:
            data_changed(self.db)
        return changed


def audited_history(**kwargs) -> HistoricalRecords:
    """HistoricalRecords with the options every Shahrak model uses."""
    kwargs.setdefault("cascade_delete_history", False)  # a deletion can be undone from history
    kwargs.setdefault("history_change_reason_field", models.TextField(null=True))
    return HistoricalRecords(**kwargs)


def save_with_history(instance, *, actor=None, reason: str | None = None, **save_kwargs):
    """Save one record, naming who made the change and why (CLI and imports have no request)."""
    if actor is not None:
        instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save(**save_kwargs)
    return instance
