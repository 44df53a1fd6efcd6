"""Refusals: the menus offer each role only what it may use; 403, 404 and 500 pages speak the
reader's language and say what to do."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from .visible import latin_leftovers

MENU_LINK = re.compile(r'class="(?:nav-link|dropdown-item)[^"]*" href="([^"]+)"')


def menu(client) -> list[str]:
    links = MENU_LINK.findall(client.get(reverse("web:catalogue")).content.decode())
    return [link for link in links if link != "#"]  # "#" opens a drop-down


RECORD_LISTS = ["/estates/", "/workshops/", "/units/", "/unit-events/", "/projects/", "/payments/",
                "/planned-payments/", "/land/applications/", "/land/contracts/", "/land/plots/", "/land/leases/",
                "/land/programmes/", "/targets/", "/rates/", "/provinces/", "/counties/"]  # fmt: skip
ANALYST_DESK = ["/ledger/", "/constant-rials/", "/nowcast/"]
READER_MENU = ["/", "/balance/", "/returns/", "/quality/", *ANALYST_DESK, *RECORD_LISTS, "/catalogue/", "/api/docs/"]
WRITER_MENU = [
    "/",
    "/balance/",
    "/returns/",
    "/quality/",
    *ANALYST_DESK,
    *RECORD_LISTS,
    "/imports/",
    "/catalogue/",
    "/api/docs/",
]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("viewer", READER_MENU),
        ("analyst", READER_MENU),
        ("officer", WRITER_MENU),
        ("admin_user", WRITER_MENU),
    ],
)
def test_each_roles_menu_offers_only_what_it_may_use(who, expected, request, login):
    client = login(request.getfixturevalue(who), "fa")
    links = menu(client)
    assert links == expected
    # And every page the menu offers opens for that role.
    assert {link: client.get(link).status_code for link in links} == dict.fromkeys(links, 200)


def test_signed_out_visitors_are_offered_the_catalogue(client, db):
    assert menu(client) == ["/catalogue/"]


@pytest.mark.parametrize(
    ("lang", "heading", "reason"),
    [
        (
            "fa",
            "شما اجازهٔ استفاده از این صفحه را ندارید",
            "نقش شما (تحلیلگر ستادی) اجازهٔ درون‌ریزی رکورد ندارد.",
        ),
        ("en", "You may not use this page", "Your role (national analyst) may not import records."),
    ],
)
def test_403_says_why_and_what_to_do_in_the_readers_language(lang, heading, reason, analyst, login):
    response = login(analyst, lang).get(reverse("imports:upload"))
    page = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{lang}"' in page
    assert f'<h1 class="h4">{heading}</h1>' in page
    assert f'<p class="lead" data-testid="error-reason">{reason}</p>' in page
    assert ("مدیر سامانه" if lang == "fa" else "ask an administrator") in page
    if lang == "fa":
        assert latin_leftovers(page) == []


@pytest.mark.parametrize(
    ("lang", "heading"), [("fa", "چنین صفحه‌ای وجود ندارد"), ("en", "There is no such page")]
)
def test_404_in_the_readers_language(lang, heading, viewer, login):
    response = login(viewer, lang).get("/estates/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{lang}"' in page and f'<h1 class="h4">{heading}</h1>' in page
    assert ("جست‌وجو" if lang == "fa" else "search box") in page
    if lang == "fa":
        assert latin_leftovers(page) == []


@pytest.mark.urls("shahrak.web.tests.urls_500")
@pytest.mark.parametrize(
    ("lang", "heading"), [("fa", "در سامانه خطایی رخ داد"), ("en", "Something went wrong on our side")]
)
def test_500_in_the_readers_language(lang, heading, viewer, db):
    viewer.language = lang
    viewer.save(update_fields=["language"])
    client = Client(raise_request_exception=False)
    client.force_login(viewer)
    response = client.get("/fails/")
    page = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{lang}"' in page and f'<h1 class="h4">{heading}</h1>' in page
    assert ("چند دقیقه" if lang == "fa" else "a few minutes") in page
    if lang == "fa":
        assert latin_leftovers(page) == []


@pytest.mark.parametrize(
    ("lang", "outside", "missing"),
    [
        (
            "en",
            "This development project is outside your province (Tehran); you may only read it.",
            "No development project has the code PRJ-NONE.",
        ),
        ("fa", "این پروژه عمرانی خارج از استان شما (تهران) است؛ فقط می‌توانید آن را مشاهده کنید.", None),
    ],
)
def test_another_provinces_project_is_outside_the_officers_province_not_missing(
    lang, outside, missing, officer
):
    """A payment for a project of another province: the project is there, only not the officer's
    to use; the form says so as the importer and the API do, not that the project does not exist."""
    from django.utils import translation

    from shahrak.imports.tests.sample import build_world
    from shahrak.projects.forms import DisbursementForm

    world = build_world()
    data = {"date": "1401/05/01", "amount_rials": "1000", "funding_source": "internal"}
    with translation.override(lang):
        form = DisbursementForm(data={**data, "project": world.isfahan_project.code}, user=officer)
        assert not form.is_valid()
        assert form.errors["project"] == [outside]
        unknown = DisbursementForm(data={**data, "project": "PRJ-NONE"}, user=officer)
        assert not unknown.is_valid()
        assert unknown.errors["project"] != [outside]
        if missing:
            assert unknown.errors["project"] == [missing]
