"""The officer's pages: thin callers of the named actions (actions.py) and the generic views."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shahrak.accounts.scope import check_write, may_write_model
from shahrak.ui import format as fmt
from shahrak.ui import generic
from shahrak.ui.generic import model_url
from shahrak.ui.related import Related

from . import actions, terms
from .filtersets import (
    ApplicationFilterSet,
    ContractExtensionFilterSet,
    ContractFilterSet,
    ContractTransferFilterSet,
    InstalmentFilterSet,
    LandPaymentFilterSet,
    LeaseFilterSet,
    PlotFilterSet,
    PlotHoldFilterSet,
    ProgrammeFilterSet,
    ProgrammeMemberFilterSet,
)
from .forms import (
    ApplicationForm,
    ApproveForm,
    DayForm,
    ExtendForm,
    LeaseForm,
    MergeForm,
    PaymentForm,
    PlotForm,
    ProgrammeForm,
    RejectForm,
    ReviewForm,
    SignForm,
    SplitForm,
    TerminateForm,
    TransferForm,
)
from .ledger import contract_ledger
from .models import (
    AllocationContract,
    Application,
    ApplicationStatus,
    ContractExtension,
    ContractStatus,
    ContractTransfer,
    Instalment,
    LandPayment,
    Plot,
    PlotHold,
    PlotStatus,
    Programme,
    ProgrammeMember,
    WorkshopLease,
)
from .panels import plot_page
from .printing import write_contract_pdf
from .siteplan import site_plan
from .tables import (
    ApplicationTable,
    ContractExtensionTable,
    ContractTable,
    ContractTransferTable,
    InstalmentTable,
    LandPaymentTable,
    LeaseTable,
    PlotHoldTable,
    PlotTable,
    ProgrammeMemberTable,
    ProgrammeTable,
)

PLOTS = Plot.objects.select_related("estate")
APPLICATIONS = Application.objects.select_related("estate")
CONTRACTS = AllocationContract.objects.select_related("estate", "holder")
INSTALMENTS = Instalment.objects.select_related("contract")
PAYMENTS = LandPayment.objects.select_related("contract")
LEASES = WorkshopLease.objects.select_related("workshop__estate", "tenant")
PROGRAMMES = Programme.objects.all()
MEMBERS = ProgrammeMember.objects.select_related("programme", "workshop__estate", "workshop__occupant")
EXTENSIONS = ContractExtension.objects.select_related("contract")
TRANSFERS = ContractTransfer.objects.select_related("contract", "from_holder", "to_holder")
HOLDS = PlotHold.objects.select_related("plot__estate", "contract", "application")


def _errors(error) -> str:
    if isinstance(error, PermissionDenied):
        return str(error)
    return " ".join(error.messages)


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errs)}".lstrip(": ")
        for name, errs in form.errors.items()
    )


class ActionView(generic.BaseObjectView):
    """POST one named action on one record; its refusal is shown on the record's page."""

    actions: dict = {}

    def post(self, request, pk, action):
        instance = self.get_object(request, pk)
        if action not in self.actions:
            raise PermissionDenied(_("There is no such action."))
        form_class, run, done = self.actions[action]
        form = form_class(request.POST, **self.form_kwargs(action, instance))
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return redirect(model_url(self.model, "", pk))
        try:
            run(instance, form, request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, str(done))
        return redirect(model_url(self.model, "", pk))

    def form_kwargs(self, action, instance) -> dict:
        return {}


# --- plots --------------------------------------------------------------------------------------


class PlotListView(generic.ObjectListView):
    queryset = PLOTS
    filterset = PlotFilterSet
    table = PlotTable


class PlotView(generic.ObjectView):
    queryset = PLOTS.select_related("estate__county__province")

    def get_extra_context(self, request, instance):
        today = timezone.localdate()
        # The estate's plan with this plot marked (when it has a polygon and is a plot today: a
        # plot merged or split away is no longer on the plan), each shape to its page.
        plan = (
            site_plan(instance.estate, today, link=plot_page, current=instance.pk)
            if instance.polygon and instance.in_being_on(today)
            else None
        )
        context = {
            # The polygon is drawn on the site plan, not written out as GeoJSON among the fields.
            "exclude": "polygon",
            "site_plan": plan,
            "status_today": PlotStatus(instance.status_on(today)).label,
            "holds": instance.holds.select_related("application", "contract").order_by("-start_date"),
            "lineage": actions.lineage(instance),
        }
        # A plot not yet retired may be merged or split by who may change it.
        if instance.ended_by_id is None and generic.may_change(request.user, instance):
            context.update(merge_form=MergeForm(plot=instance), split_form=SplitForm(plot=instance))
        return context


