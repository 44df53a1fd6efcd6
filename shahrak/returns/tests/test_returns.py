"""Monthly returns: the states and who may move them, the steps kept, due days, the pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shahrak.accounts.models import Role
from shahrak.core import jalali
from shahrak.returns import actions
from shahrak.returns.models import MonthlyReturn, ReturnState, ReturnStep, StepAction, due_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def azar(tehran):
    """Tehran's return of Azar 1401 (22 Nov – 21 Dec 2022), long past."""
    return actions.return_for(tehran, 1401, 9)


def test_a_return_is_due_on_the_tenth_of_the_next_month():
    # Azar 1401 is due on 10 Dey 1401 = 31 December 2022; Esfand 1401 on 10 Farvardin 1402.
    assert due_date(1401, 9) == dt.date(2022, 12, 31)
    assert due_date(1401, 12) == jalali.to_gregorian(1402, 1, 10)


def test_the_due_day_is_a_setting(settings):
    settings.SHAHRAK = {**settings.SHAHRAK, "RETURN_DUE_DAY": 15}
    assert due_date(1401, 9) == dt.date(2023, 1, 5)


def test_one_return_per_province_and_month(azar, tehran):
    assert actions.return_for(tehran, 1401, 9) == azar
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReturn.objects.create(province=tehran, year=1401, month=9)


def test_officer_submits_analyst_approves_and_the_month_is_locked(azar, officer, analyst):
    actions.submit(azar, actor=officer, summary="۱۲ رویداد و ۳ پرداخت")
    assert azar.state == ReturnState.SUBMITTED and not azar.is_locked()
    actions.approve(azar, actor=analyst)
    azar.refresh_from_db()
    assert azar.state == ReturnState.APPROVED and azar.approved_by == analyst
    assert azar.is_locked()
    assert list(MonthlyReturn.objects.locked()) == [azar]
    steps = list(azar.steps.values_list("action", "actor__username", "note"))
    assert steps == [
        (StepAction.SUBMIT, "officer-tehran", "۱۲ رویداد و ۳ پرداخت"),
        (StepAction.APPROVE, "analyst", ""),
    ]
    # The return's own history has a row per step, with who and why.
    assert [h.history_change_reason for h in azar.history.order_by("history_date")][-2:] == [
        _("return submitted"),
        _("return approved"),
    ]


def test_returned_with_a_reason_then_submitted_again(azar, officer, analyst):
    actions.submit(azar, actor=officer, summary="first")
    with pytest.raises(ValidationError):
        actions.send_back(azar, actor=analyst, reason="  ")
    actions.send_back(azar, actor=analyst, reason="پرداخت‌های آذر کم است")
    assert azar.state == ReturnState.RETURNED and azar.reason == "پرداخت‌های آذر کم است"
    assert not azar.is_locked()
    first = azar.first_submitted_at
    actions.submit(azar, actor=officer, summary="second")
    assert azar.state == ReturnState.SUBMITTED and azar.first_submitted_at == first
    assert azar.steps.count() == 3


def test_a_summary_is_required(azar, officer):
    with pytest.raises(ValidationError):
        actions.submit(azar, actor=officer, summary="")
    assert MonthlyReturn.objects.get(pk=azar.pk).state == ReturnState.OPEN
    assert not ReturnStep.objects.exists()


def test_who_may_do_what(azar, officer, analyst, viewer, admin_user, make_user):
    other_officer = make_user(Role.OFFICER, province="IR-07", username="officer-fars")
    for user in (analyst, viewer, other_officer):
        with pytest.raises(PermissionDenied):
            actions.submit(azar, actor=user, summary="x")
    actions.submit(azar, actor=officer, summary="x")
    for user in (officer, viewer):
        with pytest.raises(PermissionDenied):
            actions.approve(azar, actor=user)
        with pytest.raises(PermissionDenied):
            actions.send_back(azar, actor=user, reason="x")
    actions.approve(azar, actor=analyst)
    until = timezone.now() + dt.timedelta(days=3)
    for user in (officer, analyst):
        with pytest.raises(PermissionDenied):
            actions.reopen(azar, actor=user, reason="x", until=until)
    actions.reopen(azar, actor=admin_user, reason="x", until=until)
    assert azar.state == ReturnState.OPEN


def test_actions_only_from_their_states(azar, officer, analyst, admin_user):
    with pytest.raises(ValidationError):
        actions.approve(azar, actor=analyst)  # open, not submitted
    actions.submit(azar, actor=officer, summary="x")
    with pytest.raises(ValidationError):
        actions.submit(azar, actor=officer, summary="again")
    with pytest.raises(ValidationError):
        actions.reopen(azar, actor=admin_user, reason="x", until=timezone.now() + dt.timedelta(days=1))


def test_a_month_that_has_not_ended_cannot_be_submitted(officer, tehran):
    year, month, _day = jalali.jalali_parts(timezone.localdate())
    current = actions.return_for(tehran, year, month)
    with pytest.raises(ValidationError):
        actions.submit(current, actor=officer, summary="x")


