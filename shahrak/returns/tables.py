import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from shahrak.ui.columns import JalaliDateColumn, ShahrakTable, link_to

from .models import MonthlyReturn


class MonthlyReturnTable(ShahrakTable):
    period = tables.Column(
        verbose_name=_("month"), accessor="period_label", linkify=link_to(), order_by=("year", "month")
    )
    province = tables.Column(order_by=("province__sci_code",))
    state = tables.Column()
    due = JalaliDateColumn(verbose_name=_("due"), accessor="due_date", orderable=False)
    first_submitted_at = JalaliDateColumn(verbose_name=_("first submitted"))
    approved_at = JalaliDateColumn()
    late = tables.Column(verbose_name=pgettext_lazy("return", "late"), empty_values=(), orderable=False)

    class Meta(ShahrakTable.Meta):
        model = MonthlyReturn
        fields = ["period", "province", "state", "due", "first_submitted_at", "approved_at", "late"]

    def render_period(self, record):
        return record.month_label

    def render_late(self, record):
        late = record.was_late()
        return "" if late is None else (pgettext("return", "late") if late else _("on time"))
