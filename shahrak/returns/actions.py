"""The named actions on a monthly return: submit, approve, return (send back), reopen.

Each is a plain function that checks who may take it (the roles of shahrak/accounts), checks the
state it starts from, saves the return with its history and keeps the step (ReturnStep). Web
views, the admin and commands call these, never set `state` themselves.

Who may do what:
- submit: the province's provincial officer (or an administrator), once the month has ended;
- approve, return: a national analyst (or an administrator);
- reopen an approved month: an administrator only, with a reason, for at most
  settings.SHAHRAK["RETURN_REOPEN_MAX_DAYS"] days (14 by default).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shahrak.accounts.models import Role
from shahrak.accounts.scope import can_read, is_admin
from shahrak.core import jalali
from shahrak.core.history import save_with_history

from .models import MonthlyReturn, ReturnState, ReturnStep, StepAction
from .published import store_published

DEFAULT_REOPEN_MAX_DAYS = 14


def reopen_max_days() -> int:
    return int(settings.SHAHRAK.get("RETURN_REOPEN_MAX_DAYS", DEFAULT_REOPEN_MAX_DAYS))


# Who may ------------------------------------------------------------------------------------------
def may_submit(user, monthly_return: MonthlyReturn) -> bool:
    if not can_read(user):
        return False
    if is_admin(user):
        return True
    return user.role == Role.OFFICER and user.province_id == monthly_return.province_id


def may_review(user) -> bool:
    """Approve or return: a national analyst, or an administrator."""
    return can_read(user) and (is_admin(user) or user.role == Role.ANALYST)


def may_reopen(user) -> bool:
    return is_admin(user)


def available_actions(user, monthly_return: MonthlyReturn, today: dt.date | None = None) -> list[str]:
    """The actions this user may take on the return now (for its page)."""
    actions = []
    state = monthly_return.state
    if (
        state in (ReturnState.OPEN, ReturnState.RETURNED)
        and may_submit(user, monthly_return)
        and month_has_ended(monthly_return, today)
    ):
        actions.append(StepAction.SUBMIT)
    if state == ReturnState.SUBMITTED and may_review(user):
        actions += [StepAction.APPROVE, StepAction.RETURN]
    if state == ReturnState.APPROVED and may_reopen(user):
        actions.append(StepAction.REOPEN)
    return actions


def month_has_ended(monthly_return: MonthlyReturn, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return monthly_return.period.end < today


# Finding or starting a return -----------------------------------------------------------------
def return_for(province, year: int, month: int) -> MonthlyReturn:
    """The province's return of year-month, started (open) if it has none yet."""
    jalali.check_year(year)
    if not 1 <= month <= 12:
        raise ValidationError(_("A month is 1 to 12."))
    monthly_return, _created = MonthlyReturn.objects.get_or_create(province=province, year=year, month=month)
    return monthly_return


# The actions -------------------------------------------------------------------------------------
def _refuse(message: str):
    raise PermissionDenied(message)


def _require_state(monthly_return: MonthlyReturn, *states) -> None:
    if monthly_return.state not in states:
        raise ValidationError(
            _("This return is %(state)s; that cannot be done now.")
            % {"state": monthly_return.get_state_display()}
        )


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _step(monthly_return, action, actor, now, note="", until=None) -> ReturnStep:
    return ReturnStep.objects.create(
        monthly_return=monthly_return, action=action, actor=actor, at=now, note=note, until=until
    )


def _locked_for_update(monthly_return: MonthlyReturn) -> MonthlyReturn:
    """The stored return, its row locked, so that two people acting at once do not both win."""
    fresh = MonthlyReturn.objects.select_for_update().select_related("province").get(pk=monthly_return.pk)
    monthly_return.__dict__.update(
        {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}
    )
    return monthly_return


