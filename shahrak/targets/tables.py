import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shahrak.ui.columns import JalaliDateColumn, NumberColumn, ShahrakTable, link_to

from .models import Target


class TargetTable(ShahrakTable):
    metric = tables.Column(linkify=link_to())
    province = tables.Column(default=_("Iran (national)"), order_by=("province__sci_code",))
    year = NumberColumn(attrs={"td": {}, "th": {}})
    start_date = JalaliDateColumn()
    end_date = JalaliDateColumn()
    value = NumberColumn()

    class Meta(ShahrakTable.Meta):
        model = Target
        fields = ["metric", "province", "year", "start_date", "end_date", "value", "note"]
