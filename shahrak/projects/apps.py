from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "shahrak.projects"
    label = "projects"
    verbose_name = _("Development projects")

    def ready(self):
        from django.db.models.signals import post_save

        from shahrak.estates.models import Estate
        from shahrak.regions.models import County

        from . import panels  # noqa: F401 (registers what this app adds to other records' pages)
        from .places import county_moved, estate_moved

        # An estate moved to another county, or a county to another province: the places stored on
        # its projects and payments follow (places.py). Estates and regions sit below projects.
        post_save.connect(estate_moved, sender=Estate, dispatch_uid="projects.estate_moved")
        post_save.connect(county_moved, sender=County, dispatch_uid="projects.county_moved")
