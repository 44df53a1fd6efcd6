from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "shahrak.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self):
        from . import panels  # noqa: F401 (registers what this app adds to other records' pages)
