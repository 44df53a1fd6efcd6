from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "shahrak.returns"
    label = "returns"
    verbose_name = _("Monthly returns")

    def ready(self):
        # The lock of approved months in the one write path (shahrak/records/guards.py).
        from . import locks  # noqa: F401
