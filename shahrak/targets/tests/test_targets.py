"""Targets: which overlap a period, national versus a province's, the rules, the pages."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from shahrak.core import jalali
from shahrak.regions.models import Province
from shahrak.targets.models import Target

pytestmark = pytest.mark.django_db
YEAR_1400 = (dt.date(2021, 3, 21), dt.date(2022, 3, 20))


def make_target(metric="units_revived", start=YEAR_1400[0], end=YEAR_1400[1], province=None, value=2000):
    return Target.objects.create(
        metric=metric, year=1400, start_date=start, end_date=end, province=province, value=value
    )


def test_year_1400_runs_from_1_farvardin_to_29_esfand():
    period = jalali.year_bounds(1400)
    assert (period.start, period.end) == YEAR_1400


def test_overlapping_includes_targets_touching_the_period_at_either_end():
    national = make_target()
    later = make_target(metric="workshops_opened", start=dt.date(2022, 3, 20), end=dt.date(2023, 3, 20))
    make_target(metric="jobs_restored", start=dt.date(2022, 3, 21), end=dt.date(2023, 3, 20))
    assert set(Target.objects.overlapping(dt.date(2021, 12, 22), dt.date(2022, 3, 20))) == {national, later}


def test_national_targets_have_no_province():
    national = make_target()
    make_target(province=Province.objects.get(iso_code="IR-23"), value=150)
    assert list(Target.objects.national()) == [national]


def test_one_target_per_metric_period_and_scope():
    make_target()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_target(value=1)  # a second national target for the same metric and dates
    make_target(province=Province.objects.get(iso_code="IR-23"))  # a province's own is allowed


def test_a_target_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_target(start=dt.date(2022, 1, 2), end=dt.date(2022, 1, 1))


def test_targets_list_filters_by_metric(client, viewer):
    revived = make_target()
    make_target(metric="workshops_opened", value=1000)
    client.force_login(viewer)
    listed = client.get(reverse("targets:target_list"), {"metric": "units_revived"})
    assert [row.record for row in listed.context["table"].page.object_list] == [revived]
