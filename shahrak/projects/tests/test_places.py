"""Projects and payments store where they are (places.py), kept right by every write path.

The stored estate, county, province and category are a cache that the figures read; the records
(a payment's project, a project's estate, an estate's county, a county's province) are the truth.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from shahrak.core.jalali import year_bounds
from shahrak.estates.scope import parse_scope
from shahrak.imports.importer import import_file
from shahrak.imports.tests.helpers import write_csv
from shahrak.metrics.engine import compute_all
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement
from shahrak.projects.places import PLACES_MISSING_WARNING, refresh_places, stale_places
from shahrak.records.actions import save_record
from shahrak.regions.models import County, Province
from tests.factories import make_disbursement, make_estate, make_project

pytestmark = pytest.mark.django_db


def place(record) -> tuple:
    """What the record stores: (estate code, county SCI code, province ISO code, category)."""
    record.refresh_from_db()
    estate = getattr(record, "estate", None)
    return (
        estate.code if estate else None,
        record.county.sci_code if record.county_id else None,
        record.province.iso_code if record.province_id else None,
        getattr(record, "category", None),
    )


def all_in_step() -> bool:
    return not any(stale_places().values())


@pytest.fixture
def scene(db):
    class Scene:
        pass

    s = Scene()
    s.tehran = make_estate("2301", code="TH-1")
    s.isfahan = make_estate("1002", code="IS-1")
    s.project = make_project(s.tehran, code="PRJ-1", category="water")
    s.payment = make_disbursement(s.project, dt.date(2022, 5, 1), 4_000_000_000)
    s.plan = PlannedDisbursement.objects.create(project=s.project, year=1401, month=3, amount_rials=10**9)
    return s


def test_a_new_project_and_its_payments_store_where_they_are(scene):
    assert place(scene.project) == ("TH-1", "2301", "IR-23", "water")
    assert place(scene.payment) == ("TH-1", "2301", "IR-23", "water")
    assert place(scene.plan) == ("TH-1", "2301", "IR-23", "water")
    assert all_in_step()


def test_save_record_copies_the_place_of_the_project(scene, admin_user):
    payment = Disbursement(
        project=scene.project, date=dt.date(2022, 6, 1), amount_rials=10**6, funding_source="internal"
    )
    save_record(payment, actor=admin_user)
    assert place(payment) == ("TH-1", "2301", "IR-23", "water")
    plan = PlannedDisbursement(project=scene.project, year=1401, month=4, amount_rials=5)
    save_record(plan, actor=admin_user)
    assert place(plan) == ("TH-1", "2301", "IR-23", "water")
    # A payment moved to another project takes that project's place.
    other = make_project(scene.isfahan, code="PRJ-2", category="gas")
    payment.project = other
    save_record(payment, actor=admin_user)
    assert place(payment) == ("IS-1", "1002", "IR-10", "gas")
    assert all_in_step()


def test_moving_a_project_to_another_estate_moves_its_payments(scene, admin_user):
    scene.project.estate = scene.isfahan
    scene.project.category = "roads"
    save_record(scene.project, actor=admin_user)
    assert place(scene.project)[1:3] == ("1002", "IR-10")
    assert place(scene.payment) == ("IS-1", "1002", "IR-10", "roads")
    assert place(scene.plan) == ("IS-1", "1002", "IR-10", "roads")
    assert all_in_step()
    # The stored places are not history: the payment's history has no new row for it.
    assert scene.payment.history.count() == 1


def test_moving_an_estate_to_another_county_moves_its_projects_and_payments(scene, admin_user):
    scene.tehran.county = County.objects.get(sci_code="1002")
    save_record(scene.tehran, actor=admin_user)
    assert place(scene.project)[1:3] == ("1002", "IR-10")
    assert place(scene.payment) == ("TH-1", "1002", "IR-10", "water")
    assert place(scene.plan) == ("TH-1", "1002", "IR-10", "water")
    assert all_in_step()


def test_moving_a_county_to_another_province_moves_what_is_in_it(scene):
    county = County.objects.get(sci_code="2301")
    county.province = Province.objects.get(iso_code="IR-10")
    county.save()
    assert place(scene.payment) == ("TH-1", "2301", "IR-10", "water")
    assert place(scene.project)[2] == "IR-10"
    assert all_in_step()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_imported_payments_projects_and_estates_keep_their_places(tmp_path, scene, admin_user, english):
    payments = write_csv(
        tmp_path / "payments.csv",
        [["project", "date", "amount_rials", "funding_source", "reference"],
         ["PRJ-1", "1401/03/01", "1000000", "internal", "IMP-1"]],
    )  # fmt: skip
    assert import_file(payments, user=admin_user).error_lines() == []
    imported = Disbursement.objects.get(reference="IMP-1")
    assert place(imported) == ("TH-1", "2301", "IR-23", "water")
    plans = write_csv(
        tmp_path / "plans.csv", [["project", "year", "month", "amount_rials"], ["PRJ-1", "1401", "11", "7"]]
    )
    assert import_file(plans, user=admin_user).error_lines() == []
    assert place(PlannedDisbursement.objects.get(month=11)) == ("TH-1", "2301", "IR-23", "water")

    # A project moved to another estate (and category) by a file.
    projects = write_csv(
        tmp_path / "projects.csv",
        [["code", "estate", "title", "category", "credit_rials", "funding_source"],
         ["PRJ-1", "IS-1", scene.project.title, "gas", str(scene.project.credit_rials), scene.project.funding_source]],
    )  # fmt: skip
    result = import_file(projects, user=admin_user)
    assert result.error_lines() == []
    assert result.updated == 1
    assert place(imported) == ("IS-1", "1002", "IR-10", "gas")
    assert place(scene.plan) == ("IS-1", "1002", "IR-10", "gas")

    # An estate moved to another county by a file.
    estates = write_csv(
        tmp_path / "estates.csv",
        [["code", "name_fa", "kind", "county"], ["IS-1", scene.isfahan.name_fa, scene.isfahan.kind, "2301"]],
    )
    result = import_file(estates, user=admin_user)
    assert result.error_lines() == []
    assert result.updated == 1
    assert place(imported) == ("IS-1", "2301", "IR-23", "gas")
    assert place(scene.project)[1:3] == ("2301", "IR-23")
    assert all_in_step()


def test_the_check_finds_a_wrong_place_and_the_rebuild_repairs_it(scene):
    call_command("rebuild_metric_caches", "--check", stdout=StringIO())
    Disbursement.objects.filter(pk=scene.payment.pk).unaudited_update(
        county=County.objects.get(sci_code="1002")
    )
    PlannedDisbursement.objects.filter(pk=scene.plan.pk).unaudited_update(category="gas")
    assert stale_places() == {
        "projects_developmentproject": 0,
        "projects_disbursement": 1,
        "projects_planneddisbursement": 1,
    }
    with pytest.raises(CommandError) as error:
        call_command("rebuild_metric_caches", "--check", stdout=StringIO())
    assert error.value.returncode == 1
    assert "1 rows of projects_disbursement store a place that disagrees with the records" in str(error.value)
    assert "projects_planneddisbursement" in str(error.value)
    out = StringIO()
    call_command("rebuild_metric_caches", stdout=out)
    assert "2 projects and payments given their place." in out.getvalue()
    assert place(scene.payment) == ("TH-1", "2301", "IR-23", "water")
    assert refresh_places(everything=True) == 0
    call_command("rebuild_metric_caches", "--check", stdout=StringIO())


def test_the_check_finds_a_project_whose_stored_county_is_wrong(scene):
    type(scene.project).objects.filter(pk=scene.project.pk).unaudited_update(province=None)
    assert stale_places()["projects_developmentproject"] == 1
    # The payments are checked against the records, not against the project's own copy.
    assert stale_places()["projects_disbursement"] == 0
    refresh_places(project_ids=[scene.project.pk])
    assert all_in_step()


def test_figures_warn_while_bulk_written_payments_lack_their_place(scene):
    Disbursement.objects.bulk_create(
        [
            Disbursement(
                project=scene.project, date=dt.date(2022, 7, 1), amount_rials=10**9, funding_source="internal"
            )
        ]
    )
    year = year_bounds(1401)
    tehran = parse_scope("IR-23")
    results = compute_all(year, tehran)
    assert PLACES_MISSING_WARNING in results["infrastructure_spending"].warnings
    assert results["infrastructure_spending"].value["rials"] == 4_000_000_000  # the new one not placed yet
    refresh_places(project_ids=[scene.project.pk])
    results = compute_all(year, tehran)
    assert PLACES_MISSING_WARNING not in results["infrastructure_spending"].warnings
    assert results["infrastructure_spending"].value["rials"] == 5_000_000_000
    # The nation counts every payment either way.
    assert compute_all(year)["infrastructure_spending"].value["rials"] == 5_000_000_000


def test_scope_figures_follow_a_moved_project(scene, admin_user):
    year = year_bounds(1401)
    for code, rials, planned in (("IR-23", 4 * 10**9, 10**9), ("2301", 4 * 10**9, 10**9), ("IR-10", 0, 0)):
        results = compute_all(year, parse_scope(code))
        assert results["infrastructure_spending"].value["rials"] == rials, code
        assert results["planned_spending"].value["rials"] == planned, code
    scene.project.estate = scene.isfahan
    save_record(scene.project, actor=admin_user)
    for code, rials, planned in (("IR-23", 0, 0), ("IS-1", 4 * 10**9, 10**9), ("IR-10", 4 * 10**9, 10**9)):
        results = compute_all(year, parse_scope(code))
        assert results["infrastructure_spending"].value["rials"] == rials, code
        assert results["planned_spending"].value["rials"] == planned, code
        assert results["projects_underway"].value["count"] == (1 if rials else 0), code


def test_figures_warn_while_a_bulk_written_project_lacks_its_place(scene):
    DevelopmentProject.objects.bulk_create(
        [
            DevelopmentProject(
                estate=scene.tehran, code="PRJ-BULK", title="bulk", category="gas", credit_rials=10**9,
                funding_source=scene.project.funding_source, start_date=scene.project.start_date,
            )
        ]
    )  # fmt: skip
    year = year_bounds(1401)
    tehran = parse_scope("IR-23")
    results = compute_all(year, tehran)
    assert PLACES_MISSING_WARNING in results["projects_underway"].warnings
    assert results["projects_underway"].value["count"] == 1  # the new one not placed yet
    # The nation reads no stored place: nothing is left out, so nothing to warn about.
    nation = compute_all(year)
    assert PLACES_MISSING_WARNING not in nation["projects_underway"].warnings
    assert nation["projects_underway"].value["count"] == 2
    refresh_places(everything=True)
    results = compute_all(year, tehran)
    assert PLACES_MISSING_WARNING not in results["projects_underway"].warnings
    assert results["projects_underway"].value["count"] == 2
