from django.db import models


class DataVersion(models.Model):
    """One row: the version of the records, advanced by every write in its own transaction.

    Figures are cached under it (shahrak/core/versions.py): a cached figure is read again only
    while no record has changed since. `token` is new on every advance, so a version seen inside a
    transaction that was rolled back can never match the one another transaction commits.
    """

    number = models.BigIntegerField(default=0)
    token = models.CharField(max_length=32, default="")

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"{self.number} ({self.token})"
