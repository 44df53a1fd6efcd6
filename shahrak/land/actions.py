"""The named actions of land and workshops. Each is one function, one transaction: it checks the
record's state, writes every record it changes through the one write path (`save_record`, which
checks the actor's role and the estate's province and writes history), or nothing at all.

    review(application, {"jobs": 80, ...}, actor=officer)
    approve(application, [plot], day=d, actor=officer)        # reserves the plots for 60 days
    terms = terms_for(application, signed=d)                   # shown before signing
    contract = sign_contract(application, signed=d, actor=officer)
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shahrak.core.jalali import jalali_year_of
from shahrak.records.actions import save_public_record, save_record
from shahrak.units.actions import record_event
from shahrak.units.models import EventKind, ProductionUnit, UnitEvent

from . import terms
from .models import (
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
