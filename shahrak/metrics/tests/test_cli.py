"""`shahrak metrics`: JSON and table output, and one-line errors with exit status 2."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> str:
    out = StringIO()
    call_command("metrics", *args, stdout=out)
    return out.getvalue()


def test_json_for_nine_months_of_qazvin(world):
    payload = json.loads(
        run("--from", "1401-01-01", "--to", "1401-09-30", "--scope", "IR-26", "--format", "json")
    )
    assert payload["period"] == {
        "from": "2022-03-21",
        "to": "2022-12-21",
        "from_jalali": "1401-01-01",
        "to_jalali": "1401-09-30",
    }
    assert payload["scope"] == {
        "level": "province",
        "code": "IR-26",
        "name_fa": "قزوین",
        "name_en": "Qazvin",
        "filters": {"estate_kind": None, "deprived_only": False, "rate_source": "free_market"},
    }
    metrics = payload["metrics"]
    assert list(metrics) == [
        "workshops_opened",
        "estates_in_deprived_areas",
        "estates_licensed",
        "infrastructure_spending",
        "projects_underway",
        "planned_spending",
        "units_revived",
        "units_established",
        "idle_units",
        "target_progress",
        "regional_balance",
        # Land and workshops (metrics/land.py), after the article's eleven.
        "land_allocated",
        "applications",
        "stalled_contracts",
        "land_reclaimed",
        "land_collection",
        "workshop_occupancy",
        "programme_progress",
    ]
    # Qazvin paid D1, D2 (1401-01-10, 12 bn at 250,000), D3 (04-05, 6 bn) and D7 (06-20, 1.5 bn)
    # at 350,000: 19.5 bn; at the period-end rate 400,000 that is $48,750.
    # At payment dates: 48,000 + 7.5e9/350,000 = 48,000 + 21,428.571… = 69,428.57.
    assert metrics["infrastructure_spending"]["value"] == {
        "rials": 19_500_000_000,
        "usd_at_period_end": "48750.00",
        "usd_at_payment_dates": "69428.57",
        "rate_at_period_end": "400000.00",
    }
    assert metrics["workshops_opened"]["value"] == 3
    assert metrics["units_revived"]["value"] == {"units": 2, "events": 3, "jobs": 31}
    assert metrics["idle_units"]["value"] == 1
    assert metrics["target_progress"]["breakdowns"]["targets"][0]["ratio"] == "0.4875"
    assert metrics["regional_balance"]["value"]["gini"] == pytest.approx(16 / 33)
    assert metrics["workshops_opened"]["label_en"] == "Workshops opened"


def test_year_shorthand_and_gregorian_calendar_give_the_same_period(world):
    by_year = json.loads(run("--year", "1401", "--format", "json"))
    by_dates = json.loads(
        run("--from", "2022-03-21", "--to", "2023-03-20", "--calendar", "gregorian", "--format", "json")
    )
    assert by_year == by_dates
    assert by_year["period"]["to_jalali"] == "1401-12-29"
    assert by_year["metrics"]["workshops_opened"]["value"] == 4


def test_filters_on_the_command_line(world):
    payload = json.loads(
        run("--year", "1401", "--estate-kind", "zone", "--deprived-only", "--format", "json")
    )
    # Zones in deprived counties: W3 (E2, 2601) and W5 (E3, 2604).
    assert payload["metrics"]["workshops_opened"]["value"] == 2
    assert payload["scope"]["filters"] == {
        "estate_kind": "zone",
        "deprived_only": True,
        "rate_source": "free_market",
    }


def test_table_in_english_and_persian(world):
    english = run("--from", "1401-01-01", "--to", "1401-09-30", "--lang", "en")
    assert english.splitlines()[0] == "Iran, 1 Farvardin 1401 – 30 Azar 1401"
    assert "Workshops opened: 3" in english
    assert "    industrial park: 2" in english
    assert (
        "Infrastructure spending: rials: 23,500,000,000; USD at period-end rate: $58,750.00; "
        "USD at payment-date rates: $79,428.57; USD rate at period end (rials): 400,000.00"
    ) in english
    persian = run("--from", "1401-01-01", "--to", "1401-09-30", "--lang", "fa")
    assert persian.splitlines()[0] == "ایران، ۱ فروردین ۱۴۰۱ – ۳۰ آذر ۱۴۰۱"
    assert "کارگاه‌های افتتاح‌شده: ۳" in persian
    assert "واحدهای راکد: ۳" in persian


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--from", "1401-12-30", "--to", "1402-01-10"],
            "bad date: «1401-12-30» does not exist: Esfand 1401 has 29 days.",
        ),
        (["--from", "1401-05-01", "--to", "1401-01-01"], "--from 1401-05-01 is after --to 1401-01-01"),
        (["--year", "1401", "--scope", "IR-99"], "unknown scope: no province has the code 'IR-99'"),
        (["--year", "1401", "--scope", "NO-SUCH"], "unknown scope: 'NO-SUCH' is not a province"),
        (["--from", "1401-01-01"], "give --year YEAR or both --from and --to"),
        (["--year", "1401", "--from", "1401-01-01"], "give either --year or --from/--to, not both"),
        (["--from", "2022-02-30", "--to", "2022-03-01", "--calendar", "gregorian"], "bad date: «2022-02-30»"),
    ],
)
def test_bad_input_is_a_one_line_error_with_status_2(counties, args, message):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
    assert error.value.returncode == 2


def test_the_default_rate_source_is_read_in_one_place(world, settings, rf):
    # Issue 10, item 2: SHAHRAK["DEFAULT_RATE_SOURCE"] rules the engine, the CLI, the API and the web.
    from rest_framework.test import APIClient

    from shahrak.accounts.models import User
    from shahrak.metrics.base import Filters
    from shahrak.reports.bulletin import build_bulletin
    from shahrak.ui.preferences import rate_source

    settings.SHAHRAK = {**settings.SHAHRAK, "DEFAULT_RATE_SOURCE": "official"}
    assert Filters().rate_source == "official"
    assert (
        json.loads(run("--year", "1401", "--format", "json"))["scope"]["filters"]["rate_source"] == "official"
    )
    assert rate_source(rf.get("/")) == "official"
    client = APIClient()
    client.force_authenticate(User.objects.create_user("analyst", password="x"))
    payload = client.get("/api/metrics/", {"year": "1401"}).json()
    assert payload["scope"]["filters"]["rate_source"] == "official"
    assert "official rate" in build_bulletin(1401, 12, "en").as_text()
