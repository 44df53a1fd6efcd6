from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "shahrak.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from . import checks  # noqa: F401 (registers the deploy checks on the OC4IDS publisher)
