"""The ledger's pages in Persian and English, and entering a claim in the web app."""

import re

import pytest
from django.urls import reverse

from shahrak.analysis.fixtures import load_claims
from shahrak.analysis.models import Claim

pytestmark = pytest.mark.django_db


def test_the_ledger_in_persian_shows_verdicts_persian_digits_and_translations(client, viewer):
    load_claims()
    client.force_login(viewer)
    page = client.get(reverse("analysis:ledger"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("data-claim=") == 18
    assert "data-verdict=" in html
    assert "از افتتاح ۶۵۰ کارگاه" in html  # the Persian translation, marked as one
    assert "۱۴۰۱/۰۹/۳۰" in html  # Solar Hijri dates in Persian digits
    assert "۳۸۰٬۲۲۸" in html  # the rate ART-04 implies


def test_the_ledger_in_english_quotes_the_article(client, viewer):
    load_claims()
    client.force_login(viewer)
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("analysis:ledger")).content.decode()
    assert "announced the opening of 650 workshops" in html
    assert "Claims ledger" in html
    assert re.search(r"380,228", html)


def test_a_claim_page_shows_its_check(client, viewer):
    load_claims()
    client.force_login(viewer)
    record = Claim.objects.get(code="ART-04")
    page = client.get(reverse("analysis:claim", args=[record.pk]))
    assert page.status_code == 200
    assert page.context["row"]["outcome"].verdict in ("match", "mismatch")
    assert 'data-testid="claim-check"' in page.content.decode()


def test_an_administrator_adds_a_claim_through_the_form_with_history(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("analysis:claim_add"),
        {
            "code": "NEW-1", "quote": "۶۵۰ کارگاه افتتاح شد", "quote_language": "fa", "outlet": "ایرنا",
            "published_on": "۱۴۰۱/۱۰/۰۱", "metric": "workshops_opened", "period_start": "1401/01/01",
            "period_end": "1401/09/30", "qualifier": "exact", "value": "۶۵۰", "unit": "count",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Claim.objects.get(code="NEW-1")
    assert record.value == 650
    assert record.history.get().history_user == admin_user


def test_a_viewer_may_not_add_claims(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("analysis:claim_add")).status_code == 403


def test_the_ledger_shows_claims_added_after_it_was_first_shown(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("analysis:ledger")).content.decode().count("data-claim=") == 0
    load_claims()
    assert client.get(reverse("analysis:ledger")).content.decode().count("data-claim=") == 18
