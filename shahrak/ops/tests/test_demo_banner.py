"""A database filled by `shahrak demo` says so on every page, in Persian and in English."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shahrak.ops.models import DemoLoad

FA = "داده‌های نمایشی: همهٔ سوابق این سامانه ساختگی‌اند و فقط برای آزمودن شهرک آمده‌اند. این ارقام را نقل نکنید."
EN = "Demo data: every record on this site is invented, for trying Shahrak out. Do not quote these figures."
PAGES = ["/catalogue/", "/accounts/login/", "/", "/estates/", "/figures/workshops_opened/"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def text(response) -> str:
    return response.content.decode()


def test_no_banner_without_the_demo(client, admin_user):
    client.force_login(admin_user)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        assert 'data-testid="demo-banner"' not in text(response), page


def test_the_demo_command_records_itself_and_every_page_shows_the_banner(client, admin_user):
    call_command("demo", scale=0.01, seed=1401, no_analyze=True, verbosity=0)
    assert list(DemoLoad.objects.values_list("scale", "seed")) == [(0.01, 1401)]
    client.force_login(admin_user)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        assert FA in text(response), page
        assert EN not in text(response), page
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    for page in PAGES:
        assert EN in text(client.get(page)), page


def test_the_banner_reads_the_flag_once_a_minute_at_most(client):
    DemoLoad.objects.create(scale=0.1, seed=1)
    with CaptureQueriesContext(connection) as first:
        client.get("/catalogue/")  # reads and caches the flag
    with CaptureQueriesContext(connection) as second:
        response = client.get("/catalogue/")
    assert FA in text(response)
    assert [q for q in first.captured_queries if "ops_demoload" in q["sql"]] != []
    assert [q for q in second.captured_queries if "ops_demoload" in q["sql"]] == []
