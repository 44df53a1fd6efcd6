"""Exchange rates: the rate in force on a day, one rate a day per source, the pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from shahrak.money.models import ExchangeRate

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates():
    ExchangeRate.objects.create(
        date=dt.date(2022, 11, 1), source="free_market", rials_per_unit=Decimal("350000")
    )
    ExchangeRate.objects.create(
        date=dt.date(2022, 11, 20), source="free_market", rials_per_unit=Decimal("380250")
    )
    ExchangeRate.objects.create(
        date=dt.date(2022, 11, 10), source="official", rials_per_unit=Decimal("42000")
    )


def test_the_rate_in_force_is_the_latest_of_the_source_on_or_before_the_day(rates):
    assert ExchangeRate.objects.in_force_on(dt.date(2022, 10, 31)) is None  # none yet
    assert ExchangeRate.objects.in_force_on(dt.date(2022, 11, 1)) == Decimal("350000")
    assert ExchangeRate.objects.in_force_on(dt.date(2022, 11, 19)) == Decimal("350000")
    assert ExchangeRate.objects.in_force_on(dt.date(2022, 11, 20)) == Decimal("380250")
    assert ExchangeRate.objects.in_force_on(dt.date(2022, 11, 19), source="official") == Decimal("42000")


def test_the_default_source_comes_from_the_settings(rates, settings):
    settings.SHAHRAK = {**settings.SHAHRAK, "DEFAULT_RATE_SOURCE": "official"}
    assert ExchangeRate.objects.in_force_on(dt.date(2022, 11, 30)) == Decimal("42000")


def test_one_rate_a_day_per_currency_and_source(rates):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(date=dt.date(2022, 11, 1), source="free_market", rials_per_unit=1)
    ExchangeRate.objects.create(date=dt.date(2022, 11, 1), source="nima", rials_per_unit=1)


def test_rates_list_filters_by_source(rates, client, viewer):
    client.force_login(viewer)
    listed = client.get(reverse("money:exchangerate_list"), {"source": "official"})
    assert [row.record.rials_per_unit for row in listed.context["table"].page.object_list] == [
        Decimal("42000")
    ]
