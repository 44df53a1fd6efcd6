import django_filters
from django.utils.translation import gettext_lazy as _

from shahrak.core.filters import ShahrakFilterSet

from .models import MonthlyReturn


class MonthlyReturnFilterSet(ShahrakFilterSet):
    province = django_filters.CharFilter(field_name="province__iso_code", label=_("Province (ISO code)"))
    reopened = django_filters.BooleanFilter(
        field_name="reopened_until", lookup_expr="isnull", exclude=True, label=_("Reopened")
    )

    class Meta:
        model = MonthlyReturn
        fields = ["state", "year", "month"]