def _merge(plot, form, user):
    data = form.cleaned_data
    actions.merge_plots(form.plots(), code=data["code"], date=data["date"], reason=data["reason"], actor=user)


def _split(plot, form, user):
    data = form.cleaned_data
    actions.split_plot(plot, data["parts"], date=data["date"], reason=data["reason"], actor=user)


class PlotActionView(ActionView):
    queryset = PLOTS
    actions = {
        "merge": (MergeForm, _merge, _("Plots merged; the old plots are retired from that day.")),
        "split": (SplitForm, _split, _("Plot split; it is retired from that day.")),
    }

    def form_kwargs(self, action, instance):
        return {"plot": instance}


class PlotEditView(generic.ObjectEditView):
    queryset = PLOTS
    form = PlotForm


class PlotDeleteView(generic.ObjectDeleteView):
    queryset = PLOTS


class PlotHistoryView(generic.ObjectHistoryView):
    queryset = PLOTS


# --- applications -------------------------------------------------------------------------------


class ApplicationListView(generic.ObjectListView):
    """The officer's inbox: applications by state, newest first."""

    queryset = APPLICATIONS
    filterset = ApplicationFilterSet
    table = ApplicationTable
    template_name = "land/application_list.html"

    def base_context(self, request):
        counts = dict(self.get_queryset(request).values_list("status").annotate(n=Count("*")).order_by())
        tabs = [(value, label, counts.get(value, 0)) for value, label in ApplicationStatus.choices]
        return {
            **super().base_context(request),
            "tabs": tabs,
            "current_status": request.GET.get("status", ""),
        }


class ApplicationAddView(generic.ObjectEditView):
    queryset = APPLICATIONS
    form = ApplicationForm

    def get(self, request, pk=None):
        return super().get(request, None)

    def post(self, request, pk=None):
        return super().post(request, None)


class ApplicationView(generic.ObjectView):
    queryset = APPLICATIONS.select_related("estate__county__province", "isic")
    template_name = "land/application.html"

    def get_extra_context(self, request, instance):
        today = timezone.localdate()
        may_act = generic.may_change(request.user, instance)
        criteria = [
            (key, label, weight, instance.criteria_scores.get(key)) for key, label, weight in terms.CRITERIA
        ]
        context = {
            "may_act": may_act,
            "criteria": criteria,
            "holds": instance.holds.select_related("plot").order_by("plot__code"),
            "requested": instance.requested_plots.all(),
            "lapsed": instance.lapsed_on(today),
            "contract": AllocationContract.objects.filter(application=instance).first(),
            "open": instance.status in actions.OPEN,
            "approved": instance.status == ApplicationStatus.APPROVED,
        }
        if may_act:
            initial_plots = ", ".join(p.code for p in instance.requested_plots.all())
            context.update(
                review_form=ReviewForm(initial=instance.criteria_scores or None),
                approve_form=ApproveForm(application=instance, initial={"plots": initial_plots}),
                reject_form=RejectForm(),
                withdraw_form=DayForm(),
            )
        return context


class ApplicationActionView(ActionView):
    queryset = APPLICATIONS
    actions = {
        "review": (ReviewForm, lambda a, f, u: actions.review(a, f.scores(), actor=u), _("Scored.")),
        "approve": (
            ApproveForm,
            lambda a, f, u: actions.approve(a, f.cleaned_data["plots"], day=f.cleaned_data["day"], actor=u),
            _("Approved; the plots are reserved."),
        ),
        "reject": (
            RejectForm,
            lambda a, f, u: actions.reject(a, f.cleaned_data["reason"], day=f.cleaned_data["day"], actor=u),
            _("Rejected."),
        ),
        "withdraw": (
            DayForm,
            lambda a, f, u: actions.withdraw(a, day=f.cleaned_data["day"], actor=u),
            _("Withdrawn."),
        ),
    }

    def form_kwargs(self, action, instance):
        return {"application": instance} if action == "approve" else {}


class ApplicationHistoryView(generic.ObjectHistoryView):
    queryset = APPLICATIONS


