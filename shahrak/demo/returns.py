"""The demo's monthly returns (issue 14): one per province per month for the last two years of the
demo's data (1401 and 1402; not before settings.SHAHRAK["RETURNS_FROM"]). Earlier months have none,
so their figures read as provisional, none of their returns approved.

Most are submitted by their due day and approved a few days later; a few are submitted late, a few
were sent back once with a reason before being approved; in the last month some still await review
and a few were sent back and not yet submitted again. One month (Tehran, Shahrivar 1402) was
approved, then reopened by an administrator, a payment entered late, and approved again: its
figures are revised (published and current differ).

A few provinces keep their returns worse, so that data quality (shahrak/analysis/quality.py)
differs visibly between provinces: CHRONICALLY_LATE submit most returns after the due day;
LATE_IN_1401 did so in 1401 and mended their ways in 1402; MISSING never submitted a few months of
1401 (no return is stored for them).

Like the rest of the demo, these rows are seed data: written in bulk, with no history rows. The
figures stored on each approval are computed by the same function the approve action calls
(shahrak/returns/published.py), so they are what an approval would have stored.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from shahrak.accounts.models import Role
from shahrak.core import jalali
from shahrak.projects.models import Disbursement
from shahrak.regions.models import Province
from shahrak.returns.models import (
    MonthlyReturn,
    PublishedFigures,
    ReturnState,
    ReturnStep,
    StepAction,
    due_day,
)
from shahrak.returns.published import figures_of_month
from shahrak.returns.status import first_month

from .plan import DATA_END

TEHRAN = ZoneInfo("Asia/Tehran")
# Returns for the last two years of the data: storing each approval's figures is an engine call per
# province-month (about 10 ms), so two years of them (744) keep the demo quick at any scale.
MONTHS = 24
# Deliberate flaws (data quality): provinces whose returns are late, late in 1401 only, or missing.
CHRONICALLY_LATE = {"IR-07": 0.7}  # Fars: the share of its returns submitted late
LATE_IN_1401 = {"IR-09": 0.8}  # Razavi Khorasan: late in 1401, on time like the rest in 1402
MISSING = {"IR-11": [(1401, 3), (1401, 4), (1401, 5), (1401, 6), (1401, 7)]}  # Sistan and Baluchestan
DEMO_ACTOR = "demo-returns"
# The month reopened and revised, and the payment entered late (percent of its largest payment).
REVISED = ("IR-23", 1402, 6)
CORRECTION = 5  # percent added to the payment

SUMMARIES = [
    "ثبت رویدادهای واحدها و پرداخت‌های ماه کامل شد.",
    "پرداخت‌های طرح‌های آب و برق ماه ثبت شد؛ دو واحد احیا شد.",
    "تحویل کارگاه‌ها و پرداخت‌های ماه ثبت و با اسناد مالی تطبیق داده شد.",
]
SENT_BACK = [
    "مبلغ دو پرداخت با اسناد مالی یکی نیست؛ لطفاً بازبینی کنید.",
    "تعداد شاغلان احیاشده یک واحد با پرونده آن نمی‌خواند.",
]
REOPEN_REASON = "ثبت پرداختی که سندش پس از تأیید ماه از خزانه رسید"


def _moment(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(jalali.to_gregorian(year, month, day), dt.time(hour), tzinfo=TEHRAN)


def demo_actor():
    """The one (inactive) account the demo's returns are signed with; nobody can sign in as it."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=DEMO_ACTOR,
        defaults={"role": Role.ADMINISTRATOR, "is_active": False, "first_name": "Demo returns"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def demo_months() -> list[tuple[int, int]]:
    """The last MONTHS months of the demo's data (not before the first month returns are kept)."""
    last = jalali.jalali_parts(DATA_END)[:2]
    start = max(jalali.add_months(*last, -(MONTHS - 1)), first_month() or (0, 0))
    months, (year, month) = [], start
    while (year, month) <= last:
        months.append((year, month))
        year, month = jalali.add_months(year, month, 1)
    return months


def make_returns(seed: int) -> dict[str, int]:
    """Write the demo's returns, their steps and the figures stored on each approval."""
    rng = random.Random(f"returns-{seed}")
    actor = demo_actor()
    months = demo_months()
    provinces = list(Province.objects.order_by("sci_code"))
    on_time_by = due_day()
    returns, plans = [], []
    for year, month in months:
        next_year, next_month = jalali.add_months(year, month, 1)
        last_month = (year, month) == months[-1]
        for province in provinces:
            draw = rng.random()
            if (year, month) in MISSING.get(province.iso_code, []):
                continue  # never submitted: no return is stored
            late = draw < 0.05
            flawed = CHRONICALLY_LATE.get(province.iso_code) or (
                LATE_IN_1401.get(province.iso_code) if year == 1401 else None
            )
            if flawed:  # a draw of its own, so the other provinces' returns stay as they were
                late = random.Random(f"late-{seed}-{province.iso_code}-{year}-{month}").random() < flawed
            sent_back = 0.05 <= draw < 0.09
            waiting = last_month and draw >= 0.75  # submitted, not yet reviewed
            still_back = last_month and 0.09 <= draw < 0.15  # sent back, not yet submitted again
            day = rng.randint(on_time_by + 2, 25) if late else rng.randint(2, on_time_by)
            submitted = _moment(next_year, next_month, day, rng.randint(8, 15))
            steps = [(StepAction.SUBMIT, submitted, rng.choice(SUMMARIES))]
            at = submitted
            if sent_back or still_back:
                at = at + dt.timedelta(days=rng.randint(1, 3))
                steps.append((StepAction.RETURN, at, rng.choice(SENT_BACK)))
                if not still_back:
                    at = at + dt.timedelta(days=rng.randint(1, 4))
                    steps.append((StepAction.SUBMIT, at, rng.choice(SUMMARIES)))
            state = ReturnState.SUBMITTED if waiting else ReturnState.APPROVED
            if still_back:
                state = ReturnState.RETURNED
            if state == ReturnState.APPROVED:
                at = at + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 5))
                steps.append((StepAction.APPROVE, at, ""))
            monthly_return = MonthlyReturn(
                province=province,
                year=year,
                month=month,
                state=state,
                summary=[note for action, _at, note in steps if action == StepAction.SUBMIT][-1],
                reason=next(
                    (note for action, _at, note in reversed(steps) if action == StepAction.RETURN), ""
                ),
                submitted_at=[a for action, a, _n in steps if action == StepAction.SUBMIT][-1],
                submitted_by=actor,
                first_submitted_at=submitted,
                approved_at=at if state == ReturnState.APPROVED else None,
                approved_by=actor if state == ReturnState.APPROVED else None,
            )
            returns.append(monthly_return)
            plans.append(steps)
    revision = _plan_revision(returns, plans)
    MonthlyReturn.objects.bulk_create(returns, batch_size=1_000)
    step_rows, approvals = [], []
    for monthly_return, steps in zip(returns, plans, strict=True):
        for action, at, note, *until in steps:
            step = ReturnStep(
                monthly_return=monthly_return,
                action=action,
                actor=actor,
                at=at,
                note=note,
                until=(until or [None])[0],
            )
            step_rows.append(step)
            if action == StepAction.APPROVE:
                approvals.append((monthly_return, step))
    ReturnStep.objects.bulk_create(step_rows, batch_size=1_000)
    # The figures stored on each approval, in the order they were approved: the revised month's
    # first approval sees the payment as first entered, its second the corrected one.
    published, corrected = [], False
    for monthly_return, step in sorted(approvals, key=lambda pair: pair[1].at):
        if revision and monthly_return is revision[0] and step.at > revision[2] and not corrected:
            _correct(revision[1])
            corrected = True
        published.append(
            PublishedFigures(
                monthly_return=monthly_return,
                step=step,
                approved_at=step.at,
                figures=figures_of_month(monthly_return.province, monthly_return.year, monthly_return.month),
            )
        )
    PublishedFigures.objects.bulk_create(published, batch_size=1_000)
    return {
        "returns": len(returns),
        "approved": sum(1 for r in returns if r.state == ReturnState.APPROVED),
        "steps": len(step_rows),
        "published": len(published),
        "late_payments": 1 if corrected else 0,
    }


