"""The named actions of land and workshops. Each is one function, one transaction: it checks the
record's state, writes every record it changes through the one write path (`save_record`, which
checks the actor's role and the estate's province and writes history), or nothing at all.

    review(application, {"jobs": 80, ...}, actor=officer)
    approve(application, [plot], day=d, actor=officer)        # reserves the plots for 60 days
    terms = terms_for(application, signed=d)                   # shown before signing
    contract = sign_contract(application, signed=d, actor=officer)
    merged = merge_plots([a, b], code="A-1+2", date=d, reason="...", actor=officer)
    parts = split_plot(plot, [NewPlot("A-3a", 600), NewPlot("A-3b", 400)], date=d, reason="...", actor=officer)
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shahrak.core.jalali import jalali_year_of
from shahrak.records.actions import save_public_record, save_record
from shahrak.ui import format as fmt
from shahrak.units.actions import record_event
from shahrak.units.models import EventKind, ProductionUnit, UnitEvent

from . import terms
from .models import (
    UTILITIES,
    AllocationContract,
    Application,
    ApplicationStatus,
    Channel,
    ContractExtension,
    ContractStatus,
    ContractTransfer,
    HoldKind,
    Instalment,
    LandPayment,
    Plot,
    PlotChange,
    PlotChangeKind,
    PlotHold,
    ReleaseReason,
    WorkshopLease,
)

OPEN = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


def _refuse(message: str):
    raise ValidationError(message, code="invalid_state")


def _in_force(holds, day):
    return holds.filter(start_date__lte=day).filter(Q(released_on__isnull=True) | Q(released_on__gt=day))


def _release(holds, day, reason, actor, note):
    for hold in holds:
        hold.released_on = max(day, hold.start_date)
        hold.release_reason = reason
        save_record(hold, actor=actor, reason=note)


# --- applications -------------------------------------------------------------------------------


@transaction.atomic
def submit_application(application: Application, *, actor, plots=(), reason=None) -> Application:
    """Record a new application (at the office, or typed in from the online form)."""
    if not application._state.adding:
        _refuse(_("This application is already recorded."))
    application.status = ApplicationStatus.SUBMITTED
    save_record(application, actor=actor, reason=reason or _("application submitted"))
    plots = list(plots)
    for plot in plots:
        if plot.estate_id != application.estate_id:
            _refuse(_("Plot %(plot)s is not in the estate applied for.") % {"plot": plot})
    if plots:
        application.requested_plots.set(plots)
    return application


@transaction.atomic
def submit_online(application: Application, plots, *, day: dt.date) -> Application:
    """An investor's application from the public form, without an account: received online on the
    day, for plots of the estate that are free on the day (free or reclaimed: no hold covers it).
    Written through the one write path for the public; its history names no user."""
    if not application._state.adding:
        _refuse(_("This application is already recorded."))
    plots = list(plots)
    if not plots:
        _refuse(_("Choose at least one free plot."))
    for plot in plots:
        if plot.estate_id != application.estate_id:
            _refuse(_("Plot %(plot)s is not in the estate applied for.") % {"plot": plot})
    free = set(Plot.objects.filter(pk__in=[p.pk for p in plots]).free_on(day).values_list("pk", flat=True))
    taken = [plot for plot in plots if plot.pk not in free]
    if taken:
        _refuse(_("Plot %(plot)s is no longer free.") % {"plot": taken[0]})
    application.status = ApplicationStatus.SUBMITTED
    application.channel = Channel.ONLINE
    application.applied_date = day
    save_public_record(application, reason=_("application submitted online"))
    application.requested_plots.set(plots)
    return application


@transaction.atomic
def review(application: Application, scores: dict, *, actor) -> Application:
    """Score the application on the weighted criteria (terms.CRITERIA); it is then under review."""
    if application.status not in OPEN:
        _refuse(_("Only a submitted application or one under review can be scored."))
    unknown = set(scores) - set(terms.CRITERIA_WEIGHTS)
    if unknown:
        _refuse(_("Unknown criteria: %(names)s") % {"names": ", ".join(sorted(unknown))})
    try:
        application.score = terms.evaluation_score(scores)
    except ValueError:
        _refuse(_("Each criterion is scored from 0 to 100."))
    application.criteria_scores = {key: float(scores.get(key, 0) or 0) for key in terms.CRITERIA_WEIGHTS}
    application.status = ApplicationStatus.UNDER_REVIEW
    return save_record(application, actor=actor, reason=_("reviewed and scored"))


@transaction.atomic
def approve(application: Application, plots, *, day: dt.date, actor) -> Application:
    """Approve the application and reserve its plots from the day for the reservation period."""
    if application.status not in OPEN:
        _refuse(_("Only a submitted application or one under review can be approved."))
    plots = list(plots)
    if not plots:
        _refuse(_("Choose the plots the approval reserves."))
    for plot in plots:
        if plot.estate_id != application.estate_id:
            _refuse(_("Plot %(plot)s is not in the estate applied for.") % {"plot": plot})
    application.status = ApplicationStatus.APPROVED
    application.decided_date = day
    save_record(application, actor=actor, reason=pgettext("application state", "approved"))
    until = terms.reservation_end(day)
    for plot in plots:
        hold = PlotHold(
            plot=plot, kind=HoldKind.RESERVATION, application=application, start_date=day,
            released_on=until, release_reason=ReleaseReason.LAPSED,
        )  # fmt: skip
        save_record(hold, actor=actor, reason=_("reserved by an approved application"))
    return application


@transaction.atomic
def reject(application: Application, reason: str, *, day: dt.date, actor) -> Application:
    if application.status not in OPEN:
        _refuse(_("Only a submitted application or one under review can be rejected."))
    if not (reason or "").strip():
        raise ValidationError({"rejection_reason": _("Give the reason for a rejection.")})
    application.status = ApplicationStatus.REJECTED
    application.rejection_reason = reason.strip()
    application.decided_date = day
    return save_record(application, actor=actor, reason=_("rejected"))


@transaction.atomic
def withdraw(application: Application, *, day: dt.date, actor) -> Application:
    """The applicant withdraws; a reservation in force is released from the day."""
    if application.status not in (*OPEN, ApplicationStatus.APPROVED):
        _refuse(_("Only an application not yet decided, or approved without a contract, can be withdrawn."))
    _release(
        _in_force(application.holds.filter(kind=HoldKind.RESERVATION), day),
        day, ReleaseReason.WITHDRAWN, actor, _("application withdrawn"),
    )  # fmt: skip
    application.status = ApplicationStatus.WITHDRAWN
    return save_record(application, actor=actor, reason=_("withdrawn"))


def reserved_plots(application: Application, day: dt.date) -> list[Plot]:
    holds = _in_force(application.holds.filter(kind=HoldKind.RESERVATION), day).select_related("plot__estate")
    return [hold.plot for hold in holds]


def terms_for(application: Application, *, signed: dt.date, discount_percent=0) -> terms.Terms:
    """The fee, cash share, schedule and deadline a contract signed on the day would have."""
    county = application.estate.county
    return terms.contract_terms(county, reserved_plots(application, signed), signed, discount_percent)


def _new_number(estate, signed) -> str:
    prefix = f"{estate.code}-{jalali_year_of(signed)}-"
    serial = AllocationContract.objects.filter(number__startswith=prefix).count() + 1
    while AllocationContract.objects.filter(number=f"{prefix}{serial:04d}").exists():
        serial += 1
    return f"{prefix}{serial:04d}"


def _holder_for(application: Application, actor, employees: int) -> ProductionUnit:
    """The production unit of a legal-person applicant: found by its national ID, or created."""
    if application.applicant_kind != "legal":
        _refuse(_("A natural person signs through a production unit: choose the holder."))
    unit = ProductionUnit.objects.filter(national_id=application.applicant_id).first()
    if unit is not None:
        return unit
    if application.isic_id is None:
        _refuse(_("Give the application's ISIC class, or choose the holder, to sign."))
    unit = ProductionUnit(
        national_id=application.applicant_id, name=application.name, estate=application.estate,
        isic_id=application.isic_id, employees=employees,
    )  # fmt: skip
    return save_record(unit, actor=actor, reason=_("created at the signing of a land contract"))


@transaction.atomic
def sign_contract(
    application: Application,
    *,
    signed: dt.date,
    actor,
    discount_percent=0,
    holder=None,
    employees=1,
    number=None,
) -> AllocationContract:
    """Sign the allocation contract of an approved application whose reservation is in force: the
    terms of `terms_for`, its instalments, its plots held from signing."""
    if application.status != ApplicationStatus.APPROVED:
        _refuse(_("Only an approved application can be signed."))
    plots = reserved_plots(application, signed)
    if not plots:
        _refuse(_("The reservation of this application is not in force on that day (it has lapsed)."))
    if signed < application.decided_date:
        _refuse(_("A contract is signed on or after the approval."))
    holder = holder or _holder_for(application, actor, employees)
    deal = terms_for(application, signed=signed, discount_percent=discount_percent)
    contract = AllocationContract(
        number=number or _new_number(application.estate, signed), application=application,
        estate=application.estate, holder=holder, signed_date=signed, area_m2=deal.area_m2,
        discount_percent=deal.discount_percent, fee_rials=deal.fee_rials, cash_share_rials=deal.cash_share_rials,
        construction_deadline=deal.construction_deadline,
    )  # fmt: skip
    save_record(contract, actor=actor, reason=_("contract signed"))
    for due in deal.schedule:
        instalment = Instalment(
            contract=contract, number=due.number, due_date=due.due_date, amount_rials=due.amount_rials
        )
        save_record(instalment, actor=actor, reason=_("instalment schedule at signing"))
    _release(
        _in_force(application.holds.filter(kind=HoldKind.RESERVATION), signed),
        signed, ReleaseReason.CONTRACTED, actor, _("contract signed"),
    )  # fmt: skip
    for plot in plots:
        hold = PlotHold(
            plot=plot, kind=HoldKind.CONTRACT, application=application, contract=contract, start_date=signed
        )
        save_record(
            hold, actor=actor, reason=_("allocated by contract %(number)s") % {"number": contract.number}
        )
    application.status = ApplicationStatus.CONTRACTED
    save_record(application, actor=actor, reason=_("contract signed"))
    return contract


# --- contracts ----------------------------------------------------------------------------------


def _active(contract: AllocationContract):
    if contract.status != ContractStatus.ACTIVE:
        _refuse(_("Contract %(number)s is not active.") % {"number": contract.number})


@transaction.atomic
def record_payment(
    contract: AllocationContract, *, date: dt.date, amount_rials: int, actor, reference=""
) -> LandPayment:
    payment = LandPayment(contract=contract, date=date, amount_rials=amount_rials, reference=reference)
    return save_record(payment, actor=actor, reason=_("payment received"))


@transaction.atomic
def extend(
    contract: AllocationContract, *, new_deadline: dt.date, reason: str, granted: dt.date, actor
) -> ContractExtension:
    _active(contract)
    extension = ContractExtension(
        contract=contract, granted_date=granted, new_deadline=new_deadline, reason=(reason or "").strip()
    )
    return save_record(extension, actor=actor, reason=_("construction deadline extended"))


@transaction.atomic
def transfer(
    contract: AllocationContract, to_holder: ProductionUnit, *, date: dt.date, actor, reason=""
) -> ContractTransfer:
    _active(contract)
    if date < contract.signed_date:
        _refuse(_("A contract is transferred on or after signing."))
    record = ContractTransfer(
        contract=contract, date=date, from_holder=contract.holder, to_holder=to_holder, reason=reason
    )
    save_record(record, actor=actor, reason=_("contract transferred"))
    contract.holder = to_holder
    save_record(contract, actor=actor, reason=_("contract transferred"))
    return record


@transaction.atomic
def terminate(contract: AllocationContract, *, date: dt.date, reason: str, actor) -> AllocationContract:
    """Terminate the contract: its plots are reclaimed, free again from the day."""
    _active(contract)
    if not (reason or "").strip():
        raise ValidationError({"termination_reason": _("Give the reason for a termination.")})
    # Its plots were merged or split while it held them: ending it before that day would leave the
    # change made for a contract that no longer held the plots, and the new plots held for no day.
    change = contract.plot_changes.filter(date__gt=date).order_by("-date").first()
    if change is not None:
        raise ValidationError(
            {"terminated_date": _("This contract's plots were merged or split on %(date)s: it is terminated "
                                  "on that day or later.") % {"date": fmt.jdate(change.date)}}
        )  # fmt: skip
    contract.status = ContractStatus.TERMINATED
    contract.terminated_date = date
    contract.termination_reason = reason.strip()
    save_record(contract, actor=actor, reason=_("contract terminated"))
    _release(
        _in_force(contract.holds.all(), date) | contract.holds.filter(start_date__gt=date),
        date, ReleaseReason.TERMINATED, actor, _("reclaimed: contract terminated"),
    )  # fmt: skip
    return contract


@transaction.atomic
def complete(contract: AllocationContract, *, date: dt.date, actor) -> AllocationContract:
    """The operation licence is issued: the contract is completed and the holder's `established`
    event is written on that day (unless the unit already has its establishment)."""
    _active(contract)
    contract.status = ContractStatus.COMPLETED
    contract.completed_date = date
    save_record(contract, actor=actor, reason=_("operation licence issued"))
    holder = contract.holder
    if not UnitEvent.objects.filter(unit=holder, kind=EventKind.ESTABLISHED).exists():
        record_event(
            holder,
            kind=EventKind.ESTABLISHED,
            date=date,
            actor=actor,
            reason=_("operation licence of contract %(number)s") % {"number": contract.number},
        )
    return contract


# --- workshop leases ----------------------------------------------------------------------------


def refresh_occupant(workshop, *, actor, day: dt.date | None = None):
    """The workshop's occupant follows its leases: the tenant of the lease covering the day (today
    by default), none when no lease does; the first lease hands the workshop over (opened date)."""
    day = day or timezone.localdate()
    lease = WorkshopLease.objects.covering(day).filter(workshop=workshop).first()
    first = WorkshopLease.objects.filter(workshop=workshop).order_by("start_date").first()
    if workshop.opened_date is None and first is not None:
        workshop.opened_date = first.start_date
    workshop.occupant_id = lease.tenant_id if lease else None
    return save_record(workshop, actor=actor, reason=_("occupant from its leases"))


@transaction.atomic
def lease_workshop(
    workshop, tenant, *, start: dt.date, monthly_rent_rials: int, actor, end=None
) -> WorkshopLease:
    lease = WorkshopLease(
        workshop=workshop,
        tenant=tenant,
        start_date=start,
        end_date=end,
        monthly_rent_rials=monthly_rent_rials,
    )
    save_record(lease, actor=actor, reason=_("workshop leased"))
    refresh_occupant(workshop, actor=actor)
    return lease


@transaction.atomic
def end_lease(lease: WorkshopLease, *, end: dt.date, actor) -> WorkshopLease:
    if lease.end_date is not None and lease.end_date < end:
        _refuse(_("This lease has already ended."))
    lease.end_date = end
    save_record(lease, actor=actor, reason=_("lease ended"))
    refresh_occupant(lease.workshop, actor=actor)
    return lease


# --- merging and splitting plots ----------------------------------------------------------------
#
# The rules (DESIGN.md, "Land and workshops"; issue 13):
#
# - Plots of one estate are merged, or one plot is split, on a day. The plots changed must be free
#   on the day (no hold covers it), or all held by one active contract, which then holds the new
#   plots from the day (its old holds released that day: the contract's area and fee are unchanged,
#   since the areas add up). A plot reserved by an application, held by another contract, or held
#   from a later day is refused: it is never held again once retired.
# - The old plots are retired from the day (Plot.ended_by), the new plots are plots from it
#   (Plot.made_by); PlotQuerySet.in_being is the one rule, so free land, the catalogue, the site
#   plan and the status all follow. Statuses stay derived.
# - A merge makes one plot whose area is the sum, of the same use (plots of different uses are not
#   merged), with the utilities in place on every one of them, priced at the area-weighted mean of
#   the prices (rounded to the rial): the land's value at list price, Σ area × price, is what it
#   was, and nobody has to type a price that the old ones already fix. A split makes two or more
#   plots whose areas add up exactly to the original's, each with its use, utilities and price.
# - The change is one PlotChange (kind, date, reason, who, the contract) written through the one
#   write path: the province of the estate is checked and a locked month refuses it whole.


class NewPlot:
    """A plot a split (or a merge) makes: its code, area (m²) and optional GeoJSON polygon."""

    def __init__(self, code: str, area_m2=None, polygon=None):
        self.code = (code or "").strip()
        self.area_m2 = None if area_m2 is None else Decimal(area_m2)
        self.polygon = polygon

    def __repr__(self) -> str:
        return f"NewPlot({self.code!r}, {self.area_m2})"


def _holder_of(plots, day) -> AllocationContract | None:
    """The active contract that holds every one of the plots on the day, or None when they are all
    free; refused otherwise (reserved, another contract, or held from a later day)."""
    contracts = set()
    for plot in plots:
        if not plot.in_being_on(day):
            _refuse(_("Plot %(plot)s is not a plot on that day (it was merged or split).") % {"plot": plot})
        later = plot.holds.filter(Q(released_on__isnull=True) | Q(released_on__gt=day)).exclude(
            released_on=F("start_date")
        )
        in_force = list(_in_force(later, day))
        if later.exclude(pk__in=[h.pk for h in in_force]).exists():
            _refuse(
                _("Plot %(plot)s is held from a later day: it cannot be merged or split.") % {"plot": plot}
            )
        if not in_force:
            contracts.add(None)
            continue
        hold = in_force[0]
        if hold.kind != HoldKind.CONTRACT or hold.contract.status != ContractStatus.ACTIVE:
            _refuse(
                _("Plot %(plot)s is reserved on that day: only free plots, or plots of one active contract, "
                  "are merged or split.") % {"plot": plot}
            )  # fmt: skip
        contracts.add(hold.contract)
    if len(contracts) > 1:
        _refuse(_("The plots are not all free, nor all held by the same contract, on that day."))
    return contracts.pop()


def _change(estate, kind, date, reason, contract, actor) -> PlotChange:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for a merge or split.")})
    change = PlotChange(
        estate=estate, kind=kind, date=date, reason=reason.strip(), contract=contract,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    what = _("plots merged") if kind == PlotChangeKind.MERGE else _("plot split")
    return save_record(change, actor=actor, reason=what)


def _retire(plots, change, contract, actor):
    note = _("merged or split: %(change)s") % {"change": change}
    for plot in plots:
        if contract is not None:
            _release(_in_force(plot.holds.filter(contract=contract), change.date), change.date,
                     ReleaseReason.PLOT_CHANGE, actor, note)  # fmt: skip
        plot.ended_by = change
        save_record(plot, actor=actor, reason=note)


def _make(new: Plot, change, contract, actor) -> Plot:
    new.made_by = change
    note = _("made by %(change)s") % {"change": change}
    save_record(new, actor=actor, reason=note)
    if contract is not None:
        hold = PlotHold(plot=new, kind=HoldKind.CONTRACT, application=contract.application,
                        contract=contract, start_date=change.date)  # fmt: skip
        save_record(hold, actor=actor, reason=_("held by contract %(number)s") % {"number": contract.number})
    return new


def _locked_plots(plots):
    """The plots read again under a row lock (PostgreSQL), so two officers do not change one plot at once."""
    pks = sorted({p.pk for p in plots})
    fresh = {p.pk: p for p in Plot.objects.select_for_update().filter(pk__in=pks).select_related("estate")}
    return [fresh[p.pk] for p in plots if p.pk in fresh]


@transaction.atomic
def merge_plots(plots, *, code: str, date: dt.date, reason: str, actor, polygon=None) -> Plot:
    """Merge two or more plots of one estate into one new plot `code` from the day (rules above)."""
    plots = _locked_plots(plots)
    if len(plots) < 2:
        _refuse(_("Choose at least two plots to merge."))
    estates = {plot.estate_id for plot in plots}
    if len(estates) > 1:
        _refuse(_("Only plots of the same estate are merged."))
    if len({plot.use for plot in plots}) > 1:
        _refuse(_("Only plots of the same use are merged."))
    contract = _holder_of(plots, date)
    estate = plots[0].estate
    area = sum((plot.area_m2 for plot in plots), Decimal(0))
    value = sum((plot.area_m2 * plot.price_per_m2_rials for plot in plots), Decimal(0))
    price = int((value / area).quantize(Decimal(1)))
    merged = Plot(
        estate=estate, code=(code or "").strip(), area_m2=area, use=plots[0].use, price_per_m2_rials=price,
        polygon=polygon,
        **{f"has_{name}": all(getattr(p, f"has_{name}") for p in plots) for name in UTILITIES},
    )  # fmt: skip
    change = _change(estate, PlotChangeKind.MERGE, date, reason, contract, actor)
    _retire(plots, change, contract, actor)
    return _make(merged, change, contract, actor)


@transaction.atomic
def split_plot(plot: Plot, parts, *, date: dt.date, reason: str, actor) -> list[Plot]:
    """Split the plot into two or more new plots (NewPlot: code, area, polygon) from the day; their
    areas add up exactly to the plot's (rules above)."""
    (plot,) = _locked_plots([plot])
    parts = list(parts)
    if len(parts) < 2:
        _refuse(_("A plot is split into at least two plots."))
    if any(part.area_m2 is None or part.area_m2 <= 0 for part in parts):
        _refuse(_("Each new plot has an area of more than zero."))
    total = sum((part.area_m2 for part in parts), Decimal(0))
    if total != plot.area_m2:
        _refuse(
            _("The new plots' areas add up to %(total)s m², not to the plot's %(area)s m².")
            % {"total": fmt_number(total), "area": fmt_number(plot.area_m2)}
        )
    if len({part.code for part in parts}) < len(parts):
        _refuse(_("Each new plot has its own code."))
    contract = _holder_of([plot], date)
    change = _change(plot.estate, PlotChangeKind.SPLIT, date, reason, contract, actor)
    _retire([plot], change, contract, actor)
    made = []
    for part in parts:
        new = Plot(
            estate=plot.estate, code=part.code, area_m2=part.area_m2, use=plot.use,
            price_per_m2_rials=plot.price_per_m2_rials, polygon=part.polygon,
            **{f"has_{name}": getattr(plot, f"has_{name}") for name in UTILITIES},
        )  # fmt: skip
        made.append(_make(new, change, contract, actor))
    return made


def fmt_number(value) -> str:
    return fmt.number(value, 2 if value != int(value) else 0)


def lineage(plot: Plot) -> dict:
    """Where the plot came from and what it became: the change that made it with the plots it came
    from, and the change that retired it with the plots it became."""
    made, ended = plot.made_by, plot.ended_by
    return {
        "made_by": made,
        "came_from": list(made.sources.order_by("code")) if made else [],
        "ended_by": ended,
        "became": list(ended.results.order_by("code")) if ended else [],
    }
