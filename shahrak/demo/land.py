"""The demo's land and workshops (issue 13): plots on a site plan, applications in every state,
allocation contracts with their instalments and payments, leases of the handed-over workshops and
the 1,000-workshop programme.

Drawn from a random stream of its own ("land"), so the other stages' rows stay as they were. At
scale 1 about 3,000 contracts are signed a year (the organization's order of magnitude), in about
a third of the operational estates (the estates whose plots are kept in Shahrak: elsewhere free
land is still industrial less allocated land). The rules the write path checks hold by
construction: a plot is held by one reservation or contract at a time, a contract's terms are
those of `shahrak.land.terms`, a payment is made after signing, a lease starts once the workshop is
completed and its tenant is the workshop's occupant.
"""

from decimal import Decimal
from itertools import accumulate

from shahrak.core import jalali
from shahrak.core.text import to_persian_digits
from shahrak.core.validators import national_id_check_digit
from shahrak.land import terms
from shahrak.land.models import (
    AllocationContract,
    Application,
    ApplicationStatus,
    ContractExtension,
    ContractStatus,
    HoldKind,
    Instalment,
    LandPayment,
    Plot,
    PlotHold,
    PlotUse,
    Programme,
    ProgrammeMember,
    ReleaseReason,
    WorkshopLease,
)

from .rows import ORD_END, ORD_START, RowMaker, day, jalali_ordinal, price_index

CONTRACTS_A_YEAR = 3_000
YEARS = 5  # 1398–1402, the demo's years
PROGRAMME_TARGET = 1_000  # "establishing 1,000 workshops units" in 1401
UTILITIES = ("water", "electricity", "gas", "road", "telecom")
REASONS_FA = ("عدم شروع ساخت در مهلت", "انصراف سرمایه‌گذار", "عدم پرداخت اقساط", "تغییر کاربری بدون مجوز")
EXTENSION_REASONS_FA = ("تأخیر در برق‌رسانی", "تأخیر در صدور پروانهٔ ساخت", "کمبود مصالح", "مشکلات تأمین مالی")
REJECTION_REASONS_FA = ("ظرفیت شهرک تکمیل است", "طرح توجیهی ناکافی", "ناسازگاری زیست‌محیطی", "نبود جواز تأسیس")

def _applicant_id(serial: int) -> str:
    ten = f"20{serial:08d}"
    return ten + str(national_id_check_digit(ten))


def _criteria(rng, score_mean: float) -> tuple[dict, Decimal]:
    scores = {key: float(max(0, min(100, round(rng.gauss(score_mean, 12))))) for key in terms.CRITERIA_WEIGHTS}
    return scores, terms.evaluation_score(scores)


