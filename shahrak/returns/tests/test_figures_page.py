"""A return's own page says whether its month's figures stand as approved, or were revised since
(issue 14 item 5): the figures as first published beside their values now."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from shahrak.metrics.tests.conftest import estate, pay, project
from shahrak.returns import actions

pytestmark = pytest.mark.django_db


def test_the_return_page_shows_its_figures_as_published_and_now(tehran, client, admin_user, analyst):
    e5 = estate("TH-T1", "technology", "2301", "1398-01-01", "1398-06-01")
    payment = pay(project("PT-1", e5, "water", 10**12, start="1401-01-01"), "1401-09-10", 2_000_000)
    azar = actions.return_for(tehran, 1401, 9)
    client.force_login(admin_user)
    page = reverse("returns:monthlyreturn", args=[azar.pk])
    assert 'data-testid="return-figures"' not in client.get(page).content.decode()  # never approved

    actions.submit(azar, actor=admin_user, summary="همه ثبت شد")
    actions.approve(azar, actor=analyst)
    html = client.get(page).content.decode()
    assert 'data-testid="return-figures" data-status="approved"' in html and "data-revised" not in html
    assert "۲٬۰۰۰٬۰۰۰" in html

    actions.reopen(azar, actor=admin_user, reason="اصلاح", until=timezone.now() + dt.timedelta(days=1))
    payment.amount_rials = 3_000_000
    payment.save()
    html = client.get(page).content.decode()
    assert 'data-status="revised"' in html and html.count('data-revised="1"') == 1
    assert "۲٬۰۰۰٬۰۰۰" in html and "۳٬۰۰۰٬۰۰۰" in html
