"""The lock of approved months in the one write path (DESIGN.md, "Monthly returns, approval and
period lock"), registered as a write guard (shahrak/records/guards.py) when the app is ready.

A dated fact belongs to its province and the Solar Hijri month of its date; the record types say
which of their dates are facts and what belongs to each (`fact_dates`, shahrak/core/places.py).
In a locked province-month (its return approved, or a reopening run out) the write path refuses:

- to add (or restore) a record with a fact in it;
- to delete a record with a fact in it;
- to change a record whose fact in it would change: for a record that is wholly a fact (a payment,
  an event) any change; otherwise a change of the fact's date, of the fields that belong to it, or
  of the record's place (which moves the fact to another province-month, or out of one).

Facts are checked both as stored and as they would be, so a fact can neither leave nor enter a
locked month. The message names the lock and who can lift it.
"""

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from shahrak.accounts.scope import province_id_of
from shahrak.core import jalali
from shahrak.core.places import WHOLE_RECORD, county_path, fact_dates, has_place
from shahrak.records.actions import changed_fields
from shahrak.records.guards import Write, register_write_guard

from .models import MonthlyReturn, ReturnState

Month = tuple[int, int]  # (year, month)


def _month(day) -> Month:
    year, month, _day = jalali.jalali_parts(day)
    return year, month


def _place_field(model) -> str | None:
    """The attname of the record's first step to its place (estate_id, county_id, project_id…)."""
    path = county_path(model)
    if not path:
        return None
    return model._meta.get_field(path.split("__")[0]).attname


def _facts(write: Write) -> list[tuple[object, str, Month]]:
    """The facts the write touches: (record state, date field, month) — the state is the record as
    stored or as it would be, whose province the fact is in."""
    model = type(write.instance)
    declared = fact_dates(model)
    if not declared or not has_place(model):
        return []
    if write.action in ("add", "delete") or write.before is None:
        state = write.before if write.action == "delete" else write.instance
        return [(state, name, _month(getattr(state, name))) for name in declared if getattr(state, name)]
    before, after = write.before, write.instance
    changed = set(changed_fields(before, after))
    if not changed:
        return []
    place = _place_field(model)
    moved = place in changed
    touched = []
    for name, fields in declared.items():
        if fields == WHOLE_RECORD:
            hit = True
        else:
            attnames = {name} | {model._meta.get_field(f).attname for f in fields}
            hit = moved or bool(attnames & changed)
        if not hit:
            continue
        for state in (before, after):
            if getattr(state, name):
                touched.append((state, name, _month(getattr(state, name))))
    return touched


def lock_message(locked: MonthlyReturn, record, field_name: str) -> str:
    model = type(record)
    why = (
        _("its return was approved")
        if locked.state == ReturnState.APPROVED
        else _("its reopening ended on %(until)s") % {"until": _jdatetime(locked.reopened_until)}
    )
    return _(
        "%(month)s of %(province)s is locked (%(why)s), so a %(record)s whose “%(date)s” is in that "
        "month cannot be added, changed, deleted or restored. An administrator can reopen the month, "
        "with a reason, for a limited time."
    ) % {
        "month": locked.month_label,
        "province": locked.province.name,
        "why": why,
        "record": model._meta.verbose_name,
        "date": model._meta.get_field(field_name).verbose_name,
    }


def _jdatetime(moment) -> str:
    from shahrak.ui import format as fmt

    return fmt.jdatetime(moment)


@register_write_guard
def locked_months(writes: Sequence[Write]) -> dict[int, str]:
    """The writes that touch a fact in a locked province-month, each with the lock's message."""
    touched = {index: _facts(write) for index, write in enumerate(writes)}
    touched = {index: facts for index, facts in touched.items() if facts}
    if not touched:
        return {}
    months = {month for facts in touched.values() for _state, _name, month in facts}
    locked = {}
    query = (
        MonthlyReturn.objects.locked(timezone.now())
        .filter(year__in={y for y, _m in months}, month__in={m for _y, m in months})
        .select_related("province")
    )
    for found in query:
        locked[(found.province_id, found.year, found.month)] = found
    if not locked:
        return {}
    locked_months_only = {(y, m) for _p, y, m in locked}
    refused = {}
    for index, facts in touched.items():
        for state, name, month in facts:
            if month not in locked_months_only:
                continue  # no province is locked that month: no need to find this one's
            found = locked.get((province_id_of(state), *month))
            if found is not None:
                refused[index] = lock_message(found, state, name)
                break
    return refused
