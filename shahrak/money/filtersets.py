from django.utils.translation import gettext_lazy as _

from shahrak.core.filters import JalaliDateFilter, ShahrakFilterSet

from .models import ExchangeRate


class ExchangeRateFilterSet(ShahrakFilterSet):
    date_from = JalaliDateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = JalaliDateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = ExchangeRate
        fields = ["currency", "source"]
