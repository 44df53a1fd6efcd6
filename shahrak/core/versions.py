"""The data version: what a cache of figures is keyed on, so that a figure is never served stale.

Every write to a record that figures read advances it in the same transaction: saves and deletes
of audited models (a signal, so web forms, the API, restores, the admin and commands are all
covered), the bulk writes of imports and the demo (they call `data_changed()`), and the refreshes
of derived caches. A reader sees the old version until the writer commits, and the new one with
the new rows. Concurrent writers queue on the one row until each commits: writes here are few
(officers' edits, imports one at a time per province), reads are many.
"""

import uuid

from django.db import DEFAULT_DB_ALIAS, router
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from .models import DataVersion

VERSION_ROW = 1


def current(using: str | None = None) -> tuple[int, str]:
    """(number, token) as this connection sees it; (0, "") before the first write."""
    using = using or router.db_for_read(DataVersion)
    row = DataVersion.objects.using(using).filter(pk=VERSION_ROW).values_list("number", "token").first()
    return row or (0, "")


def data_changed(using: str | None = None) -> None:
    """Advance the version (in the caller's transaction, if it is in one)."""
    using = using or router.db_for_write(DataVersion) or DEFAULT_DB_ALIAS
    token = uuid.uuid4().hex
    rows = DataVersion.objects.using(using).filter(pk=VERSION_ROW)
    if not rows.update(number=F("number") + 1, token=token):
        DataVersion.objects.using(using).get_or_create(pk=VERSION_ROW, defaults={"number": 1, "token": token})


def _record_changed(sender, using=None, **kwargs) -> None:
    if sender in _watched:
        data_changed(using)


_watched: set = set()


def watch_audited_models() -> None:
    """Advance the version on every save and delete of an audited model (CoreConfig.ready)."""
    from simple_history.models import registered_models

    _watched.update(registered_models.values())
    post_save.connect(_record_changed, dispatch_uid="shahrak_data_version_save")
    post_delete.connect(_record_changed, dispatch_uid="shahrak_data_version_delete")
