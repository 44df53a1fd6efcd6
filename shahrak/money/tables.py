
from shahrak.ui.columns import CodeColumn, JalaliDateColumn, NumberColumn, ShahrakTable, link_to

from .models import ExchangeRate


class ExchangeRateTable(ShahrakTable):
    date = JalaliDateColumn(linkify=link_to())
    currency = CodeColumn(linkify=False)
    rials_per_unit = NumberColumn(decimals=0)

    class Meta(ShahrakTable.Meta):
        model = ExchangeRate
        fields = ["date", "currency", "source", "rials_per_unit"]
