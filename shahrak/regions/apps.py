from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "shahrak.regions"
    label = "regions"
    verbose_name = _("Regions")
    # Run by `shahrak load_reference` (shahrak/regions/reference.py), in INSTALLED_APPS order.
    reference_loader = "shahrak.regions.reference.load_regions"
