import django_tables2 as tables

from shahrak.ui.columns import CodeColumn, JalaliDateColumn, NumberColumn, ShahrakTable

from .models import Claim


class ClaimTable(ShahrakTable):
    code = CodeColumn()
    published_on = JalaliDateColumn()
    period_start = JalaliDateColumn()
    period_end = JalaliDateColumn()
    value = NumberColumn(decimals=1)
    quote = tables.Column(attrs={"td": {"class": "small"}})

    class Meta(ShahrakTable.Meta):
        model = Claim
        fields = [
            "code", "published_on", "metric", "period_start", "period_end", "qualifier", "value", "unit",
            "outlet", "quote",
        ]  # fmt: skip
