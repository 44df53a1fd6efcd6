import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shahrak.ui.columns import CodeColumn, LocalizedNameColumn, NumberColumn, ShahrakTable, link_to

from .models import County, Province


class ProvinceTable(ShahrakTable):
    iso_code = CodeColumn()
    # The name in the reader's language: a Persian page shows Persian names, an English one English.
    name = LocalizedNameColumn(linkify=link_to())
    population = NumberColumn()
    counties = NumberColumn(accessor="county_count", verbose_name=_("counties"), orderable=False)

    class Meta(ShahrakTable.Meta):
        model = Province
        fields = ["iso_code", "name", "population"]


class CountyTable(ShahrakTable):
    sci_code = CodeColumn()
    name = LocalizedNameColumn(linkify=link_to())
    province = tables.Column(order_by=("province__sci_code",))
    population = NumberColumn()

    class Meta(ShahrakTable.Meta):
        model = County
        fields = ["sci_code", "name", "province", "population", "deprivation", "size_class"]
