"""The figure pages show the engine's numbers, and a figure's records add up to it.

Expected values are counted by hand from tests/sample.py (year 1401, nation).
"""

import json

import pytest
from django.urls import reverse

from .sample import BILLION, j

YEAR = {"period": "year", "year": "1401"}


def cards(response) -> dict:
    return {card["name"]: card["value"] for card in response.context["cards"]}


def test_dashboard_cards_show_the_figures_of_the_period(sample, viewer, login):
    client = login(viewer)
    response = client.get(reverse("web:dashboard"), YEAR)
    values = cards(response)
    assert values == {
        "workshops_opened": 3,
        "estates_in_deprived_areas": 2,
        "estates_licensed": 2,
        "infrastructure_spending": 43 * BILLION,
        "projects_underway": 2,
        "planned_spending": 2 * BILLION,
        "units_revived": 1,
        "units_established": 1,
        "idle_units": 1,
        "regional_balance": 43 * BILLION,
        # Land and workshops: no land records in the sample; its five workshops are completed by
        # the year's end (W1, W2, W3, W4, W5), the land figures' only non-zero card.
        "land_allocated": 0,
        "applications": 0,
        "stalled_contracts": 0,
        "land_reclaimed": 0,
        "land_collection": 0,
        "workshop_occupancy": 5,
        "programme_progress": 0,
    }
    text = {card["name"]: card["text"] for card in response.context["cards"]}
    assert text["infrastructure_spending"] == "43.0 billion rials"
    targets = {
        t["metric"]: (t["achieved"], t["target"], t["ratio_text"]) for t in response.context["targets"]
    }
    assert targets == {"workshops_opened": (3, 4, "75%"), "units_revived": (1, 2, "50%")}


def test_dashboard_period_scope_and_filters(sample, viewer, login):
    client = login(viewer)
    # The first nine months of 1401 in West Azerbaijan: W5 was opened in Bahman (month 11), so none.
    values = cards(
        client.get(
            reverse("web:dashboard"),
            {"period": "months", "year": "1401", "m1": "1", "m2": "9", "scope": "IR-04"},
        )
    )
    assert values["workshops_opened"] == 0 and values["infrastructure_spending"] == 8 * BILLION
    # Industrial zones only: W5 and the 8 billion paid for the Piranshahr power line.
    values = cards(client.get(reverse("web:dashboard"), {**YEAR, "kind": "zone"}))
    assert values["workshops_opened"] == 1 and values["infrastructure_spending"] == 8 * BILLION
    # A range typed in Persian digits: 1401/02/01 – 1401/08/30 holds W1 and W2, and 30 + 8 billion.
    values = cards(
        client.get(reverse("web:dashboard"), {"period": "range", "start": "۱۴۰۱/۰۲/۰۱", "end": "۱۴۰۱/۰۸/۳۰"})
    )
    assert values["workshops_opened"] == 2 and values["infrastructure_spending"] == 38 * BILLION


def test_bad_period_is_reported_and_the_default_shown(sample, viewer, login, settings):
    from shahrak.core.jalali import year_bounds

    settings.SHAHRAK = {**settings.SHAHRAK, "DEFAULT_YEAR": 1401}
    client = login(viewer)
    response = client.get(
        reverse("web:dashboard"), {"period": "months", "year": "1401", "m1": "9", "m2": "3"}
    )
    assert response.context["q"].errors == ["The last month comes before the first."]
    assert response.context["q"].period == year_bounds(1401)  # the one default: SHAHRAK["DEFAULT_YEAR"]
    assert cards(response)["workshops_opened"] == 3


def test_the_default_period_is_this_iranian_year_without_a_query(db, settings, django_assert_num_queries):
    import datetime as dt

    from shahrak.core.jalali import default_period, parse_period, year_bounds

    settings.SHAHRAK = {**settings.SHAHRAK, "DEFAULT_YEAR": None}
    with django_assert_num_queries(0):
        assert default_period(dt.date(2026, 12, 2)) == year_bounds(1405)
        assert parse_period(today=dt.date(2022, 3, 20)) == year_bounds(1400)  # 29 Esfand 1400


