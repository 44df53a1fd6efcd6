"""The change history of a record as the history page shows it: who, when, and each field before and after."""

from django.utils.translation import gettext_lazy as _

from . import format as fmt

KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def display_value(field, value, related_cache: dict) -> str:
    """A stored value as a reader should see it: choice labels, Solar Hijri dates, related records by name."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        key = (field.related_model, value)
        if key not in related_cache:
            obj = field.related_model._default_manager.filter(pk=value).first()
            related_cache[key] = str(obj) if obj is not None else f"#{value}"
        return related_cache[key]
    internal = field.get_internal_type()
    if internal == "DateField":
        return fmt.jdate(value)
    if internal in ("DecimalField", "FloatField"):
        return fmt.number(value, 2)
    if internal in (
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
    ):
        return fmt.number(value)
    return str(value)


def history_entries(records) -> list[dict]:
    """One entry per history row, newest first, with the fields that differ from the row before it."""
    records = list(records)
    if not records:
        return []
    model = records[0].instance_type
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.editable]
    cache: dict = {}
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        for field in fields:
            new = getattr(record, field.attname, None)
            old = getattr(previous, field.attname, None) if previous is not None else None
            if previous is not None and old == new:
                continue
            if previous is None and new in (None, ""):
                continue
            changes.append(
                {
                    "field": field.verbose_name,
                    "old": display_value(field, old, cache) if previous is not None else "",
                    "new": display_value(field, new, cache) if record.history_type != "-" else "",
                }
            )
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "kind": record.history_type,
                "kind_label": KINDS.get(record.history_type, record.history_type),
                "reason": getattr(record, "history_change_reason", None),
                "changes": [] if record.history_type == "-" else changes,
                "id": record.history_id,
            }
        )
    return entries
