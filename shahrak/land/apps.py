from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "shahrak.land"
    label = "land"
    verbose_name = _("Land and workshops")

    def ready(self):
        from shahrak.estates.models import provide_free_plots, provide_workshop_leases

        from . import panels  # noqa: F401 (registers what this app adds to other records' pages)
        from .models import free_plots, workshop_leases

        # Where an estate has plots, its free serviced land is that of its free, serviced plots.
        provide_free_plots(free_plots)
        # A leased workshop is not free while a lease covers the day.
        provide_workshop_leases(workshop_leases)
