"""The small land world of the figure tests (test_figures.py describes it)."""

import pytest
from django.utils import translation

from shahrak.core.jalali import parse_jalali as j
from shahrak.land import actions

from .fixtures import deprived_county, make_application, make_estate, make_plot


def contract(estate, actor, area, price, applied, approved, signed):
    application = make_application(estate, actor, day=j(applied))
    actions.approve(application, [make_plot(estate, area=area, price=price)], day=j(approved), actor=actor)
    return actions.sign_contract(application, signed=j(signed), actor=actor)


@pytest.fixture
def land_world(admin_user):
    a = make_estate(county="2301", code="A")
    b = make_estate(county=deprived_county("2601").sci_code, code="B")
    w = make_application(a, admin_user, day=j("1400-12-20"))
    actions.approve(w, [make_plot(a)], day=j("1401-01-05"), actor=admin_user)
    actions.withdraw(w, day=j("1401-01-07"), actor=admin_user)
    c1 = contract(a, admin_user, 10_000, 1_000_000, "1401-01-10", "1401-01-20", "1401-02-01")
    c2 = contract(b, admin_user, 5_000, 2_000_000, "1401-02-20", "1401-02-25", "1401-03-01")
    c3 = contract(a, admin_user, 20_000, 500_000, "1398-12-20", "1398-12-25", "1399-01-05")
    c4 = contract(b, admin_user, 8_000, 1_250_000, "1399-05-01", "1399-05-10", "1399-06-01")
    c5 = contract(a, admin_user, 1_000, 1_000_000, "1399-02-01", "1399-02-10", "1399-03-01")
    actions.terminate(c4, date=j("1401-05-10"), reason="عدم شروع ساخت", actor=admin_user)
    actions.extend(
        c5, new_deadline=j("1402-03-01"), reason="تأخیر برق", granted=j("1401-04-01"), actor=admin_user
    )
    r = make_application(a, admin_user, day=j("1401-04-01"))
    actions.reject(r, "ظرفیت تکمیل", day=j("1401-04-15"), actor=admin_user)
    make_application(a, admin_user, day=j("1401-06-01"))
    for c, day, amount in (
        (c4, "1399-06-01", 1_500_000_000),
        (c4, "1400-01-15", 708_333_333),
        (c2, "1401-03-01", 1_500_000_000),
        (c2, "1401-06-10", 708_333_333),
        (c2, "1402-01-10", 100_000_000),
    ):
        actions.record_payment(c, date=j(day), amount_rials=amount, actor=admin_user)
    return {"a": a, "b": b, "c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5}


@pytest.fixture(autouse=True)
def in_english():
    """The rules' messages are asserted in English (Persian is the default language)."""
    with translation.override("en"):
        yield


def english(client, user):
    """Sign the user in on the test client, reading the pages in English."""
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client
