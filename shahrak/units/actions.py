"""Recording the events of a production unit's life (established, idled, revived, closed).

The order of a unit's events is the model's rule (`UnitEvent.clean`, `event_order_errors`), so the
one write path holds it for forms, the API, imports and restores alike.
"""

from shahrak.records.actions import save_record

from .models import UnitEvent


def record_event(unit, *, kind, date, cause=None, jobs=None, actor, reason=None) -> UnitEvent:
    """Record a new event of a unit as `actor`."""
    return save_record(
        UnitEvent(unit=unit, kind=kind, date=date, cause=cause, jobs=jobs), actor=actor, reason=reason
    )
