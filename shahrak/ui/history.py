"""The change history of a record as the history page shows it: who, when, and each field before and after."""

import json

from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from shahrak.core.forms import CODE_FIELD_NAMES

from . import format as fmt

KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}

# Text the application itself stores (shipped reference data, the loader's change reason): shown in
# the reader's language. Text a person typed is shown as typed.
SHIPPED_TEXTS = (
    gettext_noop("Provisional rule: province Subnational HDI 2019 (Global Data Lab) below 0.75"),
    gettext_noop("reference data"),
)
SHIPPED_TEXT_FIELDS = frozenset({"deprivation_source"})


def shipped_text(value: str) -> str:
    """A text the application stored, in the reader's language; any other text as it is."""
    return gettext(value) if value in SHIPPED_TEXTS else value


def in_language(text, field_name: str):
    """A record's text in a field that holds one language (name_en, title_en; name_fa), marked with
    it, so that an English name on a Persian page is read as English on purpose, and the reverse."""
    if field_name.endswith("_en"):
        return format_html('<bdi lang="en" dir="ltr">{}</bdi>', text)
    if field_name.endswith("_fa"):
        return format_html('<bdi lang="fa" dir="rtl">{}</bdi>', text)
    return text


def display_value(field, value, related_cache: dict):
    """A stored value as a reader should see it: choice labels, Solar Hijri dates, related records by
    name, codes marked as codes, a name in English marked as English."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        key = (field.related_model, value)
        if field.related_model._meta.label_lower == "accounts.user":
            # A user is named by their user name, a code written as issued (a return's approver).
            if key not in related_cache:
                user = field.related_model._default_manager.filter(pk=value).first()
                related_cache[key] = user.get_username() if user is not None else str(value)
            return fmt.code(related_cache[key])
        if key not in related_cache:
            obj = field.related_model._default_manager.filter(pk=value).first()
            related_cache[key] = str(obj) if obj is not None else f"#{fmt.digits(value)}"
        return fmt.as_html(related_cache[key])
    if field.name in CODE_FIELD_NAMES or field.name in getattr(field.model, "code_fields", ()):
        # A model may name its own code fields (a contract's number, an applicant's national ID).
        return fmt.code(value)
    if field.name in SHIPPED_TEXT_FIELDS:
        return shipped_text(value)
    internal = field.get_internal_type()
    if internal == "BooleanField":
        return gettext("yes") if value else gettext("no")
    if internal == "JSONField":
        # Stored data (a site-plan polygon, criteria scores), written as it is stored.
        return fmt.code(json.dumps(value, ensure_ascii=False))
    if internal == "DateField":
        return fmt.jdate(value)
    if internal == "DateTimeField":
        return fmt.jdatetime(value)
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
    return in_language(str(value), field.name)


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
                    "field": fmt.label(field.verbose_name),
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
                "reason": shipped_text(getattr(record, "history_change_reason", None) or "") or None,
                "changes": [] if record.history_type == "-" else changes,
                "id": record.history_id,
            }
        )
    return entries
