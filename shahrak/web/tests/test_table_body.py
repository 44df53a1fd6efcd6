"""The list pages' rows written in Python say exactly what django-tables2's template would."""

import pytest
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils.html import conditional_escape
from django_tables2 import RequestConfig

from shahrak.ui.generic import ObjectListView
from shahrak.ui.tablebody import table_body


def list_views():
    found = {}

    def walk(resolver):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry)
                continue
            view = getattr(entry.callback, "view_class", None)
            if view and issubclass(view, ObjectListView) and view.table is not None:
                found[entry.name] = view

    walk(get_resolver())
    return found


def configured(view_class, request):
    view = view_class()
    queryset = view.get_queryset(request)
    table = view.table(view.filterset(None, queryset=queryset, request=request).qs, request=request)
    return RequestConfig(request, paginate={"per_page": 50}).configure(table) or table


def template_body(table) -> str:
    """django-tables2's own rows: its template's loop over row.items(), cell by cell."""
    rows = []
    for row in table.paginated_rows:
        cells = "".join(
            f"<td {column.attrs['td'].as_html()}>{conditional_escape(cell)}</td>"
            for column, cell in row.items()
        )
        rows.append(f"<tr {row.attrs.as_html()}>{cells}</tr>")
    return "".join(rows)


@pytest.mark.django_db
def test_every_list_writes_the_cells_of_django_tables2(sample, admin_user):
    from django.utils import timezone

    from shahrak.regions.models import Province
    from shahrak.returns.models import MonthlyReturn

    # A column the record has no attribute for (a return's «late», drawn by render_late): read as empty.
    MonthlyReturn.objects.create(
        province=Province.objects.get(iso_code="IR-23"),
        year=1401,
        month=9,
        state="submitted",
        first_submitted_at=timezone.now(),
    )
    views = list_views()
    assert len(views) >= 15, sorted(views)  # every record type's list
    compared = 0
    for name, view_class in sorted(views.items()):
        for language in ("fa", "en"):
            request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=language)
            request.user = admin_user
            request.session = {}
            from django.utils import translation

            with translation.override(language):
                # Each way gets its own table: a table counts its rows for odd/even as they are written.
                ours = table_body(configured(view_class, request))
                theirs = template_body(configured(view_class, request))
            if not theirs:
                assert ours == "", name
                continue
            assert ours.startswith("<tbody ") and ours.endswith("</tbody>"), name
            assert ours[ours.index(">") + 1 : -len("</tbody>")] == theirs, (name, language)
            compared += 1
    assert compared >= 20  # the sample has rows in most lists


@pytest.mark.django_db
def test_an_empty_list_says_so(admin_user, login):
    page = login(admin_user).get("/units/?q=no-such-unit-anywhere")
    assert page.status_code == 200
    body = page.content.decode()
    assert "No records match." in body
    assert "<tbody><tr><td colspan=" in body


@pytest.mark.django_db
def test_a_list_page_shows_its_rows(sample, admin_user, login):
    page = login(admin_user).get("/units/").content.decode()
    body = page[page.index("<tbody") : page.index("</tbody>")]
    assert body.count("<tr ") >= 3
    assert 'class="num"' in body  # a number column's cell attributes
    assert "No records match." not in page


@pytest.mark.django_db
def test_a_filtered_list_pages_as_the_plain_paginator_does(sample):
    """A filtered list is read by keys first (shahrak/ui/paginator.py): the same rows, in the same order."""
    from django.core.paginator import Paginator

    from shahrak.ui.paginator import CappedPaginator
    from shahrak.units.models import UnitEvent

    everything = UnitEvent.objects.order_by("-date", "pk")
    filtered = everything.filter(pk__gt=0)  # a filter: the list is read by keys first
    assert filtered.count() >= 5
    for per_page in (2, 3, filtered.count()):
        ours, plain = CappedPaginator(filtered, per_page), Paginator(filtered, per_page)
        for number in plain.page_range:
            assert [u.pk for u in ours.page(number)] == [u.pk for u in plain.page(number)], (per_page, number)
    assert [u.pk for u in CappedPaginator(everything, 2).page(2)] == [
        u.pk for u in Paginator(everything, 2).page(2)
    ]