class SignView(generic.BaseObjectView):
    """The contract's terms for the day and discount typed (GET), then signing (POST)."""

    queryset = APPLICATIONS
    template_name = "land/sign.html"

    def render_terms(self, request, application, form):
        deal = None
        if form.is_valid():
            deal = actions.terms_for(
                application,
                signed=form.cleaned_data["signed"],
                discount_percent=form.cleaned_data.get("discount_percent") or 0,
            )
        if deal is not None:
            # The boxes show what was read (the day in the reader's digits), not the text as typed.
            form = SignForm(initial={**form.cleaned_data, "holder": form.data.get("holder", "")})
        context = {
            **self.base_context(request),
            "object": application,
            "form": form,
            "terms": deal,
            "plots": actions.reserved_plots(application, deal.signed_date) if deal else [],
        }
        return render(request, self.template_name, context)

    def get(self, request, pk):
        application = self.get_object(request, pk)
        # The terms before signing are for who may sign: an administrator, the province's officer.
        check_write(request.user, application, "change")
        data = (
            request.GET
            if "signed" in request.GET
            else {"signed": timezone.localdate().isoformat(), "discount_percent": "0"}
        )
        return self.render_terms(request, application, SignForm(data))

    def post(self, request, pk):
        application = self.get_object(request, pk)
        form = SignForm(request.POST)
        if not form.is_valid():
            return self.render_terms(request, application, form)
        data = form.cleaned_data
        try:
            contract = actions.sign_contract(
                application, signed=data["signed"], discount_percent=data.get("discount_percent") or 0,
                holder=data.get("holder"), employees=data.get("employees") or 1, actor=request.user,
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _errors(error))
            return self.render_terms(request, application, form)
        messages.success(request, _("Contract %(number)s signed.") % {"number": contract})
        return redirect(model_url(AllocationContract, "", contract.pk))


# --- contracts ----------------------------------------------------------------------------------


class ContractListView(generic.ObjectListView):
    queryset = CONTRACTS
    filterset = ContractFilterSet
    table = ContractTable


class ContractView(generic.ObjectView):
    queryset = CONTRACTS.select_related("estate__county__province", "application")
    template_name = "land/allocationcontract.html"

    def get_extra_context(self, request, instance):
        today = timezone.localdate()
        may_act = generic.may_change(request.user, instance) and instance.status == ContractStatus.ACTIVE
        query = {"contract": instance.number}
        context = {
            "ledger": contract_ledger(instance, today),
            "today": today,
            "deadline_today": instance.deadline_on(today),
            "plots": instance.plots.select_related("estate"),
            "extensions": instance.extensions.order_by("granted_date"),
            "transfers": instance.transfers.select_related("from_holder", "to_holder"),
            "payments": Related(
                request,
                LandPaymentFilterSet,
                LandPaymentTable,
                query,
                order_by="-date",
                exclude=("contract",),
            ),
            "may_act": may_act,
        }
        if may_act:
            context.update(
                payment_form=PaymentForm(), extend_form=ExtendForm(), transfer_form=TransferForm(),
                terminate_form=TerminateForm(), complete_form=DayForm(),
            )  # fmt: skip
        elif generic.may_change(request.user, instance):
            context["payment_form"] = PaymentForm()  # payments may still come in after completion
        return context


class ContractPdfView(generic.BaseObjectView):
    """The contract and its instalment schedule as a PDF in the reader's language; read by whoever
    may read the contract's page."""

    queryset = CONTRACTS.select_related("estate__county__province", "application")

    def get(self, request, pk):
        contract = self.get_object(request, pk)
        response = HttpResponse(content_type="application/pdf")
        write_contract_pdf(contract, response, day=timezone.localdate(), lang=fmt.lang())
        response["Content-Disposition"] = f'inline; filename="contract-{contract.number}.pdf"'
        return response


def _pay(contract, form, user):
    data = form.cleaned_data
    actions.record_payment(
        contract,
        date=data["date"],
        amount_rials=data["amount_rials"],
        reference=data["reference"],
        actor=user,
    )


class ContractActionView(ActionView):
    queryset = CONTRACTS
    actions = {
        "payment": (PaymentForm, _pay, _("Payment recorded.")),
        "extend": (
            ExtendForm,
            lambda c, f, u: actions.extend(
                c,
                new_deadline=f.cleaned_data["new_deadline"],
                reason=f.cleaned_data["reason"],
                granted=f.cleaned_data["granted"],
                actor=u,
            ),
            _("Deadline extended."),
        ),
        "transfer": (
            TransferForm,
            lambda c, f, u: actions.transfer(
                c,
                f.cleaned_data["to_holder"],
                date=f.cleaned_data["date"],
                reason=f.cleaned_data["reason"],
                actor=u,
            ),
            _("Contract transferred."),
        ),
        "terminate": (
            TerminateForm,
            lambda c, f, u: actions.terminate(
                c, date=f.cleaned_data["date"], reason=f.cleaned_data["reason"], actor=u
            ),
            _("Contract terminated; its plots are reclaimed."),
        ),
        "complete": (
            DayForm,
            lambda c, f, u: actions.complete(c, date=f.cleaned_data["day"], actor=u),
            _("Contract completed; the unit is established."),
        ),
    }


