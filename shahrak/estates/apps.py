from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstatesConfig(AppConfig):
    name = "shahrak.estates"
    label = "estates"
    verbose_name = _("Estates")

    def ready(self):
        from . import panels  # noqa: F401 (registers what this app adds to other records' pages)
