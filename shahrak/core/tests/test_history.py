"""Every change to a domain record is kept: who, when, before and after — bulk writes included."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from shahrak.core.history import UnauditedWrite, bulk_create_with_history, bulk_update_with_history
from shahrak.estates.models import Estate
from shahrak.projects.models import Disbursement
from shahrak.records.actions import delete_record, save_record
from shahrak.units.models import EventKind, ProductionUnit, UnitEvent
from tests.factories import make_estate, make_project, make_unit

pytestmark = pytest.mark.django_db


def test_save_record_keeps_who_and_before_and_after(admin_user):
    estate = make_estate(name_fa="شهرک الف")
    estate.name_fa = "شهرک ب"
    save_record(estate, actor=admin_user, reason="spelling")
    latest, previous = estate.history.all()[:2]
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        admin_user,
        "spelling",
    )
    assert (previous.name_fa, latest.name_fa) == ("شهرک الف", "شهرک ب")
    assert [change.field for change in latest.diff_against(previous).changes] == ["name_fa"]


def test_a_deleted_record_can_be_restored_from_history(admin_user):
    unit = make_unit(name="واحد حذف‌شده")
    unit_id = unit.pk
    delete_record(unit, actor=admin_user)
    assert not ProductionUnit.objects.filter(pk=unit_id).exists()
    deleted = ProductionUnit.history.filter(id=unit_id).latest()
    assert (deleted.history_type, deleted.history_user) == ("-", admin_user)
    deleted.instance.save()  # simple-history's restore: the record as it was before deletion
    assert ProductionUnit.objects.get(pk=unit_id).name == "واحد حذف‌شده"


def test_bulk_writes_keep_history(admin_user):
    project = make_project(make_estate())
    rows = [
        Disbursement(
            project=project, date=dt.date(2022, 4, d), amount_rials=10**9 * d, funding_source="internal"
        )
        for d in (1, 2, 3)
    ]
    bulk_create_with_history(rows, Disbursement, default_user=admin_user)
    assert Disbursement.history.filter(history_type="+", history_user=admin_user).count() == 3
    saved = list(Disbursement.objects.filter(project=project))
    for row in saved:
        row.amount_rials += 1
    bulk_update_with_history(saved, Disbursement, ["amount_rials"], default_user=admin_user)
    changed = Disbursement.history.filter(history_type="~").order_by("date")
    assert [h.amount_rials for h in changed] == [10**9 + 1, 2 * 10**9 + 1, 3 * 10**9 + 1]


def test_queryset_update_is_refused_because_it_leaves_no_trace():
    make_estate()
    with pytest.raises(UnauditedWrite):
        Estate.objects.all().update(name_fa="x")


def test_queryset_delete_keeps_history():
    unit = make_unit()
    UnitEvent.objects.create(unit=unit, date=dt.date(2022, 1, 1), kind=EventKind.ESTABLISHED)
    UnitEvent.objects.filter(unit=unit).delete()
    assert UnitEvent.history.filter(unit_id=unit.pk, history_type="-").count() == 1


def test_an_officer_cannot_write_another_province_and_nothing_changes(officer):
    mashhad = make_estate(county="0916", name_fa="شهرک مشهد")
    mashhad.name_fa = "تغییر"
    with translation.override("en"), pytest.raises(PermissionDenied, match="outside your province"):
        save_record(mashhad, actor=officer)
    mashhad.refresh_from_db()
    assert mashhad.name_fa == "شهرک مشهد"
    assert mashhad.history.count() == 1


def test_an_officer_cannot_move_a_record_out_of_their_province(officer):
    estate = make_estate(county="2301")
    estate.county = make_estate(county="0916").county
    with pytest.raises(PermissionDenied):
        save_record(estate, actor=officer)


def test_an_officer_writes_their_own_province(officer):
    estate = make_estate(county="2301")
    estate.name_fa = "شهرک تهران"
    save_record(estate, actor=officer)
    assert estate.history.latest().history_user == officer


def test_an_analyst_writes_nothing(analyst):
    estate = make_estate(county="2301")
    with translation.override("en"), pytest.raises(PermissionDenied, match="may not change"):
        save_record(estate, actor=analyst)


def test_the_refusal_speaks_persian_by_default(officer):  # conftest starts each test in Persian
    mashhad = make_estate(county="0916")
    with pytest.raises(PermissionDenied, match="خارج از استان شما"):
        save_record(mashhad, actor=officer)
