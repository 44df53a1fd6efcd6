import django_filters
from django.utils.translation import gettext_lazy as _

from shahrak.core.filters import JalaliDateFilter

from .models import ExchangeRate


class ExchangeRateFilterSet(django_filters.FilterSet):
    date_from = JalaliDateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = JalaliDateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = ExchangeRate
        fields = ["currency", "source"]