@pytest.mark.parametrize(
    ("name", "extra", "expected", "rows"),
    [
        ("workshops_opened", {}, {"count": 3}, 3),
        ("infrastructure_spending", {}, {"rials": 43 * BILLION, "payments": 3}, 3),
        (
            "infrastructure_spending",
            {"bd": "category", "key": "water"},
            {"rials": 35 * BILLION, "payments": 2},
            2,
        ),
        (
            "infrastructure_spending",
            {"bd": "funding_source", "key": "provincial"},
            {"rials": 8 * BILLION, "payments": 1},
            1,
        ),
        ("projects_underway", {}, {"count": 2, "credit_rials": 70 * BILLION}, 2),
        ("units_revived", {}, {"units": 1, "events": 1, "jobs": 7}, 1),
        ("units_established", {"bd": "tech_intensity", "key": "high"}, {"count": 1}, 1),
        ("units_established", {"bd": "size_class", "key": "large"}, {"count": 0}, 0),
        ("idle_units", {"bd": "cause", "key": "market"}, {"count": 1}, 1),
        ("estates_licensed", {"scope": "IR-04", "bd": "estate_kind", "key": "zone"}, {"count": 1}, 1),
        ("target_progress", {}, {"targets": 2}, 2),
    ],
)
def test_a_figures_records_add_up_to_it(sample, viewer, login, name, extra, expected, rows):
    client = login(viewer)
    response = client.get(reverse("web:drilldown", args=[name]), {**YEAR, **extra})
    totals = {t["key"]: t["value"] for t in response.context["totals"]}
    assert totals == expected
    assert all(t["matches"] for t in response.context["totals"])
    assert len(response.context["table"].page.object_list) == rows


def test_drilldown_of_an_unknown_figure_or_part(sample, viewer, login):
    client = login(viewer)
    assert client.get(reverse("web:drilldown", args=["nothing"])).status_code == 404
    assert (
        client.get(
            reverse("web:drilldown", args=["workshops_opened"]), {"bd": "category", "key": "x"}
        ).status_code
        == 404
    )


def test_trend_and_map_data(sample, viewer, login):
    client = login(viewer)
    trend = json.loads(client.get(reverse("web:trend"), {**YEAR, "metric": "workshops_opened"}).content)
    # W1 in Ordibehesht (2), W2 in Aban (8), W5 in Bahman (11); by year W4 in 1400.
    assert trend["monthly"]["values"] == [0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0]
    assert trend["yearly"]["values"] == [0, 0, 0, 1, 3]
    # A bar opens its records: Aban (month 8) holds W2 only.
    aban = client.get(trend["monthly"]["urls"][7])
    assert [row.record.code for row in aban.context["table"].page.object_list] == ["W2"]
    year_1400 = client.get(trend["yearly"]["urls"][3])
    assert [row.record.code for row in year_1400.context["table"].page.object_list] == ["W4"]
    spending = json.loads(
        client.get(reverse("web:trend"), {**YEAR, "metric": "infrastructure_spending"}).content
    )
    assert spending["yearly"]["values"] == [0.0, 0.0, 0.0, 4.0, 43.0]  # billion rials
    assert spending["unit"] == "billion rials"
    data = json.loads(client.get(reverse("web:map"), {**YEAR, "metric": "infrastructure_spending"}).content)
    values = {row["name"]: row["value"] for row in data["values"] if row["value"]}
    assert len(data["values"]) == 31 and values == {"IR-04": 8.0, "IR-23": 35.0}
    data = json.loads(client.get(reverse("web:map"), {**YEAR, "metric": "workshops_opened"}).content)
    assert {row["name"]: row["value"] for row in data["values"] if row["value"]} == {"IR-04": 1, "IR-23": 2}


