import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from shahrak.ui.columns import (
    CodeColumn,
    JalaliDateColumn,
    MoneyColumn,
    NumberColumn,
    PersianTextColumn,
    ShahrakTable,
    link_to,
)

from .models import DevelopmentProject, Disbursement, PlannedDisbursement


class DevelopmentProjectTable(ShahrakTable):
    code = CodeColumn()
    title = PersianTextColumn(linkify=link_to())
    estate = tables.Column(linkify=link_to("estate"), order_by=("estate__code",))
    credit_rials = MoneyColumn(verbose_name=_("credit"), date_accessor="approved_date")
    start_date = JalaliDateColumn()
    physical_progress = NumberColumn(decimals=0, verbose_name=_("progress (%)"))

    class Meta(ShahrakTable.Meta):
        model = DevelopmentProject
        fields = [
            "code",
            "title",
            "estate",
            "category",
            "status",
            "credit_rials",
            "start_date",
            "physical_progress",
        ]


class DisbursementTable(ShahrakTable):
    date = JalaliDateColumn(linkify=link_to())
    project = tables.Column(linkify=link_to("project"), order_by=("project__code",))
    category = tables.Column(
        accessor="project__get_category_display", verbose_name=_("category"), order_by=("project__category",)
    )
    amount_rials = MoneyColumn(verbose_name=_("amount"), date_accessor="date")

    class Meta(ShahrakTable.Meta):
        model = Disbursement
        fields = ["date", "project", "category", "amount_rials", "funding_source", "reference"]


class PlannedDisbursementTable(ShahrakTable):
    project = tables.Column(linkify=link_to("project"), order_by=("project__code",))
    year = NumberColumn(linkify=link_to(), attrs={"td": {}, "th": {}})
    month = NumberColumn(attrs={"td": {}, "th": {}})
    month_start = JalaliDateColumn()
    amount_rials = MoneyColumn(verbose_name=_("amount"), date_accessor="month_start")

    class Meta(ShahrakTable.Meta):
        model = PlannedDisbursement
        fields = ["project", "year", "month", "month_start", "amount_rials"]
