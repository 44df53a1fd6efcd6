"""Published and current figures (issue 14 item 3): the figures stored on approval, and each
figure's approval status over a period that spans approved and open months, worked out by hand on
the hand-built world of conftest.py.

Qazvin (IR-26) in Farvardin–Khordad 1401 (months 1–3): workshops W1 opened 1401-01-15 and W5
1401-03-01, so 2 workshops (1 in month 1); payments d1 10 bn + d2 2 bn on 1401-01-10, so 12 bn of
spending, all in month 1; no estate licensed in month 1 (E2 on 1401-02-10).
"""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from shahrak.core.jalali import month_bounds, months_of_year
from shahrak.metrics import engine
from shahrak.metrics.tests.conftest import BILLION, workshop
from shahrak.regions.models import Province
from shahrak.regions.scope import Scope
from shahrak.returns import actions
from shahrak.returns.models import PublishedFigures

pytestmark = pytest.mark.django_db

SPRING = months_of_year(1401, 1, 3)


@pytest.fixture
def qazvin(world):
    province = Province.objects.get(iso_code="IR-26")
    return Scope("province", "IR-26", province.pk, province.name_fa, province.name_en)


def approve(code, year, month, admin, analyst):
    monthly_return = actions.return_for(Province.objects.get(iso_code=code), year, month)
    actions.submit(monthly_return, actor=admin, summary="همه ثبت شد")
    actions.approve(monthly_return, actor=analyst)
    return monthly_return


def reopen(monthly_return, admin):
    actions.reopen(monthly_return, actor=admin, reason="اصلاح", until=timezone.now() + dt.timedelta(days=1))


def test_approval_stores_the_province_months_figures_as_reported(qazvin, admin_user, analyst):
    farvardin = approve("IR-26", 1401, 1, admin_user, analyst)
    published = PublishedFigures.objects.get(monthly_return=farvardin)
    assert published.step.action == "approve" and published.approved_at == farvardin.approved_at
    # By hand, Qazvin in Farvardin 1401 (at its end, 1401-01-31, for the figures at a day):
    # W1; d1 + d2; nothing established, licensed, revived or planned; idle: u2 only (idled
    # 1400-06-01, revived 1401-03-01; u7 closed 1400-01-01); underway: P1 (50 bn) and P6 (1 bn); in deprived
    # counties: E3 (2604, licensed 1399), not E2 (licensed 1401-02-10).
    assert published.figures == {
        "workshops_opened": 1,
        "estates_licensed": 0,
        "units_established": 0,
        "units_revived": {"units": 0, "events": 0, "jobs": 0},
        "infrastructure_spending": {"rials": 12 * BILLION},
        "planned_spending": {"rials": 0},
        "estates_in_deprived_areas": 1,
        "projects_underway": {"count": 2, "credit_rials": 51 * BILLION},
        "idle_units": 1,
    }


