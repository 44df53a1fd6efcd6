"""The importer obeys the write path's rules: a unit's life in order, dates in range, payments
outside their project's dates reported as warnings."""

import datetime as dt

import pytest
from django.utils import translation

from shahrak.imports.importer import import_file
from shahrak.projects.models import Disbursement
from shahrak.units.models import UnitEvent
from tests.factories import make_estate, make_project, make_unit

from .helpers import write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_payment_before_its_project_started_is_imported_with_a_warning(tmp_path, admin_user):
    make_project(make_estate(), code="P-1", start_date=dt.date(2021, 5, 1))  # 11 Ordibehesht 1400
    path = write_csv(
        tmp_path / "payments.csv",
        [
            ["project", "date", "amount_rials", "funding_source"],
            ["P-1", "1400/02/10", "1000", "internal"],
            ["P-1", "1400/02/11", "2000", "internal"],
        ],
    )
    result = import_file(path, user=admin_user)
    assert (result.error_lines(), result.created) == ([], 2)
    assert result.warning_lines() == [
        "payments.csv, row 2, column B (date): "
        "This payment is dated before its project started (11 Ordibehesht 1400); check the date."
    ]
    assert list(Disbursement.objects.outside_project_dates().values_list("amount_rials", flat=True)) == [1000]


def test_the_import_refuses_a_revival_of_an_active_unit_and_anything_after_closure(tmp_path, admin_user):
    unit = make_unit()
    nid = unit.national_id
    path = write_csv(
        tmp_path / "events.csv",
        [
            ["unit", "date", "kind", "cause", "jobs"],
            [nid, "1400/01/10", "established", "", ""],
            [nid, "1400/02/10", "revived", "", "5"],
            [nid, "1400/03/10", "closed", "", ""],
            [nid, "1400/04/10", "idled", "finance", ""],
        ],
    )
    result = import_file(path, user=admin_user)
    assert result.error_lines() == [
        "events.csv, row 3, column C (kind): A unit can be revived only after it was idled.",
        "events.csv, row 5, column C (kind): A closed unit has no later events.",
    ]
    assert UnitEvent.objects.count() == 0


def test_the_import_refuses_a_date_outside_1921_to_2121(tmp_path, admin_user):
    make_project(make_estate(), code="P-2")
    path = write_csv(
        tmp_path / "payments.csv",
        [["project", "date", "amount_rials", "funding_source"], ["P-2", "1200/01/01", "1000", "internal"]],
    )
    result = import_file(path, user=admin_user)
    assert [line.split(": ", 1)[1] for line in result.error_lines()] == [
        "A date is between the years 1921 and 2121 (Gregorian), about 1300 to 1500 in the Solar Hijri calendar."
    ]
