from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "shahrak.projects"
    label = "projects"
    verbose_name = _("Development projects")

    def ready(self):
        from . import panels  # noqa: F401 (registers what this app adds to other records' pages)
