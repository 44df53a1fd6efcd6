"""The REST API: every record type, the web's filters, the one write path, tokens, keyset pages, figures."""

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shahrak.estates.models import Estate
from shahrak.imports.tests.sample import build_world, snapshot
from shahrak.units.models import ProductionUnit
from tests.factories import national_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return build_world()


def client_for(user) -> APIClient:
    """A client signed in as the user, who reads English (the language is kept on the user)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        user.language = "en"
        user.save(update_fields=["language"])
        client.force_authenticate(user)
    return client


def results(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["results"]


LISTS = {
    "provinces": 31,
    "counties": 429,
    "estates": 2,
    "workshops": 2,
    "units": 3,
    "events": 2,
    "projects": 2,
    "disbursements": 2,
    "planned": 2,
    "targets": 2,
    "rates": 1,
}


@pytest.mark.parametrize("slug", sorted(LISTS))
def test_every_record_type_is_listed_for_a_viewer(slug, world, viewer):
    response = client_for(viewer).get(f"/api/{slug}/", {"page_size": 1000})
    assert len(results(response)) == LISTS[slug]


def test_lists_take_the_web_lists_filters(world, viewer):
    api = client_for(viewer)
    units = results(api.get("/api/units/", {"province": "IR-23"}))
    assert sorted(u["national_id"] for u in units) == sorted(
        [world.tehran_unit.national_id, world.outside_unit.national_id]
    )
    assert [u["name"] for u in results(api.get("/api/units/", {"q": "فولاد", "size_class": "large"}))] == [
        "فولاد سپاهان"
    ]
    assert [e["code"] for e in results(api.get("/api/estates/", {"q": "مورچه"}))] == ["IS-001"]
    payments = results(api.get("/api/disbursements/", {"date_from": "1401/01/01", "date_to": "1401/03/31"}))
    assert [(p["project"], p["date"], p["amount_rials"]) for p in payments] == [
        ("PRJ-T-1", "2022-04-10", 2_500_000_000)
    ]
    assert [p["code"] for p in results(api.get("/api/projects/", {"underway_on": "1401/06/01"}))] == [
        "PRJ-T-1",
        "PRJ-I-1",
    ]
    assert [p["code"] for p in results(api.get("/api/projects/", {"underway_on": "1401/09/10"}))] == [
        "PRJ-T-1"
    ]
    bad = api.get("/api/units/", {"size_class": "gigantic"})
    assert bad.status_code == 400
    assert "size_class" in bad.json()


def test_a_unit_in_full(world, viewer):
    unit = world.isfahan_unit
    assert client_for(viewer).get(f"/api/units/{unit.pk}/").json() == {
        "id": unit.pk,
        "national_id": unit.national_id,
        "name": "فولاد سپاهان",
        "estate": "IS-001",
        "county": "1002",
        "province": "IR-10",
        "isic": "1010",
        "knowledge_based_since": None,
        "employees": 140,
        "size_class": "large",
    }


def test_create_update_delete_go_through_the_write_path(world, admin_user):
    api = client_for(admin_user)
    new_id = national_id(8801)
    created = api.post(
        "/api/units/",
        {"national_id": new_id, "name": "تازه", "estate": "TH-001", "isic": "1079", "employees": 9},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["county"], body["province"], body["size_class"]) == ("2301", "IR-23", "micro")
    unit = ProductionUnit.objects.get(national_id=new_id)
    changed = api.patch(f"/api/units/{unit.pk}/", {"employees": 60}, format="json")
    assert (changed.status_code, changed.json()["size_class"]) == (200, "medium")
    assert list(
        unit.history.order_by("history_id").values_list(
            "history_type", "employees", "history_user__username", "history_change_reason"
        )
    ) == [
        ("+", 9, "admin", "changed through the API"),
        ("~", 60, "admin", "changed through the API"),
    ]
    assert api.delete(f"/api/units/{unit.pk}/").status_code == 204
    assert not ProductionUnit.objects.filter(pk=unit.pk).exists()
    assert unit.history.order_by("-history_id").first().history_type == "-"


def test_model_rules_come_back_as_field_errors(world, admin_user):
    response = client_for(admin_user).post(
        "/api/estates/",
        {
            "code": "TH-002",
            "name_fa": "ش",
            "kind": "park",
            "county": "2301",
            "gross_area_ha": "10",
            "industrial_area_ha": "20",
        },
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"industrial_area_ha": ["Industrial land cannot exceed gross land."]},
    )
    assert not Estate.objects.filter(code="TH-002").exists()
    bad_id = client_for(admin_user).post(
        "/api/units/",
        {"national_id": "10100000017", "name": "x", "county": "2301", "isic": "1079", "employees": 3},
        format="json",
    )
    assert bad_id.status_code == 400
    assert bad_id.json() == {"national_id": ["The check digit of this national ID is wrong."]}


def test_an_officer_writes_only_their_province(world, officer):
    api = client_for(officer)
    before = snapshot()
    refused = api.post(
        "/api/units/",
        {"national_id": national_id(8802), "name": "x", "estate": "IS-001", "isic": "1079", "employees": 3},
        format="json",
    )
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "This production unit is outside your province (Tehran); you may only read it."},
    )
    moved = api.patch(f"/api/units/{world.tehran_unit.pk}/", {"estate": "IS-001"}, format="json")
    assert moved.status_code == 403
    changed = api.patch(f"/api/units/{world.isfahan_unit.pk}/", {"employees": 1}, format="json")
    assert (changed.status_code, changed.json()) == (
        403,
        {"detail": "This production unit is outside your province (Tehran); you may only read it."},
    )
    assert api.delete(f"/api/projects/{world.isfahan_project.pk}/").status_code == 403
    rate = api.post(
        "/api/rates/",
        {"date": "2023-01-01", "currency": "USD", "source": "official", "rials_per_unit": "280000"},
        format="json",
    )
    assert (rate.status_code, rate.json()) == (
        403,
        {"detail": "Your role (provincial officer) may not change exchange rates."},
    )
    assert snapshot() == before
    ok = api.patch(f"/api/units/{world.tehran_unit.pk}/", {"employees": 26}, format="json")
    assert ok.status_code == 200


@pytest.mark.parametrize("who", ["analyst", "viewer"])
def test_readers_write_nothing(world, who, request):
    user = request.getfixturevalue(who)
    api = client_for(user)
    before = snapshot()
    role = {"analyst": "national analyst", "viewer": "viewer"}[who]
    response = api.patch(f"/api/estates/{world.tehran_estate.pk}/", {"name_en": "x"}, format="json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": f"Your role ({role}) may not change estates."},
    )
    assert api.delete(f"/api/targets/{world.national_target.pk}/").status_code == 403
    assert snapshot() == before


def test_deleting_a_record_others_refer_to_is_a_conflict(world, admin_user):
    response = client_for(admin_user).delete(f"/api/estates/{world.tehran_estate.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Other records still refer to this one (")


def test_token_authentication(world, viewer):
    anonymous = APIClient()
    assert anonymous.get("/api/units/").status_code == 401
    viewer.set_password("s3cret-pass")
    viewer.save()
    response = anonymous.post(
        "/api/token/", {"username": viewer.username, "password": "s3cret-pass"}, format="json"
    )
    token = response.json()["token"]
    assert token == Token.objects.get(user=viewer).key
    signed = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert len(results(signed.get("/api/units/"))) == 3
    assert APIClient(HTTP_AUTHORIZATION="Token wrong").get("/api/units/").status_code == 401


def test_keyset_pages_walk_every_record_once(world, viewer):
    api = client_for(viewer)
    seen, url, pages = [], "/api/counties/?page_size=100", 0
    while url:
        body = api.get(url).json()
        assert "count" not in body  # no COUNT(*) over a million rows
        seen += [c["sci_code"] for c in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 5
    assert len(seen) == len(set(seen)) == 429


def test_a_deep_page_reads_from_the_index_not_an_offset(world, viewer):
    api = client_for(viewer)
    next_url = api.get("/api/counties/?page_size=400").json()["next"]
    with CaptureQueriesContext(connection) as queries:
        page = api.get(next_url).json()
    assert len(page["results"]) == 29
    selects = [q["sql"] for q in queries.captured_queries if 'FROM "regions_county"' in q["sql"]]
    assert len(selects) == 1
    assert "OFFSET" not in selects[0].upper()
    assert re.search(r'WHERE .*"regions_county"."id" > ', selects[0])
    assert "COUNT(" not in selects[0].upper()


def test_metrics_are_the_cli_json(world, viewer):
    api = client_for(viewer)
    response = api.get("/api/metrics/", {"from": "1401-01-01", "to": "1401-09-30", "scope": "IR-23"})
    assert response.status_code == 200
    out = StringIO()
    call_command(
        "metrics",
        "--from",
        "1401-01-01",
        "--to",
        "1401-09-30",
        "--scope",
        "IR-23",
        "--format",
        "json",
        stdout=out,
    )
    assert response.json() == json.loads(out.getvalue())
    # Every figure says whether its province-months are approved: Tehran's 9 months, none approved.
    for figure in response.json()["metrics"].values():
        assert (
            figure["approval"]["status"],
            figure["approval"]["approved"],
            figure["approval"]["total"],
        ) == (
            "provisional",
            0,
            9,
        )
    by_year = api.get("/api/metrics/", {"year": 1401, "estate_kind": "park", "deprived_only": "true"}).json()
    out = StringIO()
    call_command(
        "metrics",
        "--year",
        "1401",
        "--estate-kind",
        "park",
        "--deprived-only",
        "--format",
        "json",
        stdout=out,
    )
    assert by_year == json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "1401-12-30", "to": "1401-12-30"}, "from"),
        ({"from": "1401-01-01"}, "from"),
        ({"from": "1401-01-01", "to": "1401-02-01", "scope": "IR-99"}, "scope"),
        ({"year": 1401, "estate_kind": "castle"}, "estate_kind"),
        ({"year": 1401, "rate_source": "rumour"}, "rate_source"),
        ({"year": 1401, "from": "1401-01-01"}, "year"),
        ({"year": "x"}, "year"),
    ],
)
def test_bad_metric_queries_are_400(world, viewer, query, field):
    response = client_for(viewer).get("/api/metrics/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_schema_and_offline_docs(world):
    anonymous = APIClient()
    schema = anonymous.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    for slug in LISTS:
        assert f"/api/{slug}/" in paths and f"/api/{slug}/{{id}}/" in paths
    assert "/api/metrics/" in paths
    html = anonymous.get("/api/docs/").content.decode()
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert scripts
    assert all(not s.startswith(("http:", "https:", "//")) for s in scripts), scripts
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html


def test_dates_round_trip_in_iso(world, admin_user):
    api = client_for(admin_user)
    response = api.post(
        "/api/rates/",
        {"date": "2023-01-01", "currency": "USD", "source": "official", "rials_per_unit": "280000.50"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert {k: v for k, v in response.json().items() if k != "id"} == {
        "date": "2023-01-01",
        "currency": "USD",
        "source": "official",
        "rials_per_unit": "280000.50",
    }
    event = api.post(
        "/api/events/",
        {"unit": world.tehran_unit.national_id, "date": "2021-03-01", "kind": "closed"},
        format="json",
    )
    assert (event.status_code, event.json()) == (
        400,
        {"date": ["An event cannot come before the unit was established."]},
    )
    assert dt.date(2021, 3, 1) not in world.tehran_unit.events.values_list("date", flat=True)


def test_answers_in_the_users_language(world, viewer):
    """A token user is known only inside DRF; the API still answers in the language kept on the user."""
    token = Token.objects.create(user=viewer).key
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    persian = api.patch(f"/api/estates/{world.tehran_estate.pk}/", {"name_en": "x"}, format="json").json()[
        "detail"
    ]
    assert persian.startswith("نقش شما")
    viewer.language = "en"
    viewer.save()
    english = api.patch(f"/api/estates/{world.tehran_estate.pk}/", {"name_en": "x"}, format="json").json()[
        "detail"
    ]
    assert english == "Your role (viewer) may not change estates."


def test_text_is_kept_as_typed_and_codes_read_in_any_digits(world, admin_user):
    api = client_for(admin_user)
    created = api.post(
        "/api/projects/",
        {
            "code": "PRJ-۱۴۰۱-٠٠۷", "estate": "TH-001", "title": "آب‌رسانی فاز ۲ شهرك صنعتي", "category": "water",
            "credit_rials": 10**9, "funding_source": "internal", "approved_date": "2022-04-01",
        },
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    # Arabic ك and ي stored as Persian; the title's digits and ZWNJ as typed; the code's digits Latin.
    assert (created.json()["code"], created.json()["title"]) == ("PRJ-1401-007", "آب‌رسانی فاز ۲ شهرک صنعتی")
    found = results(api.get("/api/projects/", {"q": "آبرسانی فاز 2"}))
    assert [p["code"] for p in found] == ["PRJ-1401-007"]


@pytest.mark.parametrize("typed", ["\u200c\u200c", "\u200b \u200d", "\ufeff"])
def test_a_name_that_shows_nothing_is_blank(world, admin_user, typed):
    """A name of zero-width non-joiners looks blank: refused as blank, as by the web forms and imports."""
    api = client_for(admin_user)
    before = snapshot()
    created = api.post(
        "/api/units/",
        {"national_id": national_id(8811), "name": typed, "estate": "TH-001", "isic": "1079", "employees": 9},
        format="json",
    )
    assert (created.status_code, created.json()) == (400, {"name": ["This field may not be blank."]})
    changed = api.patch(f"/api/estates/{world.tehran_estate.pk}/", {"name_fa": typed}, format="json")
    assert (changed.status_code, changed.json()) == (400, {"name_fa": ["This field may not be blank."]})
    assert snapshot() == before


def test_an_officer_is_told_another_provinces_project_is_outside_their_province(world, officer):
    api = client_for(officer)
    body = {
        "project": world.isfahan_project.code,
        "date": "2022-08-02",
        "amount_rials": 1000,
        "funding_source": "internal",
    }
    refused = api.post("/api/disbursements/", body, format="json")
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "This disbursement is outside your province (Tehran); you may only read it."},
    )


# Codes a Persian message may name: standards, the date format, the body's type, HTTP methods.
CODE_WORDS = {
    "ISO",
    "ISIC",
    "YYYY",
    "MM",
    "DD",
    "JSON",
    "application",
    "json",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
}
WRITABLE = [
    "estates",
    "workshops",
    "units",
    "events",
    "projects",
    "disbursements",
    "planned",
    "targets",
    "rates",
]


def english_words(body) -> set[str]:
    """Latin words in an error body's messages, outside the values it quotes («…») and its keys."""
    found = set()

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            found.update(re.findall(r"[A-Za-z]{2,}", re.sub(r"«[^»]*»", "", str(value))))

    walk(body)
    return found - CODE_WORDS


