"""Lists, record pages, forms and history of every record type, and who may do what."""

import datetime as dt

import pytest
from django.urls import reverse

from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.money.models import ExchangeRate
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement
from shahrak.regions.models import County, Province
from shahrak.targets.models import Target
from shahrak.units.models import ProductionUnit, UnitEvent

from .sample import BILLION, national_id

MODELS = [Estate, WorkshopUnit, ProductionUnit, UnitEvent, DevelopmentProject, Disbursement, PlannedDisbursement,
          Target, ExchangeRate, Province, County]  # fmt: skip


def url(model, action="", pk=None):
    meta = model._meta
    name = f"{meta.app_label}:{meta.model_name}" + (f"_{action}" if action else "")
    return reverse(name, args=[pk] if pk is not None else [])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_every_record_type_has_a_list_and_a_page_for_a_signed_in_reader(model, sample, viewer, login):
    client = login(viewer)
    record = model.objects.first()
    assert client.get(url(model, "list")).status_code == 200
    page = client.get(url(model, "", record.pk))
    assert page.status_code == 200
    # A viewer reads but is offered no editing.
    assert page.context["can_change"] is False


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_lists_need_a_sign_in(model, client, sample):
    response = client.get(url(model, "list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_search_filters_and_counts(sample, viewer, login):
    client = login(viewer)
    page = client.get(url(Estate, "list"), {"province": "IR-04"}).content.decode()
    assert "WA-01" in page and "WA-02" in page and "TH-01" not in page
    assert "2 records" in page
    # Arabic ي and ك are read as Persian ی and ک: «شمس‌آباد» found by «صنعتي».
    page = client.get(url(Estate, "list"), {"q": "صنعتي شمس"}).content.decode()
    assert "TH-01" in page and "WA-01" not in page
    # Dates typed in Persian digits as Solar Hijri: opened from 1401/08/01 → W2 (1401/08/05) and W5.
    page = client.get(url(WorkshopUnit, "list"), {"opened_from": "۱۴۰۱/۰۸/۰۱"}).content.decode()
    assert ">W2<" in page and ">W5<" in page and ">W1<" not in page


def test_yes_no_filters(sample, viewer, login):
    client = login(viewer)
    names = lambda response: [row.record.name for row in response.context["table"].page.object_list]  # noqa: E731
    assert names(client.get(url(ProductionUnit, "list"), {"knowledge_based": "true"})) == ["تراشه‌سازان پارس"]
    assert len(names(client.get(url(ProductionUnit, "list"), {"knowledge_based": "false"}))) == 2
    assert len(names(client.get(url(ProductionUnit, "list"), {"knowledge_based": ""}))) == 3


def test_list_sorting(sample, viewer, login):
    client = login(viewer)
    page = client.get(url(Disbursement, "list"), {"sort": "-amount_rials"}).content.decode()
    # 30, 8, 5, 4 billion rials, largest first.
    positions = [page.index(text) for text in ("30.0", "8.0", "5.0", "4.0")]
    assert positions == sorted(positions)


def test_htmx_request_gets_only_the_results(sample, viewer, login):
    client = login(viewer)
    response = client.get(url(Estate, "list"), {"kind": "zone"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "WA-01" in body and "WA-02" not in body


def test_capped_count_pages_on_without_counting_everything(sample, viewer, login, monkeypatch):
    from shahrak.ui.paginator import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 4)
    client = login(viewer)
    # 6 events: more than the cap of 4; with 5 a page, page 1 has a next page and page 2 has the 6th.
    monkeypatch.setattr("shahrak.units.views.UnitEventListView.per_page", 5)
    first = client.get(url(UnitEvent, "list"))
    assert "More than 4 records" in first.content.decode() and "page=2" in first.content.decode()
    assert len(first.context["table"].page.object_list) == 5
    second = client.get(url(UnitEvent, "list"), {"page": 2})
    assert len(second.context["table"].page.object_list) == 1
    assert not second.context["table"].page.has_next()
    assert client.get(url(UnitEvent, "list"), {"page": 3}).status_code == 404


def test_list_query_count_does_not_grow_with_rows(sample, viewer, login, django_assert_max_num_queries):
    client = login(viewer)
    client.get(url(ProductionUnit, "list"))  # warm the session and caches
    with django_assert_max_num_queries(8):
        assert client.get(url(ProductionUnit, "list")).status_code == 200
    for n in range(20):
        ProductionUnit.objects.create(
            national_id=national_id(f"20200000{n:02d}"), name=f"unit {n}", county=County.objects.get(sci_code="2301"),
            isic_id="1071", employees=3,
        )  # fmt: skip
    with django_assert_max_num_queries(8):
        assert client.get(url(ProductionUnit, "list")).status_code == 200


def test_estate_page_shows_its_workshops_units_projects_and_spending(sample, viewer, login, settings):
    # The five years shown end at the default year; the sample's payments are in 1400 and 1401.
    settings.SHAHRAK = {**settings.SHAHRAK, "DEFAULT_YEAR": 1402}
    client = login(viewer)
    response = client.get(url(Estate, "", sample["th01"].pk))
    related = response.context
    assert related["workshops"].count == 4
    assert related["units"].count == 2
    assert related["projects"].count == 2
    assert related["payments"].count == 3  # 30 + 5 billion in 1401, 4 billion in 1400
    assert related["free_workshops"] == 1  # W3, completed and not handed over
    spending = {row["year"]: row["value"] for row in related["spending"]}
    assert sorted(spending) == [1398, 1399, 1400, 1401, 1402]
    assert spending[1401] == 35 * BILLION and spending[1400] == 4 * BILLION and spending[1402] == 0


def test_adding_an_estate_reads_persian_digits_and_solar_hijri_dates(admin_user, login):
    client = login(admin_user)
    county = County.objects.get(sci_code="2301")
    response = client.post(
        url(Estate, "add"),
        {
            "code": "TH-۰۹", "name_fa": "شهرك صنعتي نمونه‌ی فاز ۲", "kind": "park", "county": county.pk, "status": "licensed",
            "licence_date": "۱۴۰۱/۰۲/۱۵", "gross_area_ha": "۱۲۰٫۵", "industrial_area_ha": "100", "allocated_area_ha": "0",
        },
    )  # fmt: skip
    estate = Estate.objects.get(code="TH-09")
    assert response.status_code == 302 and response["Location"] == url(Estate, "", estate.pk)
    assert estate.licence_date == dt.date(2022, 5, 5)
    assert str(estate.gross_area_ha) == "120.50"
    # Arabic ك and ي stored as Persian; the name's digits and ZWNJ kept as typed, the code's made Latin.
    assert estate.name_fa == "شهرک صنعتی نمونه‌ی فاز ۲"
    assert estate.history.get().history_user == admin_user


def test_a_database_rule_comes_back_as_a_readable_message_on_its_field(admin_user, login):
    client = login(admin_user)
    county = County.objects.get(sci_code="2301")
    response = client.post(
        url(Estate, "add"),
        {
            "code": "TH-09", "name_fa": "نمونه", "kind": "park", "county": county.pk, "status": "operational",
            "gross_area_ha": "10", "industrial_area_ha": "8", "allocated_area_ha": "9",
        },
    )  # fmt: skip
    assert response.status_code == 200  # the form again, with its errors
    errors = response.context["form"].errors
    assert errors["allocated_area_ha"] == ["Allocated land cannot be more than the industrial land."]
    assert errors["operational_date"] == ["An operational estate needs its operational date."]
    assert not Estate.objects.filter(code="TH-09").exists()


def test_persian_messages_for_persian_readers(admin_user, login):
    client = login(admin_user, language="fa")
    response = client.post(url(ProductionUnit, "add"), {"national_id": "10100000011", "name": ""})
    errors = response.context["form"].errors
    assert errors["national_id"] == ["رقم کنترل این شناسه ملی نادرست است."]
    assert errors["name"] == ["این مقدار لازم است."]


def test_editing_keeps_before_and_after_in_the_history(sample, admin_user, login):
    client = login(admin_user)
    project = sample["p1"]
    data = {
        "code": project.code, "estate": project.estate_id, "title": project.title, "title_en": project.title_en,
        "category": "water", "credit_rials": "60,000,000,000", "funding_source": "internal",
        "approved_date": "1400/02/01", "start_date": "1400/03/01", "physical_progress": "۵۵", "status": "underway",
    }  # fmt: skip
    assert client.post(url(DevelopmentProject, "edit", project.pk), data).status_code == 302
    project.refresh_from_db()
    assert project.credit_rials == 60 * BILLION and str(project.physical_progress) == "55.00"
    history = client.get(url(DevelopmentProject, "history", project.pk)).context["entries"]
    newest = history[0]
    assert newest["kind"] == "~" and newest["user"] == admin_user
    changes = {str(c["field"]): (c["old"], c["new"]) for c in newest["changes"]}
    assert changes == {
        "credit (rials)": ("50,000,000,000", "60,000,000,000"),
        "physical progress (%)": ("40.00", "55.00"),
    }


def test_an_officer_writes_only_their_own_province(sample, officer, login):
    client = login(officer)  # Tehran
    th01, wa01 = sample["th01"], sample["wa01"]
    assert client.get(url(Estate, "edit", th01.pk)).status_code == 200
    assert client.get(url(Estate, "edit", wa01.pk)).status_code == 403
    assert client.get(url(Estate, "", th01.pk)).context["can_change"] is True
    assert client.get(url(Estate, "", wa01.pk)).context["can_change"] is False
    # The estates offered for a new workshop are Tehran's only; another province's is refused.
    form = client.get(url(WorkshopUnit, "add")).context["form"]
    assert list(form.fields["estate"].queryset) == [th01]
    response = client.post(
        url(WorkshopUnit, "add"), {"estate": wa01.pk, "code": "W9", "floor_area_m2": "100"}
    )
    assert "estate" in response.context["form"].errors
    response = client.post(
        url(WorkshopUnit, "add"), {"estate": th01.pk, "code": "W9", "floor_area_m2": "100"}
    )
    assert response.status_code == 302
    assert WorkshopUnit.objects.get(code="W9").history.get().history_user == officer


def test_readers_cannot_open_forms(sample, viewer, analyst, login):
    for user in (viewer, analyst):
        client = login(user)
        assert client.get(url(Estate, "add")).status_code == 403
        assert client.get(url(Estate, "edit", sample["th01"].pk)).status_code == 403
        assert client.post(url(Estate, "delete", sample["th01"].pk)).status_code == 403


def test_events_are_entered_as_events(sample, admin_user, login):
    client = login(admin_user)
    unit = sample["u1"]  # established 1401/01/20
    add = url(UnitEvent, "add")
    # Idled needs its cause; revived needs its jobs.
    response = client.post(add, {"unit": unit.national_id, "kind": "idled", "date": "1401/06/01"})
    assert response.context["form"].errors == {"cause": ["Give the cause of idling."]}
    response = client.post(
        add,
        {"unit": unit.national_id, "kind": "idled", "date": "1401/06/01", "cause": "finance", "jobs": "5"},
    )
    assert response.status_code == 302 and response["Location"] == url(ProductionUnit, "", unit.pk)
    idled = UnitEvent.objects.get(unit=unit, kind="idled")
    assert (idled.date, idled.cause, idled.jobs) == (dt.date(2022, 8, 23), "finance", None)
    response = client.post(add, {"unit": unit.national_id, "kind": "revived", "date": "1401/09/01"})
    assert response.context["form"].errors == {"jobs": ["Give the jobs restored (0 if none)."]}
    response = client.post(
        add, {"unit": unit.national_id, "kind": "revived", "date": "1401/09/01", "jobs": "۱۲"}
    )
    assert UnitEvent.objects.get(unit=unit, kind="revived").jobs == 12
    # The sequence rules of the write path: no event before the establishment, one event a day.
    response = client.post(add, {"unit": unit.national_id, "kind": "closed", "date": "1400/01/01"})
    assert response.context["form"].errors == {
        "date": ["An event cannot come before the unit was established."]
    }
    response = client.post(add, {"unit": unit.national_id, "kind": "closed", "date": "1401/09/01"})
    assert response.context["form"].errors == {"date": ["This unit already has an event on this day."]}
    assert UnitEvent.objects.get(unit=unit, kind="revived").history.get().history_user == admin_user


def test_deleting_a_record_with_dependants_is_refused_with_a_reason(sample, admin_user, login):
    client = login(admin_user)
    response = client.post(url(Estate, "delete", sample["th01"].pk), follow=True)
    assert Estate.objects.filter(pk=sample["th01"].pk).exists()
    assert "cannot be deleted while it has" in response.content.decode()
    payment = Disbursement.objects.get(amount_rials=4 * BILLION)
    response = client.post(url(Disbursement, "delete", payment.pk), {"reason": "entered twice"})
    assert response.status_code == 302 and not Disbursement.objects.filter(pk=payment.pk).exists()
    deleted = Disbursement.history.filter(id=payment.pk).latest("history_date")
    assert (deleted.history_type, deleted.history_change_reason, deleted.history_user) == (
        "-",
        "entered twice",
        admin_user,
    )


def test_language_switch_is_kept_on_the_user_and_in_a_cookie(viewer, login, client):
    login(viewer, language="fa")
    response = client.post(reverse("web:set_language"), {"language": "en", "next": "/estates/"})
    assert response.status_code == 302 and response["Location"] == "/estates/"
    viewer.refresh_from_db()
    assert viewer.language == "en"
    assert response.cookies["shahrak_language"].value == "en"
    page = client.get(url(Estate, "list")).content.decode()
    assert '<html lang="en" dir="ltr">' in page


def test_anonymous_language_switch_sets_only_the_cookie(client, db):
    response = client.post(reverse("web:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies["shahrak_language"].value == "en"
    page = client.get(reverse("web:catalogue")).content.decode()
    assert '<html lang="en" dir="ltr">' in page
    client.cookies["shahrak_language"] = "fa"
    page = client.get(reverse("web:catalogue")).content.decode()
    assert '<html lang="fa" dir="rtl">' in page


def test_money_unit_switch(sample, viewer, login):
    client = login(viewer)
    client.post(reverse("web:money_unit"), {"unit": "toman", "next": "/"})
    page = client.get(url(Disbursement, "list")).content.decode()
    # 30 billion rials = 3,000,000,000 tomans.
    assert "3,000,000,000" in page and "tomans" in page


def test_public_catalogue_needs_no_sign_in(sample, client):
    response = client.get(reverse("web:catalogue"))
    assert response.status_code == 200
    rows = {e.code: (e.free_land, e.free_workshops) for e in response.context["page"]}
    # TH-01: 100 − 60 ha free, W3 free; WA-01: 20 − 5 ha, W5 handed over; WA-02 is not operational.
    assert {code: (float(land), n) for code, (land, n) in rows.items()} == {
        "TH-01": (40.0, 1),
        "WA-01": (15.0, 0),
    }
    page = client.get(reverse("web:catalogue_estate", args=["TH-01"]))
    assert [w.code for w in page.context["workshops"]] == ["W3"]
    assert client.get(reverse("web:catalogue_estate", args=["WA-02"])).status_code == 404


def test_catalogue_estate_page_gives_contact_location_and_how_to_apply(sample, client):
    from shahrak.estates.models import Estate

    th01 = Estate.objects.get(code="TH-01")
    th01.contact_phone = "۰۲۱ ۵۶۷۸-۱۲۳۴"  # typed with Persian digits and a space: kept as typed
    th01.save()
    client.cookies["shahrak_language"] = "fa"
    page = client.get(reverse("web:catalogue_estate", args=["TH-01"])).content.decode()
    assert '<a href="tel:02156781234" dir="ltr" data-testid="contact-phone">۰۲۱ ۵۶۷۸-۱۲۳۴</a>' in page
    assert 'href="/catalogue/?county=2301" data-testid="county-link">شهرستان تهران</a>' in page
    assert "چگونه درخواست دهید" in page
    # No coordinates recorded: said so, and no map link.
    assert 'data-testid="geo-link"' not in page
    # The county link lists that county's estates only (TH-01 in 2301 Tehran; WA-01 is in Piranshahr).
    listed = client.get(reverse("web:catalogue"), {"county": "2301"}).context["page"]
    assert [e.code for e in listed] == ["TH-01"]
    assert Estate(contact_phone="+98 21 5678").contact_phone_uri == "tel:+98215678"
    assert Estate(contact_phone="").contact_phone_uri == ""


def test_a_list_exports_with_its_filters(sample, viewer, login):
    client = login(viewer)
    page = client.get(url(Disbursement, "list"), {"category": "water", "page": "1"})
    link = page.context["exports"]["csv"]
    assert link == url(Disbursement, "export") + "?category=water&format=csv"
    response = client.get(link)
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    # A header and the two payments for water (30 and 5 billion rials), not the other two.
    assert len(lines) == 3
    assert all("P-TH-W1" in line for line in lines[1:])
    xlsx = client.get(url(Disbursement, "export"), {"format": "xlsx"})
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert client.get(url(Disbursement, "export"), {"format": "pdf"}).status_code == 404


def test_a_deleted_record_can_be_restored_from_its_history(sample, admin_user, officer, login):
    client = login(admin_user)
    payment = Disbursement.objects.get(amount_rials=8 * BILLION)  # West Azerbaijan
    pk = payment.pk
    client.post(url(Disbursement, "delete", pk), {"reason": "by mistake"})
    rows = client.get(url(Disbursement, "deleted")).context["rows"]
    assert [row.id for row in rows] == [pk]
    # An officer of Tehran may not bring back West Azerbaijan's payment.
    login(officer)
    response = client.post(url(Disbursement, "deleted"), {"history_id": rows[0].history_id}, follow=True)
    assert not Disbursement.objects.filter(pk=pk).exists()
    assert "outside your province" in response.content.decode()
    login(admin_user)
    response = client.post(url(Disbursement, "deleted"), {"history_id": rows[0].history_id})
    assert response["Location"] == url(Disbursement, "", pk)
    restored = Disbursement.objects.get(pk=pk)
    assert (restored.amount_rials, restored.date) == (8 * BILLION, dt.date(2022, 8, 23))
    latest = restored.history.latest("history_date")
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "+", admin_user, "restored after deletion",
    )  # fmt: skip
    assert client.get(url(Disbursement, "deleted")).context["rows"] == []


def test_lists_sort_persian_names_in_persian_order_and_search_ignores_zwnj_spaces_and_digits(
    sample, viewer, login
):
    from shahrak.core.tests.test_collation import PROVINCES_IN_PERSIAN_ORDER

    client = login(viewer, "fa")
    rows = lambda response: [row.record for row in response.context["table"].page.object_list]  # noqa: E731
    response = client.get(url(Province, "list"), {"sort": "name"})
    assert [p.name_fa for p in rows(response)] == PROVINCES_IN_PERSIAN_ORDER
    response = client.get(url(Province, "list"), {"sort": "-name"})
    assert [p.name_fa for p in rows(response)] == PROVINCES_IN_PERSIAN_ORDER[::-1]
    # The province filter of every list, in Persian order on a Persian page.
    choices = client.get(url(Estate, "list")).context["filter_form"].fields["province"].widget.choices
    assert choices[0][0] == "" and [label for _value, label in choices[1:]] == PROVINCES_IN_PERSIAN_ORDER
    # Counties by name: گ after ک, پ after ب.
    page = client.get(url(County, "list"), {"sort": "name", "province": "IR-23"})
    assert [c.name_fa for c in rows(page)] == [
        "اسلامشهر", "بهارستان", "پاکدشت", "پردیس", "پیشوا", "تهران", "دماوند", "رباط کریم", "ری", "شمیرانات",
        "شهریار", "فیروزکوه", "قدس", "قرچک", "ملارد", "ورامین",
    ]  # fmt: skip
    estate = Estate.objects.first()
    Estate.objects.filter(pk=estate.pk).unaudited_update(name_fa="شهرک آزمون\u200cگر فاز ۲")
    for query in ("آزمونگر", "آزمون گر", "آزمون\u200cگر", "فاز 2", "فاز۲"):
        found = rows(client.get(url(Estate, "list"), {"q": query}))
        assert [e.pk for e in found] == [estate.pk], query