def test_reopening_needs_a_reason_and_a_near_end_and_locks_again_when_it_ends(
    azar, officer, analyst, admin_user
):
    actions.submit(azar, actor=officer, summary="x")
    actions.approve(azar, actor=analyst)
    now = timezone.now()
    with pytest.raises(ValidationError):
        actions.reopen(azar, actor=admin_user, reason="", until=now + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        actions.reopen(azar, actor=admin_user, reason="x", until=now - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        actions.reopen(azar, actor=admin_user, reason="x", until=now + dt.timedelta(days=15))
    until = now + dt.timedelta(days=2)
    actions.reopen(azar, actor=admin_user, reason="اصلاح پرداخت ۱۲", until=until, now=now)
    assert not azar.is_locked(now) and azar.is_reopened(now)
    assert azar.is_locked(until + dt.timedelta(seconds=1))  # the reopening ran out
    assert list(MonthlyReturn.objects.locked(until + dt.timedelta(seconds=1))) == [azar]
    step = azar.steps.get(action=StepAction.REOPEN)
    assert (step.actor, step.note, step.until) == (admin_user, "اصلاح پرداخت ۱۲", until)
    # Submitted and approved again, it is locked as approved, the reopening forgotten.
    actions.submit(azar, actor=officer, summary="corrected")
    actions.approve(azar, actor=analyst)
    assert azar.reopened_until is None and azar.is_locked()


# Pages ---------------------------------------------------------------------------------------------
def test_the_list_shows_returns_and_their_states(client, azar, officer, viewer):
    actions.submit(azar, actor=officer, summary="x")
    client.force_login(viewer)
    page = client.get(reverse("returns:monthlyreturn_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "آذر ۱۴۰۱" in text and f">{ReturnState.SUBMITTED.label}<" in text
    assert 'data-testid="returns-overdue"' in text


def test_officer_submits_from_the_month_page(client, officer, tehran):
    client.force_login(officer)
    url = reverse("returns:month", args=["IR-23", 1401, 8])
    page = client.get(url)
    assert page.status_code == 200 and 'name="summary"' in page.content.decode()
    assert not MonthlyReturn.objects.exists()  # looking stores nothing
    response = client.post(url, {"action": "submit", "summary": "همه رسید"})
    assert response.status_code == 302
    stored = MonthlyReturn.objects.get(province=tehran, year=1401, month=8)
    assert stored.state == ReturnState.SUBMITTED and stored.summary == "همه رسید"


def test_the_page_offers_each_reader_only_their_actions(client, azar, officer, analyst, admin_user):
    url = reverse("returns:month", args=["IR-23", 1401, 9])
    actions.submit(azar, actor=officer, summary="x")
    client.force_login(officer)
    assert 'value="approve"' not in client.get(url).content.decode()
    client.force_login(analyst)
    text = client.get(url).content.decode()
    assert 'value="approve"' in text and 'value="return"' in text
    assert client.post(url, {"action": "return", "reason": ""}).status_code == 400
    assert client.post(url, {"action": "approve"}).status_code == 302
    azar.refresh_from_db()
    assert azar.state == ReturnState.APPROVED
    client.force_login(admin_user)
    assert client.post(url, {"action": "reopen", "reason": "x", "days": "۳"}).status_code == 302
    azar.refresh_from_db()
    assert azar.state == ReturnState.OPEN and azar.is_reopened()
    page = client.get(reverse("returns:monthlyreturn", args=[azar.pk]))
    assert page.status_code == 200 and 'data-testid="return-steps"' in page.content.decode()
    assert client.get(reverse("returns:monthlyreturn_history", args=[azar.pk])).status_code == 200


def test_a_refused_action_says_why_and_changes_nothing(client, azar, officer):
    actions.submit(azar, actor=officer, summary="x")
    client.force_login(officer)
    url = reverse("returns:month", args=["IR-23", 1401, 9])
    response = client.post(url, {"action": "approve"}, follow=True)
    assert (
        _("Only a national analyst (or an administrator) may approve a return.") in response.content.decode()
    )
    azar.refresh_from_db()
    assert azar.state == ReturnState.SUBMITTED


def test_pages_need_sign_in(client, azar):
    assert client.get(reverse("returns:monthlyreturn_list")).status_code == 302
    assert client.get(reverse("returns:month", args=["IR-23", 1401, 9])).status_code == 302


def test_the_pages_in_persian_show_no_latin_words_or_digits(client, azar, officer, admin_user, analyst):
    from shahrak.web.tests.visible import latin_leftovers

    actions.submit(azar, actor=officer, summary="همه رسید")
    actions.approve(azar, actor=analyst)
    actions.reopen(
        azar, actor=admin_user, reason="پرداخت دیرکرد", until=timezone.now() + dt.timedelta(days=2)
    )
    client.force_login(admin_user)
    pages = [
        reverse("returns:monthlyreturn_list"),
        reverse("returns:monthlyreturn_list") + "?state=open",
        reverse("returns:month", args=["IR-23", 1401, 9]),
        reverse("returns:month", args=["IR-23", 1401, 10]),  # no return yet
        reverse("returns:monthlyreturn_history", args=[azar.pk]),
    ]
    found = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        leftovers = latin_leftovers(response.content.decode())
        if leftovers:
            found[page] = leftovers
    assert found == {}