def test_a_period_spanning_approved_and_open_months_is_provisional(qazvin, admin_user, analyst):
    figure = engine.compute("workshops_opened", SPRING, qazvin)
    assert figure.value == 2
    assert figure.approval["status"] == "provisional"
    assert (figure.approval["approved"], figure.approval["total"]) == (0, 3)

    approve("IR-26", 1401, 1, admin_user, analyst)
    approve("IR-26", 1401, 2, admin_user, analyst)
    approve("IR-23", 1401, 3, admin_user, analyst)  # another province: not Qazvin's month 3
    figure = engine.compute("workshops_opened", SPRING, qazvin)
    assert figure.approval == {
        "status": "provisional",
        "approved": 2,
        "total": 3,
        "revised_months": [],
        "published_value": None,
        "current_value": None,
    }
    # The nation covers 31 provinces × 3 months; 3 of them are approved.
    nation = engine.compute("workshops_opened", SPRING).approval
    assert (nation["status"], nation["approved"], nation["total"]) == ("provisional", 3, 93)
    # A month alone: Farvardin is approved, Khordad not; a county is its province's months.
    assert engine.compute("workshops_opened", month_bounds(1401, 1), qazvin).approval["status"] == "approved"
    khordad = engine.compute("workshops_opened", month_bounds(1401, 3), qazvin).approval
    assert (khordad["status"], khordad["approved"], khordad["total"]) == ("provisional", 0, 1)
    county = engine.compute("workshops_opened", SPRING, Scope("county", "2603", qazvin_county_pk()))
    assert (county.approval["approved"], county.approval["total"]) == (2, 3)

    approve("IR-26", 1401, 3, admin_user, analyst)
    figure = engine.compute("workshops_opened", SPRING, qazvin)
    assert (figure.approval["status"], figure.approval["approved"], figure.approval["total"]) == (
        "approved",
        3,
        3,
    )
    # Every figure carries it, each from the same months (compute_all shares them).
    assert {r.approval["status"] for r in engine.compute_all(SPRING, qazvin).values()} == {"approved"}


def qazvin_county_pk():
    from shahrak.regions.models import County

    return County.objects.get(sci_code="2603").pk


def test_a_figure_changed_after_approval_is_revised_with_published_and_current(
    qazvin, world, admin_user, analyst
):
    farvardin = approve("IR-26", 1401, 1, admin_user, analyst)
    approve("IR-26", 1401, 2, admin_user, analyst)
    approve("IR-26", 1401, 3, admin_user, analyst)
    reopen(farvardin, admin_user)
    # While Farvardin is open again: a workshop opened in it is entered, and d2 corrected 2 → 5 bn.
    workshop(world.e1, "W9", "1401-01-20")
    world.d2.amount_rials = 5 * BILLION
    world.d2.save()

    results = engine.compute_all(SPRING, qazvin)
    assert results["workshops_opened"].value == 3
    assert results["workshops_opened"].approval == {
        "status": "revised",
        "approved": 2,
        "total": 3,
        "revised_months": [{"province": "IR-26", "month": "1401-01", "published": 1, "current": 2}],
        "published_value": 2,
        "current_value": 3,
    }
    spending = results["infrastructure_spending"].approval
    assert spending["status"] == "revised"
    assert spending["published_value"] == {"rials": 12 * BILLION}
    assert spending["current_value"] == {"rials": 15 * BILLION}
    # Nothing licensed changed: provisional only, 2 of 3 approved while Farvardin is open.
    licensed = results["estates_licensed"].approval
    assert (licensed["status"], licensed["approved"], licensed["revised_months"]) == ("provisional", 2, [])

    # Approved again: all three months approved, and the change since publication still shows.
    actions.submit(farvardin, actor=admin_user, summary="اصلاح شد")
    actions.approve(farvardin, actor=analyst)
    assert PublishedFigures.objects.filter(monthly_return=farvardin).count() == 2
    figure = engine.compute("workshops_opened", SPRING, qazvin).approval
    assert (figure["status"], figure["approved"], figure["total"]) == ("revised", 3, 3)
    assert (figure["published_value"], figure["current_value"]) == (2, 3)
    # The nation too: the revision is of Qazvin's Farvardin, 1 workshop and 3 bn.
    nation = engine.compute("infrastructure_spending", SPRING)
    assert nation.approval["status"] == "revised"
    assert (
        nation.approval["current_value"]["rials"] - nation.approval["published_value"]["rials"] == 3 * BILLION
    )
    assert nation.approval["current_value"] == {"rials": nation.value["rials"]}


def test_reopened_and_approved_again_unchanged_is_approved(qazvin, admin_user, analyst):
    farvardin = approve("IR-26", 1401, 1, admin_user, analyst)
    reopen(farvardin, admin_user)
    assert (
        engine.compute("workshops_opened", month_bounds(1401, 1), qazvin).approval["status"] == "provisional"
    )
    actions.submit(farvardin, actor=admin_user, summary="بی‌تغییر")
    actions.approve(farvardin, actor=analyst)
    assert engine.compute("workshops_opened", month_bounds(1401, 1), qazvin).approval["status"] == "approved"


