"""The officer's pages: the inbox, an application carried to a signed contract through the web,
the terms shown before signing, payments and termination, leases; each refusal shown, and an
officer of another province can only read."""

import datetime as dt

import pytest
from django.utils import timezone

from shahrak.core.jalali import format_jalali
from shahrak.land.models import (
    AllocationContract,
    Application,
    ApplicationStatus,
    ContractStatus,
    PlotStatus,
    WorkshopLease,
)
from tests.factories import make_unit, make_workshop, national_id

from .conftest import english
from .fixtures import make_application, make_estate, make_plot

pytestmark = pytest.mark.django_db


def jd(day):
    return format_jalali(day)


@pytest.fixture
def today():
    return timezone.localdate()


def test_an_officer_carries_an_application_to_a_signed_contract(client, officer, today):
    client.force_login(officer)  # in Persian, the officer's language
    estate = make_estate(county="2301")
    plot = make_plot(estate, code="A-12", area=1000, price=2_000_000)
    response = client.post(
        "/land/applications/add/",
        {
            "estate": estate.pk, "applicant_kind": "legal", "applicant_id": national_id(901), "name": "صنایع نمونه",
            "requested_area_m2": "۱۰۰۰", "applied_date": jd(today), "channel": "office", "isic": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    inbox = client.get("/land/applications/?status=submitted")
    assert "صنایع نمونه" in inbox.content.decode()
    page = client.get(f"/land/applications/{application.pk}/")
    assert page.status_code == 200
    assert [(key, weight) for key, _label, weight, _score in page.context["criteria"]] == [
        ("jobs", 30), ("investment", 25), ("technology", 20), ("experience", 15), ("environment", 10),
    ]  # fmt: skip
    assert "۳۰" in page.content.decode()  # the weights shown, in Persian digits
    assert "وزن ۳۰ از ۱۰۰" in page.content.decode()  # and beside each score box
    scores = {"jobs": "80", "investment": "70", "technology": "60", "experience": "50", "environment": "۹۰"}
    client.post(f"/land/applications/{application.pk}/review/", scores)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW and application.score is not None
    client.post(f"/land/applications/{application.pk}/approve/", {"day": jd(today), "plots": "A-12"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    terms = client.get(
        f"/land/applications/{application.pk}/sign/", {"signed": jd(today), "discount_percent": "0"}
    )
    assert terms.status_code == 200
    assert terms.context["terms"].fee_rials == 2_000_000_000
    assert len(terms.context["terms"].schedule) == 13
    # isic missing: the applicant's unit cannot be created, so signing is refused with a message
    refused = client.post(
        f"/land/applications/{application.pk}/sign/", {"signed": jd(today), "discount_percent": "0"}
    )
    assert refused.status_code == 200 and "رشتهٔ آیسیک" in str(refused.context["form"].non_field_errors())
    holder = make_unit(estate)
    signed = client.post(
        f"/land/applications/{application.pk}/sign/",
        {"signed": jd(today), "discount_percent": "0", "holder": holder.national_id},
    )
    contract = AllocationContract.objects.get()
    assert signed.status_code == 302 and signed.url == f"/land/contracts/{contract.pk}/"
    page = client.get(signed.url)
    assert page.status_code == 200 and len(page.context["ledger"].rows) == 13
    assert page.context["ledger"].arrears_rials == contract.cash_share_rials  # due on signing, unpaid
    client.post(f"/land/contracts/{contract.pk}/payment/", {"date": jd(today), "amount_rials": "600,000,000"})
    assert client.get(signed.url).context["ledger"].arrears_rials == 0
    client.post(f"/land/contracts/{contract.pk}/terminate/", {"date": jd(today), "reason": ""})
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE  # no reason, nothing written
    client.post(f"/land/contracts/{contract.pk}/terminate/", {"date": jd(today), "reason": "انصراف"})
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    plot_page = client.get(f"/land/plots/{plot.pk}/")
    assert plot_page.status_code == 200 and plot.status_on(today) == "reclaimed"
    assert str(plot_page.context["status_today"]) == str(PlotStatus.RECLAIMED.label)
    for url in (
        "/land/plots/",
        "/land/contracts/",
        "/land/instalments/",
        "/land/payments/",
        "/land/leases/",
        "/land/programmes/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/land/contracts/?stalled=true").status_code == 200
    assert client.get("/land/plots/?status=free").status_code == 200


def test_an_officer_of_another_province_reads_but_cannot_act(client, make_user, admin_user, today):
    from shahrak.accounts.models import Role

    other = make_user(Role.OFFICER, province="IR-26", username="qazvin")
    estate = make_estate(county="2301")
    application = make_application(estate, admin_user, day=today)
    english(client, other)
    page = client.get(f"/land/applications/{application.pk}/")
    assert page.status_code == 200 and not page.context["may_act"]
    response = client.post(
        f"/land/applications/{application.pk}/reject/", {"day": jd(today), "reason": "x"}, follow=True
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert any("province" in str(m) or "استان" in str(m) for m in response.context["messages"])


def test_leasing_a_workshop_through_the_web(client, admin_user, today):
    english(client, admin_user)
    estate = make_estate()
    workshop = make_workshop(estate, completed_date=today - dt.timedelta(days=30))
    tenant = make_unit(estate)
    response = client.post(
        "/land/leases/add/",
        {
            "estate": estate.code,
            "workshop": workshop.code,
            "tenant": tenant.national_id,
            "start": jd(today),
            "monthly_rent_rials": "50000000",
        },
    )
    lease = WorkshopLease.objects.get()
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.occupant == tenant
    client.post(f"/land/leases/{lease.pk}/end/", {"day": jd(today)})
    lease.refresh_from_db()
    assert lease.end_date == today
    bad = client.post(
        "/land/leases/add/",
        {
            "estate": estate.code,
            "workshop": "nope",
            "tenant": tenant.national_id,
            "start": jd(today),
            "monthly_rent_rials": "1",
        },
    )
    assert bad.status_code == 200 and "workshop" in bad.context["form"].errors
