"""Recording the events of a production unit's life (established, idled, revived, closed)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shahrak.core.actions import save_record

from .models import EventKind, UnitEvent


def validate_event_sequence(event: UnitEvent) -> None:
    """Rules no single-row constraint can hold: `established` is a unit's first event and only once."""
    others = UnitEvent.objects.filter(unit_id=event.unit_id).exclude(pk=event.pk)
    if event.kind == EventKind.ESTABLISHED:
        if others.filter(kind=EventKind.ESTABLISHED).exists():
            raise ValidationError({"kind": _("This unit already has an establishment event.")})
        if others.filter(date__lt=event.date).exists():
            raise ValidationError({"date": _("The establishment must be the unit's first event.")})
    else:
        established = others.filter(kind=EventKind.ESTABLISHED).values_list("date", flat=True).first()
        if established is not None and event.date < established:
            raise ValidationError({"date": _("An event cannot come before the unit was established.")})


def save_event(event: UnitEvent, *, actor, reason=None) -> UnitEvent:
    """Create or change one event as `actor`, after checking it fits the unit's other events."""
    validate_event_sequence(event)
    return save_record(event, actor=actor, reason=reason)


def record_event(unit, *, kind, date, cause=None, jobs=None, actor, reason=None) -> UnitEvent:
    """Record a new event of a unit as `actor`."""
    return save_event(UnitEvent(unit=unit, kind=kind, date=date, cause=cause, jobs=jobs), actor=actor, reason=reason)