def test_the_json_of_every_figure_has_its_approval(qazvin, world, admin_user, analyst):
    farvardin = approve("IR-26", 1401, 1, admin_user, analyst)
    reopen(farvardin, admin_user)
    world.d1.amount_rials = 11 * BILLION
    world.d1.save()
    out = StringIO()
    call_command(
        "metrics",
        "--from",
        "1401-01-01",
        "--to",
        "1401-03-31",
        "--scope",
        "IR-26",
        "--format",
        "json",
        stdout=out,
    )
    figures = json.loads(out.getvalue())["metrics"]
    assert set(figures) == set(engine.METRICS)
    for name, figure in figures.items():
        assert set(figure["approval"]) == {
            "status",
            "approved",
            "total",
            "revised_months",
            "published_value",
            "current_value",
        }, name
        assert figure["approval"]["total"] == 3
        assert figure["approval"]["approved"] == 0
    assert figures["workshops_opened"]["approval"]["status"] == "provisional"
    assert figures["infrastructure_spending"]["approval"] == {
        "status": "revised",
        "approved": 0,
        "total": 3,
        "revised_months": [
            {
                "province": "IR-26",
                "month": "1401-01",
                "published": {"rials": 12 * BILLION},
                "current": {"rials": 13 * BILLION},
            }
        ],
        "published_value": {"rials": 12 * BILLION},
        "current_value": {"rials": 13 * BILLION},
    }


def test_the_admin_shows_a_returns_published_figures(qazvin, admin_user, analyst, client):
    from django.urls import reverse

    farvardin = approve("IR-26", 1401, 1, admin_user, analyst)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.get(reverse("admin:returns_monthlyreturn_change", args=[farvardin.pk]))
    assert response.status_code == 200
    assert "12000000000" in response.content.decode()  # the stored spending of Farvardin, 12 bn


def test_the_table_of_every_figure_says_its_approval(qazvin, world, admin_user, analyst):
    """The CLI's table (issue 14 item 5) says what the JSON's approval says, in words, in both languages."""
    farvardin = approve("IR-26", 1401, 1, admin_user, analyst)
    approve("IR-26", 1401, 2, admin_user, analyst)

    def table(*args, lang="en"):
        out = StringIO()
        call_command("metrics", *args, "--scope", "IR-26", "--lang", lang, stdout=out)
        return out.getvalue()

    spring = table("--from", "1401-01-01", "--to", "1401-03-31")
    assert "Workshops opened: 2\n  approval: provisional, 2 of 3 monthly returns approved\n" in spring
    assert "  approval: approved (1 of 1 monthly returns approved)" in table(
        "--from", "1401-01-01", "--to", "1401-01-31"
    )
    reopen(farvardin, admin_user)
    world.d2.amount_rials = 5 * BILLION  # d2 corrected 2 → 5 bn while Farvardin is open again
    world.d2.save()
    actions.submit(farvardin, actor=admin_user, summary="اصلاح شد")
    actions.approve(farvardin, actor=analyst)
    month = table("--from", "1401-01-01", "--to", "1401-01-31")
    assert (
        "  approval: revised: published 12,000,000,000, now 15,000,000,000; 1 of 1 monthly returns approved"
        in month
    )
    persian = table("--from", "1401-01-01", "--to", "1401-01-31", lang="fa")
    assert (
        "وضعیت تأیید: بازنگری‌شده: منتشرشده ۱۲٬۰۰۰٬۰۰۰٬۰۰۰، اکنون ۱۵٬۰۰۰٬۰۰۰٬۰۰۰؛ ۱ از ۱ گزارش ماهانه تأییدشده"
        in persian
    )