def test_regional_balance_page(sample, viewer, login):
    client = login(viewer)
    response = client.get(reverse("web:balance"), {**YEAR, "w1": "2", "w2": "۰٫۵", "w3": "1", "w4": "0"})
    assert response.status_code == 200
    value = response.context["value"]
    assert value["spending_rials"] == 43 * BILLION
    assert value["weights"] == [2.0, 0.5, 1.0, 0.0]
    # Counties with capacity: Tehran (metropolis: 35 billion spent, 40 ha free, 1 idle unit) and
    # Piranshahr (8 billion for 138,864 people; 15 ha free). Both spend more per person than
    # μ = 43 billion over the nation's people, so none is under-served: both are listed apart.
    response = client.get(
        reverse("web:balance"), {**YEAR, "w1": "2", "w2": "۰٫۵", "w3": "1", "w4": "0", "sizes": "all"}
    )
    assert response.context["ranking"] == []
    well_funded = response.context["well_funded"]
    assert [row["key"] for row in well_funded] == ["0402", "2301"]
    assert well_funded[0]["per_capita_rials"] == 57_610  # 8,000,000,000 / 138,864 = 57,610.0
    assert all(row["per_capita_rials"] > response.context["value"]["per_capita_rials"] for row in well_funded)
    bad = client.get(reverse("web:balance"), {**YEAR, "w1": "-1"})
    assert bad.context["weight_errors"] == ["Weight 1 must be a number not below zero."]


def test_the_parts_on_a_card_and_a_targets_achievement_click_through_to_their_records(sample, viewer, login):
    client = login(viewer)
    response = client.get(reverse("web:dashboard"), YEAR)
    card = next(c for c in response.context["cards"] if c["name"] == "workshops_opened")
    lines = {label: (text, link) for label, text, link in card["lines"]}
    text, link = lines["industrial park"]
    assert text == "2"
    drill = client.get(link)
    assert {t["key"]: t["value"] for t in drill.context["totals"]} == {"count": 2}
    target = next(t for t in response.context["targets"] if t["metric"] == "units_revived")
    drill = client.get(target["url"])
    assert {t["key"]: t["value"] for t in drill.context["totals"]} == {"units": 1, "events": 1, "jobs": 7}


# --- Every kind of scope keeps its period and filters on every figure page (issue 9, item 1) ---

SCOPES = [("", "nation"), ("IR-04", "province"), ("0402", "county"), ("WA-01", "estate")]


@pytest.mark.parametrize(("code", "level"), SCOPES)
@pytest.mark.parametrize(
    "name",
    [
        "workshops_opened", "estates_in_deprived_areas", "estates_licensed", "infrastructure_spending",
        "projects_underway", "planned_spending", "units_revived", "units_established", "idle_units",
        "target_progress", "regional_balance",
    ],
)  # fmt: skip
def test_every_scope_keeps_period_and_filters_on_every_figure_page(sample, viewer, login, name, code, level):
    from shahrak.core.jalali import months_of_year

    client = login(viewer)
    params = {
        "period": "months",
        "year": "1400",
        "m1": "4",
        "m2": "6",
        "scope": code,
        "kind": "zone",
        "deprived": "on",
    }
    response = client.get(reverse("web:drilldown", args=[name]), params)
    assert response.status_code == 200
    q = response.context["q"]
    assert q.errors == []
    assert q.period == months_of_year(1400, 4, 6)
    assert (q.scope.level, q.scope.code) == (level, code)
    assert (q.filters.estate_kind, q.filters.deprived_only) == ("zone", True)
    # The period form shows the scope it was given, selected.
    assert response.context["q"].form["scope"].value() == code
    if code:
        assert (code, q.scope.name_en) in response.context["q"].form.fields["scope"].choices


def test_links_from_the_ranking_and_an_estate_page_keep_their_period(sample, viewer, login):
    from urllib.parse import parse_qs, urlsplit

    from shahrak.core.jalali import year_bounds
    from shahrak.estates.models import Estate

    client = login(viewer)
    response = client.get(reverse("web:balance"), {**YEAR, "sizes": "all"})
    links = [row["url"] for row in response.context["ranking"] + response.context["well_funded"]]
    assert len(links) == 2
    for url in links:
        q = client.get(url).context["q"]
        assert q.errors == [] and q.period == year_bounds(1401) and q.scope.level == "county"
    estate = Estate.objects.get(code="WA-01")
    page = client.get(reverse("estates:estate", args=[estate.pk]))
    years = page.context["spending"]
    assert len(years) == 5
    for row in years:
        url = urlsplit(row["url"])
        q = client.get(f"{url.path}?{url.query}").context["q"]
        year = int(parse_qs(url.query)["year"][0])
        assert (
            q.errors == []
            and q.period == year_bounds(year)
            and (q.scope.level, q.scope.code) == ("estate", "WA-01")
        )


