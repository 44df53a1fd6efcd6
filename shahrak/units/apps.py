from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "shahrak.units"
    label = "units"
    verbose_name = _("Production units")
    # Run by `shahrak load_reference` (shahrak/regions/reference.py), in INSTALLED_APPS order.
    reference_loader = "shahrak.units.reference.load_isic_classes"

    def ready(self):
        from . import panels  # noqa: F401 (registers what this app adds to other records' pages)
