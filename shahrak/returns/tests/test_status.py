"""Late and missing returns per province, worked by hand on a fixed day."""

import datetime as dt

import pytest
from django.utils import timezone

from shahrak.regions.models import Province
from shahrak.returns import actions
from shahrak.returns.status import due_months, late_and_missing

pytestmark = pytest.mark.django_db
TODAY = dt.date(2023, 1, 15)  # 25 Dey 1401: Mehr, Aban and Azar 1401 are due (Azar by 10 Dey = 31 Dec)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def tehran_returns(tehran, officer, analyst):
    mehr = actions.return_for(tehran, 1401, 7)
    actions.submit(mehr, actor=officer, summary="x", now=at(dt.date(2022, 10, 30)))  # 8 Aban: on time
    actions.approve(mehr, actor=analyst)
    aban = actions.return_for(tehran, 1401, 8)
    actions.submit(aban, actor=officer, summary="x", now=at(dt.date(2022, 12, 5)))  # 14 Azar: late
    azar = actions.return_for(tehran, 1401, 9)  # started, never submitted: missing
    return mehr, aban, azar


def test_the_due_months_are_those_whose_due_day_has_passed(settings):
    settings.SHAHRAK = {**settings.SHAHRAK, "RETURNS_FROM": ""}
    assert due_months(TODAY, months=3) == [(1401, 7), (1401, 8), (1401, 9)]
    # On 10 Dey Azar is still due that day, not yet late.
    assert due_months(dt.date(2022, 12, 31), months=3) == [(1401, 7), (1401, 8)]
    settings.SHAHRAK = {**settings.SHAHRAK, "RETURNS_FROM": "1401-08"}
    assert due_months(TODAY, months=3) == [(1401, 8), (1401, 9)]


def test_late_and_missing_per_province(settings, tehran_returns):
    settings.SHAHRAK = {**settings.SHAHRAK, "RETURNS_FROM": ""}
    rows = {row.province.iso_code: row for row in late_and_missing(TODAY, months=3)}
    assert len(rows) == Province.objects.count()  # no other province filed anything
    assert (rows["IR-23"].missing, rows["IR-23"].late) == ([(1401, 9)], [(1401, 8)])
    assert rows["IR-07"].missing == [(1401, 7), (1401, 8), (1401, 9)] and rows["IR-07"].late == []
    # Most missing first: Tehran, with one missing, comes last.
    assert late_and_missing(TODAY, months=3)[-1].province.iso_code == "IR-23"


def test_a_returned_return_is_missing_until_it_is_submitted_again(settings, tehran_returns, officer, analyst):
    settings.SHAHRAK = {**settings.SHAHRAK, "RETURNS_FROM": ""}
    _mehr, aban, _azar = tehran_returns
    actions.send_back(aban, actor=analyst, reason="y")
    row = next(r for r in late_and_missing(TODAY, months=3) if r.province.iso_code == "IR-23")
    assert row.missing == [(1401, 8), (1401, 9)]
    actions.submit(aban, actor=officer, summary="again")
    row = next(r for r in late_and_missing(TODAY, months=3) if r.province.iso_code == "IR-23")
    assert (row.missing, row.late) == ([(1401, 9)], [(1401, 8)])  # still late: the first submission was


def test_the_dashboard_lists_late_and_missing_returns(client, viewer, tehran_returns):
    from django.urls import reverse

    client.force_login(viewer)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert 'data-testid="dashboard-overdue-returns"' in page
    assert "?province=IR-23" in page  # Tehran is late with Aban and missing Azar (and later months)
