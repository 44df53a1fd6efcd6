import django_tables2 as tables
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from shahrak.ui.columns import CodeColumn, JalaliDateColumn, MoneyColumn, NumberColumn, ShahrakTable, link_to

from .models import (
    AllocationContract,
    Application,
    ContractExtension,
    ContractTransfer,
    Instalment,
    LandPayment,
    Plot,
    PlotHold,
    Programme,
    ProgrammeMember,
    WorkshopLease,
)

# A header named by a lowercase field name, capitalised as django-tables2 does the model's own.
_capfirst = lazy(capfirst, str)


class PlotTable(ShahrakTable):
    code = CodeColumn(linkify=link_to())
    estate = tables.Column(linkify=link_to("estate"), order_by=("estate__code",))
    area_m2 = NumberColumn(decimals=0, verbose_name=_("area (m²)"))
    price_per_m2_rials = MoneyColumn(verbose_name=_("price per m²"))
    utilities = tables.Column(empty_values=(), orderable=False, verbose_name=_("utilities"))

    class Meta(ShahrakTable.Meta):
        model = Plot
        fields = ["code", "estate", "use", "area_m2", "price_per_m2_rials", "utilities"]

    def render_utilities(self, record):
        from .models import Plot as PlotModel

        labels = {name: PlotModel._meta.get_field(f"has_{name}").verbose_name for name in record.utilities}
        return "، ".join(str(label) for label in labels.values()) or "—"


class ApplicationTable(ShahrakTable):
    applied_date = JalaliDateColumn(linkify=link_to())
    name = tables.Column(linkify=link_to())
    estate = tables.Column(linkify=link_to("estate"), order_by=("estate__code",))
    requested_area_m2 = NumberColumn(decimals=0, verbose_name=_("area (m²)"))
    score = NumberColumn(decimals=1)

    class Meta(ShahrakTable.Meta):
        model = Application
        fields = ["applied_date", "name", "estate", "requested_area_m2", "channel", "score", "status"]


class ContractTable(ShahrakTable):
    number = CodeColumn(linkify=link_to())
    holder = tables.Column(linkify=link_to("holder"), order_by=("holder__name",))
    estate = tables.Column(linkify=link_to("estate"), order_by=("estate__code",))
    signed_date = JalaliDateColumn()
    area_m2 = NumberColumn(decimals=0, verbose_name=_("area (m²)"))
    fee_rials = MoneyColumn(verbose_name=_("fee"), date_accessor="signed_date")
    construction_deadline = JalaliDateColumn()

    class Meta(ShahrakTable.Meta):
        model = AllocationContract
        fields = [
            "number",
            "holder",
            "estate",
            "signed_date",
            "area_m2",
            "fee_rials",
            "construction_deadline",
            "status",
        ]


class InstalmentTable(ShahrakTable):
    contract = tables.Column(linkify=link_to("contract"), order_by=("contract__number",))
    number = NumberColumn(attrs={"td": {}, "th": {}})
    due_date = JalaliDateColumn()
    amount_rials = MoneyColumn(verbose_name=_("amount"), date_accessor="due_date")

    class Meta(ShahrakTable.Meta):
        model = Instalment
        fields = ["contract", "number", "due_date", "amount_rials"]


class LandPaymentTable(ShahrakTable):
    contract = tables.Column(linkify=link_to("contract"), order_by=("contract__number",))
    reference = CodeColumn(linkify=False)
    date = JalaliDateColumn()
    amount_rials = MoneyColumn(verbose_name=_("amount"), date_accessor="date")

    class Meta(ShahrakTable.Meta):
        model = LandPayment
        fields = ["contract", "date", "amount_rials", "reference"]


class LeaseTable(ShahrakTable):
    workshop = tables.Column(linkify=link_to(), order_by=("workshop__estate__code", "workshop__code"))
    tenant = tables.Column(linkify=link_to("tenant"), order_by=("tenant__name",))
    start_date = JalaliDateColumn()
    end_date = JalaliDateColumn()
    monthly_rent_rials = MoneyColumn(verbose_name=_("monthly rent"), date_accessor="start_date")

    class Meta(ShahrakTable.Meta):
        model = WorkshopLease
        fields = ["workshop", "tenant", "start_date", "end_date", "monthly_rent_rials"]


class ProgrammeTable(ShahrakTable):
    code = CodeColumn(linkify=link_to())
    name_fa = tables.Column(linkify=link_to())
    target = NumberColumn()

    class Meta(ShahrakTable.Meta):
        model = Programme
        fields = ["code", "name_fa", "target", "start_date", "end_date"]


class ProgrammeMemberTable(ShahrakTable):
    programme = tables.Column(linkify=link_to("programme"), order_by=("programme__code",))
    workshop = CodeColumn(linkify=link_to("workshop"), order_by=("workshop__estate__code", "workshop__code"))
    estate = tables.Column(
        accessor="workshop__estate", linkify=link_to("workshop__estate"), order_by=("workshop__estate__code",),
        verbose_name=_capfirst(_("estate")),
    )  # fmt: skip
    completed_date = JalaliDateColumn(
        accessor="workshop__completed_date", verbose_name=_capfirst(_("completed"))
    )
    occupant = tables.Column(
        accessor="workshop__occupant", linkify=link_to("workshop__occupant"),
        order_by=("workshop__occupant__name",), verbose_name=_capfirst(_("occupant")),
    )  # fmt: skip

    class Meta(ShahrakTable.Meta):
        model = ProgrammeMember
        fields = ["programme", "workshop", "estate", "completed_date", "occupant"]


class ContractExtensionTable(ShahrakTable):
    contract = tables.Column(linkify=link_to("contract"), order_by=("contract__number",))
    granted_date = JalaliDateColumn()
    new_deadline = JalaliDateColumn()
    reason = tables.Column()

    class Meta(ShahrakTable.Meta):
        model = ContractExtension
        fields = ["contract", "granted_date", "new_deadline", "reason"]


class ContractTransferTable(ShahrakTable):
    contract = tables.Column(linkify=link_to("contract"), order_by=("contract__number",))
    date = JalaliDateColumn()
    from_holder = tables.Column(linkify=link_to("from_holder"), order_by=("from_holder__name",))
    to_holder = tables.Column(linkify=link_to("to_holder"), order_by=("to_holder__name",))
    reason = tables.Column()

    class Meta(ShahrakTable.Meta):
        model = ContractTransfer
        fields = ["contract", "date", "from_holder", "to_holder", "reason"]


class PlotHoldTable(ShahrakTable):
    plot = CodeColumn(linkify=link_to("plot"), order_by=("plot__estate__code", "plot__code"))
    kind = tables.Column()
    contract = tables.Column(linkify=link_to("contract"), order_by=("contract__number",))
    application = tables.Column(linkify=link_to("application"), order_by=("application__applied_date",))
    start_date = JalaliDateColumn()
    released_on = JalaliDateColumn()
    release_reason = tables.Column()

    class Meta(ShahrakTable.Meta):
        model = PlotHold
        fields = ["plot", "kind", "contract", "application", "start_date", "released_on", "release_reason"]
