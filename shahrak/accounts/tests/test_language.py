"""Persian first: the language follows the user's choice, then the cookie, never the browser."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_a_visitor_with_an_english_browser_still_gets_persian(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "fa"
    assert 'dir="rtl"' in response.text


def test_a_visitor_who_chose_english_gets_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "en"


def test_a_signed_in_users_choice_wins_over_the_cookie(client, make_user):
    user = make_user(username="reader", language="en")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"
