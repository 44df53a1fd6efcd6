"""The site plan's data: one feature per plot with a polygon, its status on the day by the one rule,
and a link only where the page gives one (the public page: plots that may be handed out)."""

import json
import re

import pytest
from django.urls import reverse

from shahrak.core.jalali import parse_jalali as j
from shahrak.land import actions
from shahrak.land.siteplan import STATUS_COLOURS, site_plan

from .fixtures import approved, make_estate, make_plot

pytestmark = pytest.mark.django_db


def square(x):
    return {"type": "Polygon", "coordinates": [[[x, 0], [x + 10, 0], [x + 10, 10], [x, 10], [x, 0]]]}


@pytest.fixture
def estate(admin_user):
    estate = make_estate()
    free = make_plot(estate, "F", polygon=square(0))
    held = make_plot(estate, "C", polygon=square(10))
    reclaimed = make_plot(estate, "R", polygon=square(20))
    make_plot(estate, "N")  # no polygon: not on the plan
    contract = actions.sign_contract(approved(estate, admin_user, [held], day=j("1401-01-10")),
                                     signed=j("1401-01-10"), actor=admin_user)  # fmt: skip
    gone = actions.sign_contract(approved(estate, admin_user, [reclaimed], day=j("1401-01-10")),
                                 signed=j("1401-01-10"), actor=admin_user)  # fmt: skip
    actions.terminate(gone, date=j("1401-03-01"), reason="عدم شروع ساخت", actor=admin_user)
    return {"estate": estate, "free": free, "held": held, "reclaimed": reclaimed, "contract": contract}


def test_one_feature_per_plot_with_a_polygon_by_its_status(estate):
    plan = site_plan(estate["estate"], j("1401-06-01"), link=lambda plot, status: f"/to/{plot.code}")
    rows = {f["properties"]["code"]: f["properties"] for f in plan["features"]}
    assert {code: row["status"] for code, row in rows.items()} == {
        "F": "free",
        "C": "allocated",
        "R": "reclaimed",
    }
    assert rows["C"]["colour"] == STATUS_COLOURS["allocated"] != rows["F"]["colour"]
    assert rows["F"]["url"] == "/to/F"
    assert plan["features"][0]["geometry"] == square(10)  # C, in code order
    # Before the contracts were signed, every plot was free.
    before = site_plan(estate["estate"], j("1401-01-01"))
    assert {f["properties"]["status"] for f in before["features"]} == {"free"}
    assert site_plan(make_estate(), j("1401-06-01")) is None


def test_the_public_page_passes_the_plan_as_json_and_links_only_what_may_be_applied_for(estate, client):
    page = client.get(reverse("web:catalogue_estate", args=[estate["estate"].code])).content.decode()
    data = json.loads(
        re.search(r'<script id="site-plan-data" type="application/json">(.*?)</script>', page).group(1)
    )
    urls = {f["properties"]["code"]: f["properties"]["url"] for f in data["features"]}
    apply = reverse("web:catalogue_apply", args=[estate["estate"].code])
    assert urls == {
        "C": "",
        "F": f"{apply}?plot={estate['free'].pk}",
        "R": f"{apply}?plot={estate['reclaimed'].pk}",
    }
    assert "/static/vendor/echarts/echarts.min.js" in page  # the project's own copy: no CDN, no tiles
    assert not re.search(r'src="(?:https?:)?//', page)
    # No polygon, no plan.
    bare = make_estate()
    make_plot(bare, "X")
    assert "site-plan" not in client.get(reverse("web:catalogue_estate", args=[bare.code])).content.decode()


def test_the_officers_plan_links_every_plot_to_its_page(estate, admin_user, client):
    client.force_login(admin_user)
    page = client.get(reverse("estates:estate", args=[estate["estate"].pk])).content.decode()
    assert 'id="site-plan-data"' in page
    assert f'"/land/plots/{estate["held"].pk}/"' in page