def test_persian_api_errors_have_no_english_word(world, admin_user):
    """Accept-Language: fa (and the user's language): DRF's own messages («Object with sci_code=…
    does not exist», «A valid biginteger is required», «No Estate matches the given query», a JSON
    parse error) are all in Persian, naming records as people do."""
    admin_user.language = "fa"
    admin_user.save(update_fields=["language"])
    api = APIClient(HTTP_ACCEPT_LANGUAGE="fa")
    api.force_authenticate(admin_user)
    bodies = []
    for slug in WRITABLE:
        fields = api.options(f"/api/{slug}/").json()["actions"]["POST"]
        names = [name for name, field in fields.items() if not field.get("read_only")]
        for bad in ({n: {"a": 1} for n in names}, {n: [1] for n in names}, dict.fromkeys(names, "zz"),
                    dict.fromkeys(names, 10 ** 30), dict.fromkeys(names), {}, "x"):  # fmt: skip
            response = api.post(f"/api/{slug}/", bad, format="json")
            assert response.status_code == 400, (slug, bad)
            bodies.append(response.json())
        missing = api.get(f"/api/{slug}/999999/")
        assert missing.status_code == 404
        bodies.append(missing.json())
    bodies.append(api.post("/api/units/", "{bad", content_type="application/json").json())
    bodies.append(api.post("/api/counties/", {}, format="json").json())
    leaks = {json.dumps(body, ensure_ascii=False)[:200]: english_words(body) for body in bodies}
    assert {text: words for text, words in leaks.items() if words} == {}
    unit = api.post("/api/units/", {"county": "9999"}, format="json").json()
    assert unit["county"] == ["هیچ شهرستان با کد مرکز آمار «9999» ثبت نشده است."]
    assert api.get("/api/estates/999999/").json() == {"detail": "هیچ شهرک/ناحیه با این شناسه ثبت نشده است."}
    assert api.post("/api/units/", "{bad", content_type="application/json").json() == {
        "detail": "بدنهٔ درخواست JSON درستی نیست (سطر ۱، ستون ۲)."
    }


def test_english_api_errors_name_records_as_people_do(world, admin_user):
    api = client_for(admin_user)
    assert api.post("/api/units/", {"county": "9999"}, format="json").json()["county"] == [
        "No county has the SCI code «9999»."
    ]
    assert api.get("/api/estates/999999/").json() == {"detail": "No estate has this id."}
