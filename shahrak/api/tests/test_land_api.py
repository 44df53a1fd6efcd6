"""Land and workshops in the API (issue 13 item 5): read-only lists and details of plots, applications,
contracts, instalments, land payments, leases and programmes, with the web lists' filters and scope,
applicants' personal data shown as the web shows it, and the seven land figures in /api/metrics/."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from shahrak.accounts.models import Role
from shahrak.land import actions
from shahrak.land.models import Instalment, Programme
from shahrak.land.tests.fixtures import make_application, make_plot, signed
from tests.factories import make_unit, make_workshop

pytestmark = pytest.mark.django_db

LAND = (
    "land/plots", "land/applications", "land/contracts", "land/instalments", "land/payments",
    "land/leases", "land/programmes", "land/programme-members", "land/extensions", "land/transfers",
    "land/holds",
)  # fmt: skip
DAY = dt.date(2022, 4, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        user.language = "en"
        user.save(update_fields=["language"])
        client.force_authenticate(user)
    return client


def results(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_every_land_list_and_detail_answers_a_viewer(land, viewer):
    api = client_for(viewer)
    for slug in LAND:
        rows = results(api.get(f"/api/{slug}/", {"page_size": 1000}))
        assert rows, slug
        detail = api.get(f"/api/{slug}/{rows[0]['id']}/")
        assert detail.status_code == 200, (slug, detail.content)
        assert detail.json()["id"] == rows[0]["id"]
    assert api.get("/api/land/plots/999999/").json() == {"detail": "No plot has this id."}


def test_the_records_as_the_api_gives_them(land, viewer):
    api = client_for(viewer)
    contract = land["contract"]
    body = api.get(f"/api/land/contracts/{contract.pk}/").json()
    assert body["number"] == contract.number and body["estate"] == "TH-L" and body["province"] == "IR-23"
    assert body["plots"] == ["HELD"] and body["status"] == "active"
    assert body["holder"] == contract.holder.national_id and body["signed_date"] == "2022-04-01"
    assert body["deadline_today"] == contract.construction_deadline.isoformat()
    assert body["fee_rials"] == contract.fee_rials and body["cash_share_rials"] == contract.cash_share_rials
    plots = {p["code"]: p for p in results(api.get("/api/land/plots/", {"estate": "TH-L"}))}
    assert plots["FREE"]["status"] == "free" and plots["FREE"]["utilities"] == []
    assert plots["HELD"]["status"] == "allocated"
    assert plots["HELD"]["utilities"] == ["water", "electricity", "gas", "road", "telecom"]
    instalments = results(api.get("/api/land/instalments/", {"contract": contract.number, "page_size": 100}))
    assert [i["number"] for i in instalments] == list(
        Instalment.objects.filter(contract=contract).order_by("id").values_list("number", flat=True)
    )
    assert sum(i["amount_rials"] for i in instalments) == contract.fee_rials
    [payment] = results(api.get("/api/land/payments/", {"contract": contract.number}))
    assert (payment["date"], payment["amount_rials"], payment["reference"]) == (
        "2022-04-01",
        1_000_000,
        "PAY-T1",
    )
    [lease] = results(api.get("/api/land/leases/"))
    assert (lease["estate"], lease["workshop"], lease["end_date"]) == ("TH-L", "W-1", None)
    assert lease["tenant"] == land["lease"].tenant.national_id
    [programme] = results(api.get("/api/land/programmes/"))
    assert (programme["code"], programme["target"], programme["workshops"]) == ("P-API", 10, 1)
    application = api.get(f"/api/land/applications/{land['asked'].pk}/").json()
    assert application["requested_plots"] == ["FREE"] and application["status"] == "submitted"
    assert application["contract"] is None
    signed_on = contract.application
    assert api.get(f"/api/land/applications/{signed_on.pk}/").json()["contract"] == contract.number


def test_lists_take_the_web_lists_filters(land, viewer):
    api = client_for(viewer)

    def codes(slug, key, **query):
        return sorted(r[key] for r in results(api.get(f"/api/{slug}/", {**query, "page_size": 1000})))

    assert codes("land/plots", "code", status="free") == ["FREE"]
    assert codes("land/plots", "code", status="allocated") == ["HELD", "IS-HELD"]
    assert codes("land/plots", "code", serviced="false") == ["FREE"]
    assert codes("land/plots", "code", province="IR-10") == ["IS-HELD"]
    other = land["other_asked"].name
    assert codes("land/applications", "name", q=other) == [other]
    assert codes("land/applications", "status", estate="TH-L") == ["contracted", "submitted"]
    assert codes("land/applications", "name", applied_from="1401/01/12", status="submitted") == sorted(
        [other, land["asked"].name]
    )
    assert codes("land/applications", "name", applied_to="1401/01/11") == []
    assert codes("land/contracts", "number", province="IR-10") == [land["other_contract"].number]
    # Signed in 1401 with a 24-month deadline: both are past it today.
    both = sorted([land["contract"].number, land["other_contract"].number])
    assert codes("land/contracts", "number", stalled="true") == both
    assert codes("land/contracts", "number", stalled="false") == []
    assert codes("land/leases", "workshop", open="true") == ["W-1"]
    assert codes("land/programmes", "code", q="آزمایشی") == ["P-API"]
    assert codes("land/payments", "reference", date_from="1401/01/13") == []
    bad = api.get("/api/land/plots/", {"status": "lost"})
    assert bad.status_code == 400 and "status" in bad.json()
    assert api.get("/api/land/instalments/", {"due_from": "1401/13/01"}).status_code == 400


def test_the_scope_is_the_web_lists_scope(land, officer, client):
    """An officer reads the nation and writes only their province (DESIGN.md, roles): the web's land
    lists show Isfahan's contracts to Tehran's officer, and so does the API; the province filter
    narrows to one province."""
    api = client_for(officer)
    numbers = sorted(r["number"] for r in results(api.get("/api/land/contracts/")))
    assert numbers == sorted([land["contract"].number, land["other_contract"].number])
    client.force_login(officer)
    web = client.get("/land/contracts/")
    assert land["other_contract"].number in web.content.decode()
    assert api.get(f"/api/land/contracts/{land['other_contract'].pk}/").status_code == 200
    own = results(api.get("/api/land/contracts/", {"province": "IR-23"}))
    assert [r["number"] for r in own] == [land["contract"].number]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_stay_in_the_web_apps_actions(land, admin_user, officer, viewer, method):
    for user, status in ((admin_user, 405), (officer, 405), (viewer, 403)):
        api = client_for(user)
        path = "/api/land/plots/" if method == "post" else f"/api/land/plots/{land['free'].pk}/"
        response = getattr(api, method)(path, {"price_per_m2_rials": 1}, format="json")
        assert response.status_code == status, (user.role, method, response.content)
    land["free"].refresh_from_db()
    assert land["free"].price_per_m2_rials == 2_000_000


def test_anonymous_is_refused(land):
    api = client_for(None)
    for slug in LAND:
        assert api.get(f"/api/{slug}/").status_code == 401, slug
    assert api.get(f"/api/land/applications/{land['asked'].pk}/").status_code == 401


@pytest.mark.parametrize("who", ["viewer", "other_officer", "officer"])
def test_applicants_personal_data_is_shown_where_the_web_shows_it(land, who, viewer, officer, make_user):
    """The web's inbox shows no national code, phone or tracking code; an application's page shows
    them to whoever may read it. The API answers the same to the same people."""
    user = {"viewer": viewer, "officer": officer}.get(who) or make_user(
        Role.OFFICER, province="IR-10", username="isfahan-officer"
    )
    asked = land["asked"]
    personal = {
        "applicant_id": asked.applicant_id,
        "phone": asked.phone,
    }
    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    user.language = "en"
    user.save(update_fields=["language"])
    web.force_login(user)
    inbox = web.get("/land/applications/").content.decode()
    page = web.get(f"/land/applications/{asked.pk}/").content.decode()
    assert asked.name in inbox and not any(value in inbox for value in personal.values())
    assert all(value in page for value in personal.values())

    api = client_for(user)
    listed = api.get("/api/land/applications/", {"page_size": 1000}).content.decode()
    assert asked.name in listed and not any(value in listed for value in personal.values())
    detail = api.get(f"/api/land/applications/{asked.pk}/").json()
    assert {key: detail[key] for key in personal} == personal


def test_the_schema_documents_the_land_endpoints_as_read_only(client):
    schema = client.get("/api/schema/?format=json").json()
    for slug in LAND:
        assert set(schema["paths"][f"/api/{slug}/"]) == {"get"}, slug
        assert set(schema["paths"][f"/api/{slug}/{{id}}/"]) == {"get"}, slug
        assert "named actions of the web app" in schema["paths"][f"/api/{slug}/"]["get"]["description"]
    listed = schema["components"]["schemas"]["ApplicationList"]["properties"]
    full = schema["components"]["schemas"]["Application"]["properties"]
    assert {"applicant_id", "phone"} <= set(full) and "tracking_code" not in full  # only its hash is kept
    assert not {"applicant_id", "phone"} & set(listed)
    filters = {p["name"] for p in schema["paths"]["/api/land/contracts/"]["get"]["parameters"]}
    assert {"q", "province", "estate", "status", "stalled", "signed_from", "signed_to"} <= filters


LAND_FIGURES = (
    "land_allocated", "applications", "stalled_contracts", "land_reclaimed", "land_collection",
    "workshop_occupancy", "programme_progress",
)  # fmt: skip


def test_the_seven_land_figures_are_in_the_api(land, viewer):
    from shahrak.core.jalali import parse_period
    from shahrak.estates.scope import parse_scope
    from shahrak.metrics.engine import Filters
    from shahrak.metrics.serialize import metrics_payload

    response = client_for(viewer).get("/api/metrics/", {"year": 1401})
    assert response.status_code == 200, response.content
    body = response.json()
    figures = body.get("metrics", body)
    assert set(LAND_FIGURES) <= set(figures), sorted(figures)
    # The engine's own JSON, as the CLI gives it (the API computes nothing of its own).
    expected = metrics_payload(parse_period(year=1401, start=None, end=None, calendar="jalali"),
                               parse_scope(""), Filters())  # fmt: skip
    expected = json.loads(json.dumps(expected, default=str))
    expected_figures = expected.get("metrics", expected)
    for key in LAND_FIGURES:
        assert figures[key] == expected_figures[key], key
    # Worked out by hand: two contracts signed in 1401, 1,000 m² at 2,000,000 rials a m² each.
    allocated = figures["land_allocated"]
    assert allocated["value"] == {"count": 2, "hectares": "0.2000", "fee_rials": 4_000_000_000}
    assert {row["key"]: row["count"] for row in allocated["breakdowns"]["province"]} == {
        "IR-10": 1,
        "IR-23": 1,
    }
    tehran = client_for(viewer).get("/api/metrics/", {"year": 1401, "scope": "IR-23"}).json()["metrics"]
    assert tehran["land_allocated"]["value"]["count"] == 1


@pytest.mark.parametrize("language", ["en", "fa"])
def test_land_lists_refuse_hostile_filters_by_name_and_never_fail(land, admin_user, language):
    from shahrak.api.land import LAND_VIEWSETS
    from shahrak.core.filters import JalaliDateFilter

    admin_user.language = language
    admin_user.save(update_fields=["language"])
    api = APIClient()
    api.force_authenticate(admin_user)
    for prefix, (_name, viewset) in LAND_VIEWSETS.items():
        for field, filter_ in viewset.filterset_class.base_filters.items():
            for text in ("%", "%s", "{0}", "%(x)s"):
                response = api.get(f"/api/{prefix}/", {field: text})
                assert response.status_code in (200, 400), (prefix, field, text, response.status_code)
                if isinstance(filter_, JalaliDateFilter):
                    assert response.status_code == 400 and list(response.json()) == [field], (prefix, field)


def test_land_lists_ask_the_same_queries_for_more_records(land, viewer, admin_user):
    """No query per row: the day's plot status, a contract's deadline and plots, an application's
    plots and contract and a programme's count come with the list's own queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = client_for(viewer)

    def queries():
        counts = {}
        for slug in LAND:
            with CaptureQueriesContext(connection) as captured:
                assert api.get(f"/api/{slug}/").status_code == 200
            counts[slug] = len(captured)
        return counts

    before = queries()
    estate = land["tehran"]
    for n in range(3):
        contract = signed(estate, admin_user, [make_plot(estate)], day=DAY)
        actions.record_payment(contract, date=DAY, amount_rials=10, actor=admin_user)
        make_application(estate, admin_user, day=DAY).requested_plots.set([make_plot(estate)])
        workshop = make_workshop(estate, completed_date=DAY - dt.timedelta(days=10))
        actions.lease_workshop(
            workshop, make_unit(estate), start=DAY, end=None, monthly_rent_rials=1, actor=admin_user
        )
        programme = Programme.objects.create(code=f"P-Q{n}", name_fa=f"طرح {n}", target=5)
        programme.members.create(workshop=workshop)
        actions.extend(contract, new_deadline=contract.construction_deadline + dt.timedelta(days=9),
                       reason="—", granted=DAY, actor=admin_user)  # fmt: skip
        actions.transfer(contract, make_unit(estate), date=DAY, actor=admin_user)
    assert queries() == before


