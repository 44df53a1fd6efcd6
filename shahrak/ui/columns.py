"""Table columns that write dates, numbers and money the way the reader expects."""

import functools

import django_tables2 as tables
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2.utils import OrderBy

from . import format as fmt
from .preferences import money_unit, rate_book


def url_of(obj) -> str | None:
    """The page of a record (models carry no get_absolute_url; the URL names follow app:model)."""
    if obj is None:
        return None
    around = _record_url_around(type(obj), get_script_prefix())
    return f"{around[0]}{obj.pk}{around[1]}" if around else None


_MARK = 7_340_269_183  # a pk no test or demo reaches, replaced by the record's own


@functools.cache
def _record_url_around(model, script_prefix: str) -> tuple[str, str] | None:
    """A record page's URL before and after its pk, reversed once per model: a list links 50 rows or
    more, and reverse() per link was a third of a list page's time (issue 12, item 9)."""
    from .generic import model_url

    url = model_url(model, "", _MARK)
    if not url:
        return None
    before, _, after = url.partition(str(_MARK))
    return before, after


def link_to(accessor: str | None = None):
    """linkify= for a column: the record itself, or the related record at `accessor` ('estate')."""

    def link(record):
        return url_of(tables.A(accessor).resolve(record, quiet=True) if accessor else record)

    link.record_accessor = (
        accessor or ""
    )  # lets a table's body write the link without django-tables2's detour
    return link


class JalaliDateColumn(tables.Column):
    """A date shown as Solar Hijri in the reader's digits."""

    def render(self, value):
        return fmt.jdate(value)

    def value(self, value):
        return fmt.jdate(value)


class NumberColumn(tables.Column):
    """A number in the reader's digits with thousands separators, aligned to the end of the cell."""

    def __init__(self, *args, decimals=0, **kwargs):
        self.decimals = decimals
        attrs = kwargs.pop("attrs", {})
        attrs.setdefault("td", {"class": "num"})
        attrs.setdefault("th", {"class": "num"})
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value):
        return fmt.number(value, self.decimals)


class MoneyColumn(NumberColumn):
    """Rials in the reader's unit; US dollars at the rate in force on the record's date (`date_accessor`)."""

    def __init__(self, *args, date_accessor=None, **kwargs):
        self.date_accessor = date_accessor
        self.unit = fmt.DEFAULT_MONEY_UNIT
        super().__init__(*args, **kwargs)

    @property
    def header(self):
        return format_html(
            "{} <small class='text-body-secondary'>({})</small>",
            self.verbose_name,
            fmt.money_unit_label(self.unit),
        )

    def render(self, value, record, table):
        day = tables.A(self.date_accessor).resolve(record) if self.date_accessor else None
        return fmt.money(value, self.unit, day, getattr(table, "rates", None), with_unit=False)


class PersianTextColumn(tables.Column):
    """Persian text (a name, a title) sorted in Persian alphabetical order, not by code point."""

    def order(self, queryset, is_descending):
        from shahrak.core.collation import persian_order

        fields = self.order_by or (self.accessor,)
        keys = [persian_order(OrderBy(field).bare.for_queryset()) for field in fields]
        keys = [key.desc() if is_descending else key.asc() for key in keys]
        return queryset.order_by(*keys, "-pk" if is_descending else "pk"), True


class CodeColumn(tables.Column):
    """An identifier, kept left-to-right inside right-to-left text and marked as a code (written as
    issued), linked to its record unless `linkify=False`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("linkify", link_to())
        super().__init__(*args, **kwargs)

    def render(self, value):
        return fmt.code(value)

    def value(self, value):
        return value


class LocalizedNameColumn(tables.Column):
    """A place's or estate's name in the reader's language (name_fa on a Persian page, name_en on an
    English one, falling back to the Persian name), sorted in that language's order."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("accessor", "name")
        kwargs.setdefault("verbose_name", _("name"))
        super().__init__(*args, **kwargs)

    def order(self, queryset, is_descending):
        from django.db.models import F

        from shahrak.core.collation import persian_order

        key = persian_order("name_fa") if fmt.is_fa() else F("name_en")
        key = key.desc() if is_descending else key.asc()
        return queryset.order_by(key, "-pk" if is_descending else "pk"), True


class ShahrakTable(tables.Table):
    """A table that knows the reader's money unit and keeps one book of exchange rates for the request."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.money_unit = money_unit(request)
        self.rates = rate_book(request)
        for bound in self.columns:
            if isinstance(bound.column, MoneyColumn):
                bound.column.unit = self.money_unit
            else:
                # A header that names a standard («رده ISIC») shows the name marked as a code.
                header = fmt.label(bound.verbose_name)
                if header is not bound.verbose_name:
                    bound.column.verbose_name = header

    class Meta:
        template_name = "web/inc/table.html"
        attrs = {"class": "table table-sm table-hover align-middle records"}
        empty_text = " "
