"""Paging through national-scale lists without counting every row on every page."""

from django.core.paginator import EmptyPage, Page, Paginator
from django.utils.functional import cached_property
from django_tables2.rows import BoundRows


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows (SELECT COUNT(*) over a LIMITed subquery).

    Beyond the cap the exact total is not worth its price (500,000 events, a filter joining three
    tables): the list says "more than 10,000" and pages on with a next link while pages are full.
    """

    cap = 10_000
    max_per_page = 200

    def __init__(self, object_list, per_page, *args, known_count: int | None = None, **kwargs):
        # ?per_page= comes from the reader; a page of a million rows is not a page.
        super().__init__(object_list, min(int(per_page), self.max_per_page), *args, **kwargs)
        self.known = known_count is not None
        if self.known:
            self.count = known_count  # the caller has counted these rows already

    @cached_property
    def count(self):
        queryset = _queryset_of(self.object_list)
        if queryset is not None:
            # Any cap + 1 rows tell the same count: without the list's ordering (and the joins it
            # brings) PostgreSQL reads the first rows it finds instead of walking them in order.
            return queryset.order_by()[: self.cap + 1].count()
        return len(self.object_list)

    @property
    def capped(self) -> bool:
        return not self.known and self.count > self.cap

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.capped:
            filtered = self._filtered_page(number)
            return filtered if filtered is not None else super().page(number)
        bottom = (number - 1) * self.per_page
        objects = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not objects and number > 1:
            raise EmptyPage("That page contains no results")
        page = CappedPage(objects[: self.per_page], number, self)
        page.more = len(objects) > self.per_page
        return page

    def _filtered_page(self, number) -> Page | None:
        """A page of a filtered list of at most `cap` rows, read without ORDER BY … LIMIT.

        With a LIMIT, PostgreSQL walks the ordering's index and filters as it goes, expecting many
        matches; a search matching 50 of 100,000 units read them all (2 s at scale 1, 20 s at scale
        10). Without one it takes the filter's indexes and sorts what matched: the rows themselves
        when they fit on the page, else their keys in order, then the page's rows by key.
        """
        queryset = _queryset_of(self.object_list)
        if queryset is None or not queryset.query.where or self.count == 0:
            return None
        if self.count <= self.per_page:
            if number != 1:
                return None
            records = list(queryset)
        else:
            bottom = (number - 1) * self.per_page
            keys = list(queryset.values_list("pk", flat=True))[bottom : bottom + self.per_page]
            found = {record.pk: record for record in queryset.order_by().filter(pk__in=keys)}
            records = [found[key] for key in keys if key in found]
        if isinstance(self.object_list, BoundRows):  # a django-tables2 table pages its rows
            records = BoundRows(
                data=records, table=self.object_list.table, pinned_data=self.object_list.pinned_data
            )
        return self._get_page(records, number, self)

    @property
    def num_pages(self):
        if self.capped:
            return None
        return super().num_pages


def _queryset_of(object_list):
    """The QuerySet behind a list: itself, or the data of django-tables2's BoundRows."""
    if hasattr(object_list, "query"):
        return object_list
    data = getattr(getattr(object_list, "data", None), "data", None)
    return data if hasattr(data, "query") else None


class CappedPage(Page):
    more = False

    def has_next(self):
        return self.more

    def next_page_number(self):
        return self.number + 1