def test_extensions_transfers_holds_and_members_with_the_web_lists_filters_and_scope(land, viewer, officer):
    api = client_for(viewer)
    other = land["other_contract"]
    [extension] = results(api.get("/api/land/extensions/"))
    assert extension == {
        "id": land["extension"].pk, "contract": other.number, "province": "IR-10", "granted_date": "2022-05-01",
        "new_deadline": (other.construction_deadline + dt.timedelta(days=180)).isoformat(), "reason": "تأخیر برق",
    }  # fmt: skip
    assert results(api.get("/api/land/extensions/", {"province": "IR-23"})) == []
    assert results(api.get("/api/land/extensions/", {"granted_from": "1401/02/12"})) == []  # 2022-05-02
    assert len(results(api.get("/api/land/extensions/", {"granted_from": "1401/02/11"}))) == 1
    [transfer] = results(api.get("/api/land/transfers/", {"contract": other.number}))
    assert (transfer["date"], transfer["to_holder"]) == ("2022-05-11", land["transfer"].to_holder.national_id)
    assert transfer["from_holder"] == land["transfer"].from_holder.national_id
    assert results(api.get("/api/land/transfers/", {"estate": "TH-L"})) == []
    holds = results(api.get("/api/land/holds/", {"estate": "TH-L", "kind": "contract"}))
    assert [(h["plot"], h["contract"], h["start_date"], h["released_on"]) for h in holds] == [
        ("HELD", land["contract"].number, "2022-04-01", None)
    ]
    assert {h["province"] for h in results(api.get("/api/land/holds/", {"province": "IR-10"}))} == {"IR-10"}
    [member] = results(api.get("/api/land/programme-members/", {"programme": "P-API"}))
    assert member == {
        "id": member["id"],
        "programme": "P-API",
        "estate": "TH-L",
        "province": "IR-23",
        "workshop": "W-1",
    }
    assert results(api.get("/api/land/programme-members/", {"province": "IR-10"})) == []
    # An officer of Tehran reads the nation, as on the web lists; nobody writes through the API.
    officer_api = client_for(officer)
    assert len(results(officer_api.get("/api/land/extensions/"))) == 1
    assert officer_api.post("/api/land/transfers/", {}, format="json").status_code == 405
