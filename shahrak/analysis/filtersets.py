import django_filters
from django.utils.translation import gettext_lazy as _

from shahrak.core.filters import JalaliDateFilter, ShahrakFilterSet

from .models import Claim


class ClaimFilterSet(ShahrakFilterSet):
    q = django_filters.CharFilter(field_name="quote", lookup_expr="icontains", label=_("Text quoted"))
    published_from = JalaliDateFilter(field_name="published_on", lookup_expr="gte", label=_("Published from"))
    published_to = JalaliDateFilter(field_name="published_on", lookup_expr="lte", label=_("Published to"))

    class Meta:
        model = Claim
        fields = ["metric", "unit", "qualifier", "outlet"]