@transaction.atomic
def submit(monthly_return: MonthlyReturn, *, actor, summary: str, now: dt.datetime | None = None):
    """The officer says the month's records are in, with a summary of what changed in the month."""
    now = now or timezone.now()
    _locked_for_update(monthly_return)
    if not may_submit(actor, monthly_return):
        _refuse(
            _("Only the provincial officer of %(province)s (or an administrator) may submit its return.")
            % {"province": monthly_return.province}
        )
    _require_state(monthly_return, ReturnState.OPEN, ReturnState.RETURNED)
    if not month_has_ended(monthly_return, timezone.localdate(now)):
        raise ValidationError(_("A month's return can be submitted only after the month has ended."))
    summary = _text(summary, _("Write a summary of what changed in the month."))
    monthly_return.state = ReturnState.SUBMITTED
    monthly_return.summary = summary
    monthly_return.submitted_at, monthly_return.submitted_by = now, actor
    if monthly_return.first_submitted_at is None:
        monthly_return.first_submitted_at = now
    save_with_history(monthly_return, actor=actor, reason=_("return submitted"))
    _step(monthly_return, StepAction.SUBMIT, actor, now, note=summary)
    return monthly_return


@transaction.atomic
def approve(monthly_return: MonthlyReturn, *, actor, now: dt.datetime | None = None):
    """A national analyst approves the submitted return: its month is locked from now on, and its
    figures are stored as reported (the published figures that later ones are compared with)."""
    now = now or timezone.now()
    _locked_for_update(monthly_return)
    if not may_review(actor):
        _refuse(_("Only a national analyst (or an administrator) may approve a return."))
    _require_state(monthly_return, ReturnState.SUBMITTED)
    monthly_return.state = ReturnState.APPROVED
    monthly_return.approved_at, monthly_return.approved_by = now, actor
    monthly_return.reopened_until = None
    save_with_history(monthly_return, actor=actor, reason=_("return approved"))
    step = _step(monthly_return, StepAction.APPROVE, actor, now)
    # The month's figures as reported, kept in this transaction (shahrak/returns/published.py).
    store_published(monthly_return, step, now)
    return monthly_return


@transaction.atomic
def send_back(monthly_return: MonthlyReturn, *, actor, reason: str, now: dt.datetime | None = None):
    """A national analyst returns the submitted return to the officer, saying why."""
    now = now or timezone.now()
    _locked_for_update(monthly_return)
    if not may_review(actor):
        _refuse(_("Only a national analyst (or an administrator) may return a return."))
    _require_state(monthly_return, ReturnState.SUBMITTED)
    reason = _text(reason, _("Say why the return goes back to the province."))
    monthly_return.state = ReturnState.RETURNED
    monthly_return.reason = reason
    save_with_history(
        monthly_return, actor=actor, reason=_("return sent back: %(reason)s") % {"reason": reason}
    )
    _step(monthly_return, StepAction.RETURN, actor, now, note=reason)
    return monthly_return


@transaction.atomic
def reopen(
    monthly_return: MonthlyReturn, *, actor, reason: str, until: dt.datetime, now: dt.datetime | None = None
):
    """An administrator opens an approved month again, saying why, until `until` (at most the
    setting's number of days ahead). The month must then be submitted and approved again; once
    `until` passes it is locked again whatever its state."""
    now = now or timezone.now()
    _locked_for_update(monthly_return)
    if not may_reopen(actor):
        _refuse(_("Only an administrator may reopen an approved month."))
    _require_state(monthly_return, ReturnState.APPROVED)
    reason = _text(reason, _("Say why the approved month is opened again."))
    if until <= now:
        raise ValidationError(_("A reopening must end in the future."))
    if until > now + dt.timedelta(days=reopen_max_days()):
        raise ValidationError(
            _("A month can be reopened for at most %(days)s days.") % {"days": reopen_max_days()}
        )
    monthly_return.state = ReturnState.OPEN
    monthly_return.reason = reason
    monthly_return.reopened_until = until
    save_with_history(
        monthly_return, actor=actor, reason=_("approved month reopened: %(reason)s") % {"reason": reason}
    )
    _step(monthly_return, StepAction.REOPEN, actor, now, note=reason, until=until)
    return monthly_return
