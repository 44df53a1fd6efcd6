"""Returns' pages: the list (with late and missing returns per province), a return's page with the
actions the reader may take and its steps, and its history."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from shahrak.regions.models import Province
from shahrak.ui import generic

from . import actions
from .filtersets import MonthlyReturnFilterSet
from .forms import ReopenForm, SendBackForm, SubmitForm
from .models import MonthlyReturn, StepAction
from .published import month_figures_compared
from .status import late_and_missing
from .tables import MonthlyReturnTable

RETURNS = MonthlyReturn.objects.select_related("province", "submitted_by", "approved_by")


class MonthlyReturnListView(generic.ObjectListView):
    queryset = RETURNS
    filterset = MonthlyReturnFilterSet
    table = MonthlyReturnTable
    template_name = "returns/monthlyreturn_list.html"

    def get_extra_context(self, request) -> dict:
        return {"overdue": late_and_missing(), "nav": "returns"}


class MonthlyReturnHistoryView(generic.ObjectHistoryView):
    queryset = RETURNS


def month_url(province, year: int, month: int) -> str:
    return reverse("returns:month", args=[province.iso_code, year, month])


# The named numbers of a figure's stored headline (shahrak/metrics/approval.py), for the reader.
HEADLINE_FIELDS = {
    "units": _lazy("units"),
    "events": _lazy("events"),
    "jobs": _lazy("jobs"),
    "rials": _lazy("rials"),
    "count": _lazy("count"),
    "credit_rials": _lazy("credit (rials)"),
}


def _headline_text(value) -> str:
    from shahrak.ui import format as fmt

    if value is None:
        return "—"
    if isinstance(value, dict):
        separator = "، " if fmt.is_fa() else "; "
        return separator.join(f"{HEADLINE_FIELDS.get(k, k)}: {fmt.number(v)}" for k, v in value.items())
    return fmt.number(value)


def figures_status(monthly_return: MonthlyReturn) -> tuple[str, list[dict]]:
    """The approval status of the return's own figures ("approved", "revised" or "provisional") and
    each figure as first published and now; ("", []) when the month was never approved."""
    rows = month_figures_compared(monthly_return)
    if not rows:
        return "", []
    revised = any(row.revised for row in rows)
    status = "revised" if revised else "approved" if monthly_return.state == "approved" else "provisional"
    return status, [
        {
            "label": row.label,
            "published": _headline_text(row.published),
            "current": _headline_text(row.current),
            "revised": row.revised,
        }
        for row in rows
    ]


def _page(request, monthly_return: MonthlyReturn, forms: dict | None = None, status: int = 200):
    today = timezone.localdate()
    figures_state, figures = figures_status(monthly_return) if monthly_return.pk else ("", [])
    allowed = actions.available_actions(request.user, monthly_return, today)
    forms = forms or {}
    context = {
        "nav": "returns",
        "object": monthly_return,
        "meta": MonthlyReturn._meta,
        "model": MonthlyReturn,
        "stored": monthly_return.pk is not None,
        "allowed": allowed,
        "submit_form": forms.get("submit") or SubmitForm(),
        "send_back_form": forms.get("return") or SendBackForm(),
        "reopen_form": forms.get("reopen") or ReopenForm(),
        "steps": monthly_return.steps.select_related("actor") if monthly_return.pk else [],
        "locked": monthly_return.pk is not None and monthly_return.is_locked(),
        "reopened": monthly_return.pk is not None and monthly_return.is_reopened(),
        "month_ended": actions.month_has_ended(monthly_return, today),
        "action_url": month_url(monthly_return.province, monthly_return.year, monthly_return.month),
        "figures_state": figures_state,
        "figures": figures,
    }
    return render(request, "returns/monthlyreturn.html", context, status=status)


@login_required
def monthly_return(request, pk):
    found = get_object_or_404(RETURNS, pk=pk)
    return _page(request, found)


def _find(province_code: str, year: int, month: int) -> MonthlyReturn:
    province = get_object_or_404(Province, iso_code=province_code)
    if not 1 <= month <= 12:
        raise Http404(_("There is no such month."))
    found = RETURNS.filter(province=province, year=year, month=month).first()
    # A month without a return yet shows as open (nothing is stored until someone acts on it).
    return found or MonthlyReturn(province=province, year=year, month=month)


@login_required
def month(request, province, year, month):
    """A province's return of a month (GET), and its actions (POST with `action`)."""
    found = _find(province, year, month)
    if request.method != "POST":
        return _page(request, found)
    action = request.POST.get("action")
    form_class = {
        StepAction.SUBMIT: SubmitForm,
        StepAction.RETURN: SendBackForm,
        StepAction.REOPEN: ReopenForm,
        StepAction.APPROVE: None,
    }
    if action not in form_class:
        raise Http404(_("There is no such action."))
    form = form_class[action](request.POST) if form_class[action] else None
    if form is not None and not form.is_valid():
        return _page(request, found, {action: form}, status=400)
    try:
        if action == StepAction.SUBMIT:
            if found.pk is None:
                found = actions.return_for(found.province, found.year, found.month)
            actions.submit(found, actor=request.user, summary=form.cleaned_data["summary"])
            done = _("Submitted the return of %(return)s.")
        elif found.pk is None:
            raise ValidationError(_("This month has no submitted return yet."))
        elif action == StepAction.APPROVE:
            actions.approve(found, actor=request.user)
            done = _("Approved the return of %(return)s; its month is locked.")
        elif action == StepAction.RETURN:
            actions.send_back(found, actor=request.user, reason=form.cleaned_data["reason"])
            done = _("Returned the return of %(return)s to the province.")
        else:
            until = timezone.now() + dt.timedelta(days=form.cleaned_data["days"])
            actions.reopen(found, actor=request.user, reason=form.cleaned_data["reason"], until=until)
            done = _("Reopened %(return)s until %(until)s.")
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(request.path)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(request.path)
    from shahrak.ui import format as fmt

    messages.success(request, done % {"return": found, "until": fmt.jdatetime(found.reopened_until)})
    return redirect(request.path)
