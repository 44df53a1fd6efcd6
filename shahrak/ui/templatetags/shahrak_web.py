"""Template filters for Solar Hijri dates, the reader's digits and money in the reader's unit."""

from django import template
from django.urls import NoReverseMatch, reverse

from shahrak.ui import format as fmt
from shahrak.ui.hooks import hook
from shahrak.ui.preferences import money_unit, rate_book

register = template.Library()


@register.filter
def jdate(day):
    return fmt.jdate(day)


@register.filter
def jdate_long(day):
    return fmt.jdate_long(day)


@register.filter
def jdatetime(moment):
    return fmt.jdatetime(moment)


@register.filter
def digits(value):
    return fmt.digits(value)


@register.filter
def num(value, decimals=0):
    return fmt.number(value, int(decimals))


@register.filter
def pct(ratio, decimals=1):
    return fmt.percent(ratio, int(decimals))


@register.filter
def code(value):
    """{{ estate.code|code }}: a code or identifier, marked as a code and kept left-to-right."""
    return fmt.code(value)


@register.simple_tag(name="code")
def code_tag(value):
    """{% code "CSV" %} or {% code "XLSX" as xlsx %}: the name of a format or standard, marked as a code."""
    return fmt.code(value)


@register.filter
def code_text(value):
    """A code in plain text (a <title>): kept left-to-right by Unicode isolates, marked as a code."""
    from shahrak.core.text import code_text as isolated

    return isolated(value)


@register.filter
def marked(text):
    """A record's name or a message as HTML, its codes marked; a label with the standards it names marked."""
    return fmt.as_html(fmt.mark_codes(str(text))) if text is not None else ""


@register.filter
def reader_numbers(text):
    """Text composed elsewhere (a message) with its lone numbers in the reader's digits."""
    return fmt.numbers_in_reader_digits(text)


@register.filter
def file_value(value):
    return fmt.file_value(value)


@register.filter
def symbols(text):
    return fmt.symbols(text)


@register.filter
def usd(amount):
    return fmt.usd(amount)


@register.simple_tag(takes_context=True)
def money(context, rials, day=None, with_unit=True):
    """{% money amount %} or {% money payment.amount_rials payment.date %} (USD at that day's rate)."""
    request = context.get("request")
    return fmt.money(rials, money_unit(request), day, rate_book(request), with_unit)


@register.simple_tag(takes_context=True)
def money_unit_label(context):
    return fmt.money_unit_label(money_unit(context.get("request")))


@register.simple_tag
def object_url(obj, action=""):
    """The page of a record: {% object_url estate %}, {% object_url estate 'edit' %}."""
    if obj is None:
        return ""
    meta = obj._meta
    name = f"{meta.app_label}:{meta.model_name}{'_' + action if action else ''}"
    try:
        return reverse(name, args=[obj.pk])
    except NoReverseMatch:
        return ""


@register.simple_tag
def list_url(model_or_obj):
    meta = model_or_obj._meta
    try:
        return reverse(f"{meta.app_label}:{meta.model_name}_list")
    except NoReverseMatch:
        return ""


@register.simple_tag
def object_fields(obj, exclude=""):
    """[(label, text, url)] for every stored field of a record, written for the reader."""
    from shahrak.ui.columns import url_of
    from shahrak.ui.history import display_value

    skip = set(filter(None, exclude.split(",")))
    rows, cache = [], {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in skip:
            continue
        value = getattr(obj, field.attname)
        url = None
        if field.is_relation and value is not None:
            related = getattr(obj, field.name)
            url = url_of(related)
            cache[(field.related_model, value)] = str(related)
        rows.append((fmt.label(field.verbose_name), display_value(field, value, cache), url))
    return rows


@register.simple_tag
def may_import(user) -> bool:
    """Whether the menu offers the import page: only to a role that may write some record type."""
    return bool(user and user.is_authenticated and hook("may_import")(user))


@register.simple_tag(takes_context=True)
def money_units(context):
    from shahrak.ui.format import MONEY_UNITS

    return {
        "choices": [(code, label) for code, label in MONEY_UNITS.items()],
        "current": money_unit(context.get("request")),
    }


@register.filter
def widget(bound_field):
    """A form field's widget, marked invalid (Bootstrap) when it has errors."""
    css = bound_field.field.widget.attrs.get("class", "")
    if bound_field.errors:
        css = f"{css} is-invalid".strip()
    return bound_field.as_widget(attrs={"class": css})


@register.simple_tag
def table_body(table):
    """A records table's <tbody> written in Python (shahrak/ui/tablebody.py); "" when it has no rows."""
    from shahrak.ui.tablebody import table_body as write

    return write(table)
