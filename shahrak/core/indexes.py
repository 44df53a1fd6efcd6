"""Index shapes shared by the apps' models."""

from django.db import models


class CoveringIndex(models.Index):
    """An index whose `covering` columns are carried for index-only reads: PostgreSQL INCLUDE
    columns, and trailing key columns where the database has no INCLUDE (SQLite), so the same
    query reads only the index on both."""

    def __init__(self, *, fields, covering, name, **kwargs):
        self.covering = tuple(covering)
        super().__init__(fields=fields, name=name, **kwargs)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["covering"] = self.covering
        return path, args, kwargs

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.features.supports_covering_indexes:
            index = models.Index(
                fields=self.fields, include=self.covering, name=self.name, condition=self.condition
            )
        else:
            index = models.Index(
                fields=[*self.fields, *self.covering], name=self.name, condition=self.condition
            )
        return index.create_sql(model, schema_editor, using=using, **kwargs)
