from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Cursor (keyset) pages over the primary key: page 20,000 of a million rows costs what page 1
    does, where OFFSET would read and drop every row before it. No total count, for the same reason."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
