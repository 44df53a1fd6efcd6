"""Query-count baselines (in the manner of NetBox's utilities/testing/query_counts.py): each page
runs exactly the number of queries pinned here. A change that adds a query per row, or any query,
fails here first; when a query is added on purpose, the baseline is changed in the same commit.

Counted for a signed-in administrator on the hand-made sample (shahrak/web/tests/sample.py), with
the session and user lookups of the request included, with the figure cache off (the cost of
computing); the pages asked again with no write since are pinned with it on, at the end.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.money.models import ExchangeRate
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement
from shahrak.regions.models import County, Province
from shahrak.targets.models import Target
from shahrak.units.models import ProductionUnit, UnitEvent

# model: (queries of its list page, queries of one record's page). An estate's page computes its
# five-year figures, a province's its figures of the year: those are the engine's queries.
BASELINES = {
    # The estate's five years of figures each check once that no project or payment lacks its
    # stored place (projects/places.py, places_missing: one query over three partial indexes),
    # and reads once the monthly returns of its province in that year (metrics/approval.py); its
    # site plan is one query (its plots with a polygon, with their status: land/siteplan.py).
    Estate: (5, 50),
    WorkshopUnit: (5, 3),
    ProductionUnit: (5, 5),
    UnitEvent: (5, 4),
    DevelopmentProject: (5, 10),
    Disbursement: (5, 3),
    PlannedDisbursement: (5, 3),
    Target: (5, 3),
    ExchangeRate: (4, 3),
    Province: (4, 18),
    County: (5, 4),
}


@pytest.fixture(autouse=True)
def figures_computed(settings):
    settings.FIGURE_CACHE_SECONDS = 0


def queries_of(client, url):
    client.get(url)  # warm: per-process caches (content types, translations) are not the page's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("model", list(BASELINES), ids=lambda m: m._meta.model_name)
def test_record_pages_run_their_pinned_number_of_queries(model, sample, admin_user, client):
    client.force_login(admin_user)
    meta = model._meta
    list_url = reverse(f"{meta.app_label}:{meta.model_name}_list")
    page_url = reverse(f"{meta.app_label}:{meta.model_name}", args=[model.objects.order_by("pk").first().pk])
    assert (queries_of(client, list_url), queries_of(client, page_url)) == BASELINES[model]


# The pages of figures: the dashboard computes every figure of the year once, the balance page
# its one figure. The default year is read from settings and the calendar, not from the database.
PAGE_BASELINES = {
    # 21 + late and missing returns (their returns, the provinces) + the year-end nowcast of the
    # sample's two targets: one monthly table (ten past years and this one) per target figure
    # + the returns of the year's province-months, for every figure's approval status, read once
    # + the seven land figures' 13 grouped queries (metrics/land.py: 1 + 3 + 1 + 1 + 3 + 2 + 2; the
    # land collection's are whether its tallies are current, then its dues and its payments, and
    # workshop occupancy's are the counts per county and the starts of vacancy)
    # + whether the monthly tallies of finished years are current, once per monthly table (2).
    "web:dashboard": 41,
    # 10 + the returns of the year's province-months (its approval status) + the counties the
    # what-if panel offers (issue 15; its figures are computed only when it is asked).
    "web:balance": 12,
}


@pytest.mark.parametrize("name", list(PAGE_BASELINES))
def test_figure_pages_run_their_pinned_number_of_queries(name, sample, admin_user, client):
    client.force_login(admin_user)
    assert queries_of(client, reverse(name) + "?year=1401") == PAGE_BASELINES[name]


# The same pages asked again with no write since: their figures come from the figure cache
# (shahrak/metrics/cache.py, one query for the data version), the rest of the page as before.
WARM_BASELINES = {
    # + the nowcast's monthly tables of past years (not cached), each with its tallies' state: 2 × 2
    "web:dashboard": 10,
    "web:balance": 5,  # + the what-if panel's counties
}


@pytest.mark.parametrize("name", list(WARM_BASELINES))
def test_figure_pages_asked_again_read_their_figures_from_the_cache(
    name, sample, admin_user, client, settings
):
    from django.core.cache import caches

    settings.FIGURE_CACHE_SECONDS = 600
    caches["figures"].clear()
    client.force_login(admin_user)
    assert queries_of(client, reverse(name) + "?year=1401") == WARM_BASELINES[name]


def test_the_estate_page_asked_again_reads_its_five_years_from_the_cache(
    sample, admin_user, client, settings
):
    from django.core.cache import caches

    settings.FIGURE_CACHE_SECONDS = 600
    caches["figures"].clear()
    client.force_login(admin_user)
    page_url = reverse("estates:estate", args=[Estate.objects.order_by("pk").first().pk])
    assert queries_of(client, page_url) == 25  # the site plan's one query is not a figure