class ContractHistoryView(generic.ObjectHistoryView):
    queryset = CONTRACTS


class ContractExtensionListView(generic.ObjectListView):
    queryset = EXTENSIONS
    filterset = ContractExtensionFilterSet
    table = ContractExtensionTable


class ContractTransferListView(generic.ObjectListView):
    queryset = TRANSFERS
    filterset = ContractTransferFilterSet
    table = ContractTransferTable


class PlotHoldListView(generic.ObjectListView):
    """Reservations and contracts' holds of plots, as the named actions wrote them (read only)."""

    queryset = HOLDS
    filterset = PlotHoldFilterSet
    table = PlotHoldTable


class InstalmentListView(generic.ObjectListView):
    queryset = INSTALMENTS
    filterset = InstalmentFilterSet
    table = InstalmentTable


class LandPaymentListView(generic.ObjectListView):
    queryset = PAYMENTS
    filterset = LandPaymentFilterSet
    table = LandPaymentTable


# --- leases and programmes ----------------------------------------------------------------------


class LeaseListView(generic.ObjectListView):
    queryset = LEASES
    filterset = LeaseFilterSet
    table = LeaseTable


class LeaseView(generic.ObjectView):
    queryset = LEASES.select_related("workshop__estate__county__province")
    template_name = "land/workshoplease.html"

    def get_extra_context(self, request, instance):
        open_lease = instance.end_date is None or instance.end_date >= timezone.localdate()
        may_end = generic.may_change(request.user, instance) and open_lease
        return {"end_form": DayForm() if may_end else None}


class LeaseAddView(generic.BaseObjectView):
    queryset = LEASES
    template_name = "web/object_edit.html"

    def render_form(self, request, form):
        context = {**self.base_context(request), "form": form, "object": WorkshopLease(), "adding": True}
        return render(request, self.template_name, context)

    def get(self, request):
        if not may_write_model(request.user, WorkshopLease):
            raise PermissionDenied(
                _("Your role may not add %(records)s.") % {"records": WorkshopLease._meta.verbose_name_plural}
            )
        return self.render_form(request, LeaseForm(initial=request.GET.dict()))

    def post(self, request):
        form = LeaseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                lease = actions.lease_workshop(
                    data["workshop_unit"], data["tenant"], start=data["start"], end=data.get("end"),
                    monthly_rent_rials=data["monthly_rent_rials"], actor=request.user,
                )  # fmt: skip
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, _("Workshop leased."))
                return redirect(model_url(WorkshopLease, "", lease.pk))
        return self.render_form(request, form)


class LeaseActionView(ActionView):
    queryset = LEASES
    actions = {
        "end": (
            DayForm,
            lambda lease, f, u: actions.end_lease(lease, end=f.cleaned_data["day"], actor=u),
            _("Lease ended."),
        )
    }


class LeaseHistoryView(generic.ObjectHistoryView):
    queryset = LEASES


class ProgrammeListView(generic.ObjectListView):
    queryset = PROGRAMMES
    filterset = ProgrammeFilterSet
    table = ProgrammeTable


class ProgrammeView(generic.ObjectView):
    queryset = PROGRAMMES
    template_name = "land/programme.html"

    def get_extra_context(self, request, instance):
        # Its member workshops: the first few, their count and the link to their list (with its export).
        members = Related(
            request, ProgrammeMemberFilterSet, ProgrammeMemberTable, {"programme": instance.code},
            order_by="workshop", exclude=("programme",),
        )  # fmt: skip
        return {"members": members}


class ProgrammeMemberListView(generic.ObjectListView):
    queryset = MEMBERS
    filterset = ProgrammeMemberFilterSet
    table = ProgrammeMemberTable


class ProgrammeEditView(generic.ObjectEditView):
    queryset = PROGRAMMES
    form = ProgrammeForm


class ProgrammeHistoryView(generic.ObjectHistoryView):
    queryset = PROGRAMMES
