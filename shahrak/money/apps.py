from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoneyConfig(AppConfig):
    name = "shahrak.money"
    label = "money"
    verbose_name = _("Exchange rates")

    def ready(self):
        from shahrak.ui.hooks import provide

        from .models import ExchangeRate

        # ui writes dollars at the rate in force on a day; the rates are this app's records.
        provide("rate_in_force", ExchangeRate.objects.in_force_on)
