"""Development projects, payments and planned payments: the query sets the figures read and the pages."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from shahrak.core import jalali
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement, ProjectStatus
from tests.factories import make_disbursement, make_estate, make_project

pytestmark = pytest.mark.django_db
D = dt.date(2022, 12, 21)  # 30 Azar 1401


def test_underway_on_d_is_started_and_neither_finished_nor_stopped_by_d():
    estate = make_estate()
    started = make_project(estate, code="A", start_date=dt.date(2022, 1, 1))
    make_project(estate, code="B", start_date=dt.date(2022, 12, 22))  # starts the day after D
    ends_after = make_project(
        estate, code="C", start_date=dt.date(2022, 1, 1), actual_end_date=dt.date(2022, 12, 22),
        status=ProjectStatus.COMPLETED,
    )  # fmt: skip
    make_project(
        estate, code="D", start_date=dt.date(2022, 1, 1), actual_end_date=D, status=ProjectStatus.COMPLETED
    )  # finished on D: no longer underway
    make_project(
        estate, code="E", start_date=dt.date(2022, 1, 1), stopped_date=D, status=ProjectStatus.SUSPENDED
    )
    stopped_later = make_project(
        estate, code="F", start_date=dt.date(2022, 1, 1), stopped_date=dt.date(2023, 1, 1),
        status=ProjectStatus.CANCELLED,
    )  # fmt: skip
    make_project(estate, code="G", start_date=None, status=ProjectStatus.PLANNED)
    assert set(DevelopmentProject.objects.underway_on(D)) == {started, ends_after, stopped_later}


def test_disbursements_between_include_both_days():
    project = make_project(make_estate())
    for day, amount in (
        (dt.date(2022, 3, 20), 1),
        (dt.date(2022, 3, 21), 10),
        (D, 100),
        (D + dt.timedelta(1), 1000),
    ):
        make_disbursement(project, day, amount)
    found = Disbursement.objects.between(dt.date(2022, 3, 21), D)
    assert sorted(found.values_list("amount_rials", flat=True)) == [10, 100]


def test_a_payment_must_be_positive():
    project = make_project(make_estate())
    with pytest.raises(IntegrityError), transaction.atomic():
        make_disbursement(project, D, 0)


def test_planned_month_start_is_the_solar_hijri_month_start():
    project = make_project(make_estate())
    planned = PlannedDisbursement.objects.create(project=project, year=1401, month=10, amount_rials=5)
    assert planned.month_start == dt.date(2022, 12, 22) == jalali.to_gregorian(1401, 10, 1)
    # Adjacent periods add up: month 10 starts after 30 Azar, so it is not in 1 Farvardin–30 Azar.
    start = jalali.to_gregorian(1401, 1, 1)
    assert PlannedDisbursement.objects.months_starting_between(start, D).count() == 0
    assert (
        PlannedDisbursement.objects.months_starting_between(D + dt.timedelta(1), D + dt.timedelta(1)).count()
        == 1
    )


def test_one_planned_amount_per_project_and_month():
    project = make_project(make_estate())
    PlannedDisbursement.objects.create(project=project, year=1401, month=1, amount_rials=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlannedDisbursement.objects.create(project=project, year=1401, month=1, amount_rials=6)


def test_project_list_filters_by_category_and_a_viewer_may_not_add(client, viewer):
    estate = make_estate()
    water = make_project(estate, code="W-1", category="water")
    make_project(estate, code="G-1", category="gas")
    client.force_login(viewer)
    listed = client.get(reverse("projects:developmentproject_list"), {"category": "water"})
    assert [row.record for row in listed.context["table"].page.object_list] == [water]
    assert client.get(reverse("projects:developmentproject_add")).status_code == 403