def test_every_dashboard_cards_parts_add_up_to_its_total(sample, viewer, login):
    """Issue 9, item 4: with four kinds of estate, no kind (technology parks) is left out of a card."""
    from decimal import Decimal

    from shahrak.estates.models import Estate, WorkshopUnit
    from shahrak.regions.models import County

    from .sample import j

    piranshahr = County.objects.get(sci_code="0402")
    for code, kind, workshops in (("WA-T1", "technology", 2), ("WA-S1", "specialized", 1)):
        estate = Estate.objects.create(
            code=code, name_fa=code, name_en=code, kind=kind, county=piranshahr, status="operational",
            licence_date=j("1401/02/01"), operational_date=j("1401/03/01"),
            gross_area_ha=Decimal("10"), industrial_area_ha=Decimal("8"), allocated_area_ha=Decimal("1"),
        )  # fmt: skip
        for n in range(workshops):
            WorkshopUnit.objects.create(
                estate=estate, code=f"{code}-{n}", floor_area_m2=Decimal("100"),
                completed_date=j("1401/04/01"), opened_date=j("1401/05/01"),
            )  # fmt: skip
    client = login(viewer)
    cards_ = client.get(reverse("web:dashboard"), YEAR).context["cards"]
    with_parts = {card["name"]: (card["value"], card["parts"]) for card in cards_ if card["parts"]}
    # workshops 3 + 2 + 1, deprived estates 2 + 2, licensed 2 + 2, idle units 1 (by cause).
    assert {name: value for name, (value, _) in with_parts.items()} == {
        "workshops_opened": 6, "estates_in_deprived_areas": 4, "estates_licensed": 4, "idle_units": 1,
    }  # fmt: skip
    assert sorted(with_parts["workshops_opened"][1]) == [1, 1, 2, 2]
    for name, (value, parts) in with_parts.items():
        assert sum(parts) == value, name
    # Every card's lines that are parts are the same parts, each with its link to its records.
    for card in cards_:
        part_links = [url for _, _, url in card["lines"] if url and "bd=" in url]
        if card["parts"]:
            assert len(part_links) >= len(card["parts"])


def test_balance_page_ranks_small_counties_with_an_all_sizes_switch(sample, viewer, login):
    """Issue 9, item 2. 1401: S = 43 bn over the nation. Tehran (2301, metropolis; Shamsabad has
    100 − 60 = 40 ha free) is left out by default; Piranshahr (0402, 8 bn for its people, far above
    μ) has 15 ha free in its zone, operational since 1 Dey: "has capacity, already well funded"."""
    client = login(viewer)
    page = client.get(reverse("web:balance"), YEAR).context
    assert page["all_sizes"] is False
    assert all(row["size_class"] == "small" for row in page["ranking"])
    assert [row["key"] for row in page["well_funded"]] == ["0402"]
    assert "2301" not in [row["key"] for row in page["ranking"]]
    everything = client.get(reverse("web:balance"), {**YEAR, "sizes": "all"}).context
    assert everything["all_sizes"] is True
    assert [row["key"] for row in everything["well_funded"]] == ["0402", "2301"]
    assert "sizes=all" in page["sizes_url"] and "sizes" not in everything["sizes_url"]
    assert [str(w) for w in page["weights"]] == ["2.0", "1.0", "1.0", "0.5"]


