"""Related records on a record's page: the first few rows, the count and a link to the full list.

The count is the count of the list the link opens (the list's own filterset with the same query),
so the number on the page and the list behind it cannot disagree.
"""

from urllib.parse import urlencode

from django.http import QueryDict

from shahrak.accounts.scope import may_write_model, restrict

from .generic import model_url


class Related:
    def __init__(
        self,
        request,
        filterset_class,
        table_class,
        query: dict,
        *,
        order_by: str | None = None,
        limit: int = 10,
        title=None,
        add_query: dict | None = None,
        exclude=(),
    ):
        model = filterset_class._meta.model
        params = QueryDict(mutable=True)
        params.update(query)
        queryset = restrict(model._default_manager.all(), request.user, "view")
        self.filterset = filterset_class(params, queryset=queryset, request=request)
        self.queryset = self.filterset.qs.order_by(order_by) if order_by else self.filterset.qs
        if order_by:
            params["sort"] = order_by
        self.model = model
        self.slug = model._meta.model_name
        self.title = title or model._meta.verbose_name_plural
        self.url = f"{model_url(model, 'list')}?{params.urlencode()}"
        self.add_url = ""
        if add_query is not None and may_write_model(request.user, model) and model_url(model, "add"):
            self.add_url = f"{model_url(model, 'add')}?{urlencode(add_query)}"
        self.table = table_class(self.queryset[:limit], request=request, orderable=False, exclude=exclude)
        self.limit = limit

    @classmethod
    def in_estate(cls, request, filterset_class, table_class, estate, **kwargs) -> "Related":
        """The records of an estate on its page: filtered by its code, added with it filled in,
        without the estate column (every row would repeat it)."""
        return cls(
            request,
            filterset_class,
            table_class,
            {"estate": estate.code},
            add_query={"estate": estate.pk},
            exclude=("estate",),
            **kwargs,
        )

    @property
    def count(self) -> int:
        if not hasattr(self, "_count"):
            self._count = self.queryset.count()
        return self._count

    @property
    def more(self) -> bool:
        return self.count > self.limit
