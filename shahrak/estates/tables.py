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

from .models import Estate, WorkshopUnit


class EstateTable(ShahrakTable):
    code = CodeColumn()
    name_fa = PersianTextColumn(linkify=link_to())
    county = PersianTextColumn(order_by=("county__name_fa",))
    province = tables.Column(
        accessor="county__province", verbose_name=_("province"), order_by=("county__province__sci_code",)
    )
    licence_date = JalaliDateColumn()
    industrial_area_ha = NumberColumn(decimals=1)
    allocated_area_ha = NumberColumn(decimals=1)

    class Meta(ShahrakTable.Meta):
        model = Estate
        fields = [
            "code",
            "name_fa",
            "kind",
            "province",
            "county",
            "status",
            "licence_date",
            "industrial_area_ha",
            "allocated_area_ha",
        ]


class WorkshopUnitTable(ShahrakTable):
    code = CodeColumn()
    estate = tables.Column(linkify=link_to("estate"), order_by=("estate__code",))
    floor_area_m2 = NumberColumn(decimals=0)
    completed_date = JalaliDateColumn()
    opened_date = JalaliDateColumn()
    occupant = PersianTextColumn(linkify=link_to("occupant"), order_by=("occupant__name",))

    class Meta(ShahrakTable.Meta):
        model = WorkshopUnit
        fields = ["code", "estate", "floor_area_m2", "completed_date", "opened_date", "occupant"]
