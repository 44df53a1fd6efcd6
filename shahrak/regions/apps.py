from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "shahrak.regions"
    label = "regions"
    verbose_name = _("Regions")
    # Run by `shahrak load_reference` (shahrak/regions/reference.py), in INSTALLED_APPS order.
    reference_loader = "shahrak.regions.reference.load_regions"

    def ready(self):
        from shahrak.ui.hooks import provide

        from .models import province_choices

        # Every list's province filter offers the 31 provinces (ui sits below this app).
        provide("province_choices", province_choices)
