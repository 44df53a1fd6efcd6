"""A records table's body written in Python: the same cells as django-tables2's template, cheaper.

A list page is 50 rows of about seven cells. Through the template language, each cell cost a
`{% for %}` turn, an attribute dictionary rebuilt per cell and a signature inspection of the
column's `render` per call: most of a list page's time (issue 12, item 9). Here each column's
render arguments, its cell attributes and whether its value is a choice's label are worked out
once per table, and each row is joined as a string. The value, the empty default, the link and
the escaping follow django-tables2's `BoundRow.get_cell` step by step (tests compare the two).
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.utils import A, AttributeDict, signature

_UNDECIDED = object()


class _Cells:
    """How one column writes its cells in this table."""

    def __init__(self, table, bound):
        self.bound = bound
        self.column = bound.column
        self.accessor = A(bound.accessor)
        self.render = bound.render
        self.wants, self.takes_all = signature(self.render)
        self.link = bound.link
        # A link made by columns.link_to with no attributes of its own: the same <a href> written directly.
        self.record_link = None
        if self.link is not None and not self.link.attrs and hasattr(self.link.url, "record_accessor"):
            self.record_link = self.link.url
        self.empty_values = self.column.empty_values
        self.localize = self.column.localize
        self.many = isinstance(self.column, ManyToManyColumn)
        # Whether the value is read through the model's get_FOO_display(): decided on the first row
        # (all rows of a table are records of one model).
        self.display = _UNDECIDED
        self.td = None if _computed(table, bound) else bound.attrs["td"].as_html()

    def value_of(self, record):
        if self.display is _UNDECIDED:
            self.display = self._display_name(record)
        if self.display:
            penultimate, _ = self.accessor.penultimate(record)
            return getattr(penultimate, self.display)()
        try:
            return self.accessor.resolve(record)
        except Exception:  # as django-tables2: a column not read from the record (render_late(record))
            return None

    def _display_name(self, record) -> str | None:
        penultimate, remainder = self.accessor.penultimate(record)
        if not isinstance(penultimate, models.Model):
            return None
        try:
            field = self.accessor.get_field(record)
        except FieldDoesNotExist:
            return None
        name = f"get_{remainder}_display"
        return name if getattr(field, "choices", ()) and hasattr(penultimate, name) else None

    def cell(self, record, row, table) -> str:
        value = self.value_of(record)
        if value in self.empty_values or (self.many and not value.exists()):
            content = self.bound.default
        else:
            # The arguments a cell's render and link may ask for (django-tables2's _optional_cell_arguments).
            every = {"value": value, "record": record, "column": self.column, "bound_column": self.bound,
                     "bound_row": row, "table": table}  # fmt: skip
            if self.takes_all:
                content = self.render(**every)
            elif any(name not in every for name in self.wants):
                content = None  # as django-tables2's call_with_appropriate
            else:
                content = self.render(**{name: every[name] for name in self.wants})
            if self.record_link is not None:
                href = self.record_link(record)
                if href is not None:
                    content = format_html('<a href="{}">{}</a>', href, content)
            elif self.link:
                content = self.link(content, **every)
        if self.localize is not None:
            content = localize(content, use_l10n=self.localize)
        if self.td is None:
            self.bound.current_value, self.bound.current_record = content, record
            td = self.bound.attrs["td"].as_html()
        else:
            td = self.td
        return f"<td {td}>{conditional_escape(content)}</td>"


def _computed(table, bound) -> bool:
    """Whether the column's cell attributes depend on the row (a callable among them)."""
    attrs = {**dict(table.attrs), **dict(bound.column.attrs)}
    cell = attrs.get("td", attrs.get("cell", {}))
    return any(callable(v) for v in cell.values())


def table_body(table) -> str:
    """The <tbody> of `table`'s current page, as django-tables2's bootstrap5 template writes it."""
    columns = [_Cells(table, bound) for bound in table.columns]
    rows = []
    for row in table.paginated_rows:
        record = row.record
        cells = "".join(c.cell(record, row, table) for c in columns)
        rows.append(f"<tr {row.attrs.as_html()}>{cells}</tr>")
    if not rows:
        return ""
    tbody = table.attrs.get("tbody") or {}
    return mark_safe(f"<tbody {AttributeDict(tbody).as_html()}>{''.join(rows)}</tbody>")