def test_provisional_status_is_labelled_on_the_balance_page_and_the_deprived_card(sample, viewer, login):
    from shahrak.regions.models import County

    County.objects.unaudited_update(deprivation_basis="decree")
    client = login(viewer)
    assert client.get(reverse("web:balance"), YEAR).context["provisional"] == []
    assert b'data-testid="provisional' not in client.get(reverse("web:dashboard"), YEAR).content
    County.objects.filter(sci_code="0402").unaudited_update(deprivation_basis="provisional")
    response = client.get(reverse("web:balance"), YEAR)
    assert response.context["provisional"] == ["0402"]
    assert (
        "Provisional: the less-developed status of 1 county in scope rests on a provisional rule"
        in response.content.decode()
    )
    dashboard = client.get(reverse("web:dashboard"), YEAR)
    labelled = {card["name"] for card in dashboard.context["cards"] if card["provisional"]}
    # land_allocated too: it is broken down by the county's deprivation (deprived / not).
    assert labelled == {"estates_in_deprived_areas", "regional_balance", "land_allocated"}
    assert 'data-testid="provisional-estates_in_deprived_areas"' in dashboard.content.decode()
    # Tehran's province holds no provisional county: no label there.
    assert client.get(reverse("web:balance"), {**YEAR, "scope": "IR-23"}).context["provisional"] == []


def test_every_figure_page_labels_its_approval_status(sample, viewer, admin_user, analyst, login):
    # Tehran (IR-23) in 1401: 12 province-months. None approved: every card provisional, 0 of 12.
    import datetime as dt

    from django.utils import timezone

    from shahrak.regions.models import Province
    from shahrak.returns import actions

    query = {**YEAR, "scope": "IR-23"}
    client = login(viewer)
    dashboard = client.get(reverse("web:dashboard"), query)
    assert {
        (c["approval"]["status"], c["approval"]["approved"], c["approval"]["total"])
        for c in dashboard.context["cards"]
    } == {("provisional", 0, 12)}
    assert 'data-testid="approval-workshops_opened" data-status="provisional"' in dashboard.content.decode()
    assert "0 of 12 monthly returns approved" in dashboard.content.decode()

    tehran = Province.objects.get(iso_code="IR-23")
    returns = {}
    for month in range(1, 13):
        returns[month] = actions.return_for(tehran, 1401, month)
        actions.submit(returns[month], actor=admin_user, summary="ثبت شد")
        actions.approve(returns[month], actor=analyst)
    dashboard = client.get(reverse("web:dashboard"), query)
    assert {c["approval"]["status"] for c in dashboard.context["cards"]} == {"approved"}
    assert "(all 12 monthly returns)" in dashboard.content.decode()

    # Ordibehesht reopened and its 30 bn payment (1401/02/15) corrected to 33 bn: spending revised.
    actions.reopen(returns[2], actor=admin_user, reason="اصلاح", until=timezone.now() + dt.timedelta(days=1))
    from shahrak.projects.models import Disbursement

    payment = Disbursement.objects.get(date=j("1401/02/15"))
    payment.amount_rials = 33 * BILLION
    payment.save()
    dashboard = client.get(reverse("web:dashboard"), query)
    spending = next(c for c in dashboard.context["cards"] if c["name"] == "infrastructure_spending")
    assert spending["approval"]["status"] == "revised"
    assert spending["approval"]["published_value"] == {"rials": 35 * BILLION}  # 30 + 5 of Tehran
    assert spending["approval"]["current_value"] == {"rials": 38 * BILLION}
    html = dashboard.content.decode()
    assert (
        f"published {spending['approval']['published_text']}, now {spending['approval']['current_text']}"
        in html
    )
    assert spending["approval"]["published_text"] != spending["approval"]["current_text"]
    workshops = next(c for c in dashboard.context["cards"] if c["name"] == "workshops_opened")
    assert (workshops["approval"]["status"], workshops["approval"]["approved"]) == ("provisional", 11)

    drill = client.get(reverse("web:drilldown", args=["infrastructure_spending"]), query)
    assert 'data-testid="approval" data-status="revised"' in drill.content.decode()
    assert "11 of 12 monthly returns approved" in drill.content.decode()
    balance = client.get(reverse("web:balance"), query)
    assert balance.context["approval"]["status"] == "provisional"

    persian = login(viewer, "fa").get(reverse("web:drilldown", args=["infrastructure_spending"]), query)
    text = persian.content.decode()
    assert "بازنگری‌شده" in text and "منتشرشده" in text and "۱۱ از ۱۲ گزارش ماهانه تأیید شده" in text
