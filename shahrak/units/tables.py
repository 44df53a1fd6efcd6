import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shahrak.ui.columns import (
    CodeColumn,
    JalaliDateColumn,
    NumberColumn,
    PersianTextColumn,
    ShahrakTable,
    link_to,
)

from .models import ProductionUnit, UnitEvent


class ProductionUnitTable(ShahrakTable):
    national_id = CodeColumn()
    name = PersianTextColumn(linkify=link_to())
    estate = tables.Column(linkify=link_to("estate"), order_by=("estate__code",))
    county = PersianTextColumn(order_by=("county__name_fa",))
    isic = CodeColumn(accessor="isic_id", verbose_name=_("ISIC class"), linkify=False)
    employees = NumberColumn()
    knowledge_based_since = JalaliDateColumn()

    class Meta(ShahrakTable.Meta):
        model = ProductionUnit
        fields = ["national_id", "name", "estate", "county", "isic", "employees", "knowledge_based_since"]


class UnitEventTable(ShahrakTable):
    date = JalaliDateColumn(linkify=link_to())
    unit = PersianTextColumn(linkify=link_to("unit"), order_by=("unit__name",))
    national_id = CodeColumn(accessor="unit__national_id", verbose_name=_("national ID"), linkify=link_to("unit"))
    jobs = NumberColumn()

    class Meta(ShahrakTable.Meta):
        model = UnitEvent
        fields = ["date", "unit", "national_id", "kind", "cause", "jobs"]
