"""Users and their roles. What a role may read and write is decided in `shahrak.accounts.scope`."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    ANALYST = "analyst", _("national analyst")
    OFFICER = "officer", _("provincial officer")
    VIEWER = "viewer", _("viewer")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=15, choices=Role, default=Role.VIEWER)
    province = models.ForeignKey(
        "regions.Province",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("province (officers)"),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=[("fa", "فارسی"), ("en", "English")], default="fa"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=~Q(role=Role.OFFICER) | Q(province__isnull=False), name="user_officer_has_province"
            ),
        ]