class _Site:
    """An estate's site plan: plots laid out row by row in blocks, each a rectangle in metres. A
    block is 400 m wide and about 1 km deep; the next block starts beside it, so that the plan of an
    estate with a hundred plots or more is a grid, not a column too narrow to read."""

    ROW = 400
    BLOCK_DEPTH = 1000

    def __init__(self, estate):
        self.estate = estate
        self.count = 0
        self.x = self.y = 0
        self.block_x = 0
        self.row_depth = 0

    def next_plot(self, rng, pk: int, price: int, serviced: bool, area_hint: int):
        width = rng.choice((20, 25, 30, 40, 50, 60))
        depth = max(20, round(area_hint / width / 5) * 5)
        if self.x + width > self.block_x + self.ROW:  # a new row of plots
            self.x, self.y, self.row_depth = self.block_x, self.y + self.row_depth + 15, 0
            if self.y > self.BLOCK_DEPTH:  # a new block, beside the last one
                self.block_x += self.ROW + 30
                self.x, self.y = self.block_x, 0
        x0, y0 = self.x, self.y
        self.x += width + 5
        self.row_depth = max(self.row_depth, depth)
        self.count += 1
        block = "ABCDEFGHJK"[min(self.count // 100, 9)]
        missing = set() if serviced else {rng.choice(("gas", "telecom", "road"))}
        polygon = {"type": "Polygon", "coordinates": [[[x0, y0], [x0 + width, y0], [x0 + width, y0 + depth],
                                                       [x0, y0 + depth], [x0, y0]]]}  # fmt: skip
        use = rng.choices((PlotUse.INDUSTRIAL, PlotUse.SERVICE, PlotUse.WAREHOUSE), weights=(85, 8, 7))[0]
        return Plot(
            pk=pk, estate_id=self.estate.pk, code=f"{block}-{self.count:03d}", area_m2=Decimal(width * depth),
            use=use, price_per_m2_rials=price, polygon=polygon,
            **{f"has_{name}": name not in missing for name in UTILITIES},
        )  # fmt: skip


def make_land(gen) -> None:  # noqa: C901, PLR0912, PLR0915 - one stage, read top to bottom
    rng, s, add = gen.rng("land"), gen.s, gen.writer.add
    hosts = [e for e in gen.estates if e.operational and e.unit_last >= e.unit_first > 0]
    hosts = [e for i, e in enumerate(hosts) if i % 3 == 0] or hosts[:1]
    if not hosts:
        gen.progress("land", "no estates")
        return
    cum = list(accumulate(e.industrial for e in hosts))
    sites = {e.pk: _Site(e) for e in hosts}
    cash_rate = {True: terms.land_setting("LAND_CASH_SHARE_DEPRIVED"), False: terms.land_setting("LAND_CASH_SHARE")}
    counters = {"plot": 0, "application": 0, "contract": 0, "hold": 0, "instalment": 0, "payment": 0, "extension": 0}
    numbers: dict[tuple[int, int], int] = {}

    def new(kind):
        counters[kind] += 1
        return counters[kind]

    def plot_in(estate, year, serviced=True):
        deprived = estate.deprived
        base = 2_500_000 * price_index(year) / price_index(1401) * (0.5 if deprived else 1.0)
        price = int(round(base * rng.uniform(0.7, 1.4), -3))
        area_hint = int(rng.lognormvariate(8.2, 0.6))  # about 3,600 m², from a few hundred to hectares
        plot = sites[estate.pk].next_plot(rng, new("plot"), price, serviced, area_hint)
        add(plot)
        return plot

    def application(estate, applied, status, decided=None, score_mean=65.0, channel=None, reason=""):
        pk = new("application")
        scores, score = ({}, None)
        if status != ApplicationStatus.SUBMITTED:
            scores, score = _criteria(rng, score_mean)
        row = Application(
            pk=pk, estate_id=estate.pk, applicant_kind="legal", applicant_id=_applicant_id(pk),
            name=f"شرکت متقاضی {to_persian_digits(str(pk))}", phone=f"09{rng.randint(10, 39)}{rng.randint(0, 10**7 - 1):07d}",
            licence_number=f"JT-{pk:06d}", licence_date=day(applied - rng.randint(30, 400)),
            isic_id=gen.isic[rng.randrange(len(gen.isic))][0], requested_area_m2=Decimal(rng.randint(5, 80) * 100),
            applied_date=day(applied), channel=channel or rng.choice(("online", "online", "office")),
            score=score, criteria_scores=scores, status=status, decided_date=day(decided) if decided else None,
            rejection_reason=reason, tracking_code=f"{pk:06X}{rng.getrandbits(40):010X}",
        )  # fmt: skip
        add(row)
        return row

    # Model instances from positional values (rows.RowMaker): about twice as fast.
    make_hold = RowMaker(
        PlotHold, "id", "plot_id", "kind", "application_id", "contract_id", "start_date", "released_on",
        "release_reason",
    )  # fmt: skip
    make_instalment = RowMaker(Instalment, "id", "contract_id", "number", "due_date", "amount_rials")
    make_payment = RowMaker(LandPayment, "id", "contract_id", "date", "amount_rials", "reference")

    def hold(plot, kind, start, released, reason, application_pk=None, contract_pk=None):
        add(make_hold(
            new("hold"), plot.pk, kind, application_pk, contract_pk, day(start),
            day(released) if released is not None else None, reason if released is not None else "",
        ))  # fmt: skip

    # Contracts, each from its approved application, over the demo's five years.
    contracts = s.n(CONTRACTS_A_YEAR * YEARS, 12)
    signed_days = sorted(rng.randint(ORD_START + 120, ORD_END - 5) for _ in range(contracts))
    stalled = terminated = 0
    for signed in signed_days:
        estate = rng.choices(hosts, cum_weights=cum)[0]
        year = jalali.jalali_parts(day(signed))[0]
        plot = plot_in(estate, year)
        approved = signed - rng.randint(3, 55)
        applied = approved - rng.randint(15, 120)
        app = application(estate, applied, ApplicationStatus.CONTRACTED, approved, score_mean=75)
        fee = terms.contract_fee([plot])
        cash = terms.half_up(fee * cash_rate[estate.deprived])
        deadline = terms.construction_deadline(day(signed)).toordinal()
        holder = rng.randint(estate.unit_first, estate.unit_last)
        serial = numbers[(estate.pk, year)] = numbers.get((estate.pk, year), 0) + 1
        pk = new("contract")
        # Its life: completed (operation licence), terminated (reclaimed) or still active, some stalled.
        fate = rng.random()
        completed = ended = None
        if fate < 0.45 and signed + 300 < ORD_END:
            completed = min(ORD_END, signed + rng.randint(300, max(301, deadline - signed)))
        elif fate < 0.55 and signed + 400 < ORD_END:
            ended = rng.randint(signed + 400, ORD_END)
            terminated += 1
        status = (
            ContractStatus.COMPLETED if completed else ContractStatus.TERMINATED if ended else ContractStatus.ACTIVE
        )
        add(AllocationContract(
            pk=pk, number=f"{estate.code}-{year}-{serial:04d}", application_id=app.pk, estate_id=estate.pk,
            holder_id=holder, signed_date=day(signed), area_m2=plot.area_m2, discount_percent=Decimal(0),
            fee_rials=fee, cash_share_rials=cash, construction_deadline=day(deadline), status=status,
            completed_date=day(completed) if completed else None, terminated_date=day(ended) if ended else None,
            termination_reason=rng.choice(REASONS_FA) if ended else "",
        ))  # fmt: skip
        hold(plot, HoldKind.RESERVATION, approved, signed, ReleaseReason.CONTRACTED, application_pk=app.pk)
        hold(plot, HoldKind.CONTRACT, signed, ended, ReleaseReason.TERMINATED, app.pk, pk)
        if status == ContractStatus.ACTIVE and deadline < ORD_END:
            if rng.random() < 0.4:  # an extension granted before the deadline, for a year
                granted = rng.randint(max(signed, deadline - 120), deadline - 1)
                new_deadline = terms.add_jalali_months(day(deadline), 12)
                add(ContractExtension(
                    pk=new("extension"), contract_id=pk, granted_date=day(granted), new_deadline=new_deadline,
                    reason=rng.choice(EXTENSION_REASONS_FA),
                ))  # fmt: skip
                stalled += new_deadline.toordinal() < ORD_END
            else:
                stalled += 1
        # Its schedule, and how its holder pays: on time, late, or stopping after a while.
        payer = rng.choices(("prompt", "late", "stops"), weights=(65, 25, 10))[0]
        stop_after = rng.randint(1, 6)
        last_day = min(ORD_END, ended or ORD_END)
        for due in terms.instalment_schedule(day(signed), fee, cash):
            add(make_instalment(new("instalment"), pk, due.number, due.due_date, due.amount_rials))
            if payer == "stops" and due.number >= stop_after:
                continue
            delay = rng.randint(0, 15) if payer == "prompt" or due.number == 0 else rng.randint(20, 240)
            paid = due.due_date.toordinal() + delay
            if paid <= last_day and due.amount_rials > 0:
                serial = new("payment")
                add(make_payment(serial, pk, day(paid), due.amount_rials, f"LP-{serial:07d}"))

    # Applications that did not (yet) lead to a contract: each state of the inbox.
    recent = ORD_END - 75
    for _ in range(s.n(CONTRACTS_A_YEAR * YEARS * 0.3, 4)):  # rejected, with the reason
        estate = rng.choices(hosts, cum_weights=cum)[0]
        applied = rng.randint(ORD_START, ORD_END - 60)
        application(estate, applied, ApplicationStatus.REJECTED, applied + rng.randint(10, 60), 40,
                    reason=rng.choice(REJECTION_REASONS_FA))  # fmt: skip
    for _ in range(s.n(CONTRACTS_A_YEAR * YEARS * 0.08, 2)):  # approved, then lapsed unsigned after 60 days
        estate = rng.choices(hosts, cum_weights=cum)[0]
        applied = rng.randint(ORD_START, ORD_END - 200)
        approved = applied + rng.randint(10, 60)
        app = application(estate, applied, ApplicationStatus.APPROVED, approved, 70)
        plot = plot_in(estate, jalali.jalali_parts(day(approved))[0])
        lapses = terms.reservation_end(day(approved)).toordinal()
        hold(plot, HoldKind.RESERVATION, approved, lapses, ReleaseReason.LAPSED, application_pk=app.pk)
    for _ in range(s.n(CONTRACTS_A_YEAR * YEARS * 0.05, 2)):  # withdrawn by the applicant
        estate = rng.choices(hosts, cum_weights=cum)[0]
        application(estate, rng.randint(ORD_START, ORD_END - 30), ApplicationStatus.WITHDRAWN)
    for status, share in ((ApplicationStatus.SUBMITTED, 0.03), (ApplicationStatus.UNDER_REVIEW, 0.03)):
        for _ in range(s.n(CONTRACTS_A_YEAR * YEARS * share, 2)):  # the inbox at the data's end
            estate = rng.choices(hosts, cum_weights=cum)[0]
            application(estate, rng.randint(recent, ORD_END), status)
    # Free plots: each estate's plan has room left, most of it serviced.
    for estate in hosts:
        for _ in range(max(2, sites[estate.pk].count // 4)):
            plot_in(estate, 1402, serviced=rng.random() < 0.7)

    # Leases: each handed-over workshop is leased to its occupant from its hand-over, still open.
    leases = 0
    for pk, (_estate, _planned, _started, completed, opened, occupant) in enumerate(gen.workshop_rows, start=1):
        if opened is None or occupant is None:
            continue
        leases += 1
        rent = int(round(rng.uniform(2, 12) * price_index(jalali.jalali_parts(day(opened))[0]) * 1_000_000, -4))
        add(WorkshopLease(
            pk=leases, workshop_id=pk, tenant_id=occupant, start_date=day(max(opened, completed)),
            end_date=None, monthly_rent_rials=rent,
        ))  # fmt: skip
    # The 1,000-workshop programme of 1401: the workshops planned from 1401 on, up to its target.
    target = s.n(PROGRAMME_TARGET, 1)
    add(Programme(
        pk=1, code="P-1000", name_fa="طرح احداث ۱۰۰۰ کارگاه", name_en="1,000-workshop programme", target=target,
        start_date=day(jalali_ordinal(1401)), end_date=day(jalali_ordinal(1402) - 1),
    ))  # fmt: skip
    members = [pk for pk, row in enumerate(gen.workshop_rows, start=1) if row[1] >= jalali_ordinal(1401)]
    for n, pk in enumerate(members[:target], start=1):
        add(ProgrammeMember(pk=n, programme_id=1, workshop_id=pk))

    for model in (Plot, Application, AllocationContract, PlotHold, ContractExtension, Instalment, LandPayment,
                  WorkshopLease, Programme, ProgrammeMember):  # fmt: skip
        gen.writer.flush(model)
    gen.stats["land"] = {"contracts": contracts, "stalled": stalled, "terminated": terminated, "leases": leases}
    gen.progress("land", f"{contracts:,} contracts, {counters['plot']:,} plots, {leases:,} leases")
