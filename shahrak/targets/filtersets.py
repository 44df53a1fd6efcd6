import django_filters
from django.utils.translation import gettext_lazy as _

from shahrak.core.filters import ShahrakFilterSet

from .models import Target


class TargetFilterSet(ShahrakFilterSet):
    province = django_filters.CharFilter(field_name="province__iso_code", label=_("Province (ISO code)"))
    national = django_filters.BooleanFilter(field_name="province", lookup_expr="isnull", label=_("National"))

    class Meta:
        model = Target
        fields = ["metric", "year"]