def _plan_revision(returns: list[MonthlyReturn], plans: list[list]):
    """Make the REVISED month approved, reopened three months later, completed, submitted and approved
    again: (its return, its largest payment, the moment of the reopening), or None at a scale
    where that province-month has no payment or no approved return."""
    code, year, month = REVISED
    index = next(
        (
            i
            for i, r in enumerate(returns)
            if (r.province.iso_code, r.year, r.month) == REVISED and r.state == ReturnState.APPROVED
        ),
        None,
    )
    period = jalali.month_bounds(year, month)
    payment = (
        Disbursement.objects.filter(
            project__estate__county__province__iso_code=code, date__range=(period.start, period.end)
        )
        .order_by("-amount_rials", "pk")
        .first()
    )
    if index is None or payment is None:
        return None
    found, steps = returns[index], plans[index]
    reopened = _moment(*jalali.add_months(year, month, 3), 5)
    submitted = reopened + dt.timedelta(days=2)
    approved = submitted + dt.timedelta(days=1)
    steps += [
        (StepAction.REOPEN, reopened, REOPEN_REASON, reopened + dt.timedelta(days=7)),
        (StepAction.SUBMIT, submitted, SUMMARIES[0]),
        (StepAction.APPROVE, approved, ""),
    ]
    found.reason, found.submitted_at, found.approved_at = REOPEN_REASON, submitted, approved
    found.summary = SUMMARIES[0]
    return found, payment, reopened


def _correct(payment: Disbursement) -> None:
    """What changed while the month was reopened: a payment of the same project and day entered late
    (CORRECTION percent of the largest one). Seed data like the rest: written in bulk, no history; its
    key follows the demo's own (the sequences are moved past them afterwards), its place is its project's."""
    latest = Disbursement.objects.order_by("-pk").values_list("pk", flat=True).first()
    late = Disbursement(
        pk=latest + 1,
        project_id=payment.project_id,
        date=payment.date,
        amount_rials=payment.amount_rials * CORRECTION // 100,
        funding_source=payment.funding_source,
        reference="late",
        estate_id=payment.estate_id,
        county_id=payment.county_id,
        province_id=payment.province_id,
        category=payment.category,
    )
    Disbursement.objects.bulk_create([late])
