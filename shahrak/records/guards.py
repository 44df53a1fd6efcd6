"""Rules that apps above the records add to the one write path (in the manner of `ui/panels.py`).

The write path (`actions.save_record` / `delete_record`, and the importer's bulk writer) sits below
the apps that decide, for instance, that a province-month is locked by an approved monthly return.
It cannot import them; instead each such app registers a guard from its AppConfig.ready:

    @register_write_guard
    def locked_months(writes):
        return {index: message, ...}   # the writes it refuses, each with why

A guard gets a batch of writes (one for a form or the API, a whole file for an import) so that it
can ask the database once, and returns the refused ones by their index in the batch.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model


class WriteRefused(PermissionDenied):
    """A guard refused the write; the message says why and who can lift the refusal."""


@dataclass
class Write:
    """One record about to be written: `instance` as it will be (for a delete, as stored), `before`
    as stored (None when it is new or restored), `action` 'add', 'change' or 'delete'."""

    instance: Model
    before: Model | None
    action: str


Guard = Callable[[Sequence[Write]], dict[int, str]]
_GUARDS: list[Guard] = []


def register_write_guard(func: Guard) -> Guard:
    if func not in _GUARDS:
        _GUARDS.append(func)
    return func


def refusals(writes: Sequence[Write]) -> dict[int, list[str]]:
    """The writes of the batch some guard refuses, index → messages."""
    refused: dict[int, list[str]] = {}
    if not writes:
        return refused
    for guard in _GUARDS:
        for index, message in guard(writes).items():
            refused.setdefault(index, []).append(str(message))
    return refused


def check_write_guards(write: Write) -> None:
    """Raise WriteRefused when a guard refuses this one write."""
    refused = refusals([write])
    if refused:
        raise WriteRefused(" ".join(refused[0]))
