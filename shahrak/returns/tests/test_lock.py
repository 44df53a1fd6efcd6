"""The lock of an approved month in the one write path: every route (save_record, the web form,
delete and restore, the API, an import and the import command) is refused a dated fact in a
locked province-month, with a message that names the lock and who can lift it."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from rest_framework.test import APIClient

from shahrak.imports.importer import import_file
from shahrak.imports.tests.helpers import write_csv
from shahrak.projects.models import DevelopmentProject, Disbursement
from shahrak.records.actions import delete_record, save_record
from shahrak.records.guards import WriteRefused
from shahrak.regions.models import County
from shahrak.returns import actions
from shahrak.units.models import UnitEvent
from tests.factories import make_disbursement, make_estate, make_project, make_unit

pytestmark = pytest.mark.django_db

AZAR_15 = dt.date(2022, 12, 6)  # 15 Azar 1401: in the locked month
DEY_5 = dt.date(2022, 12, 26)  # 5 Dey 1401: the next month, open
LOCK_WORDS = "Azar 1401 of Tehran is locked"
WHO = "An administrator can reopen the month"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def locked_azar(tehran, make_user, analyst):
    """Tehran's Azar 1401, submitted and approved: locked."""
    from shahrak.accounts.models import Role

    officer = make_user(Role.OFFICER, province="IR-23", username="officer-lock")
    found = actions.return_for(tehran, 1401, 9)
    actions.submit(found, actor=officer, summary="all in")
    actions.approve(found, actor=analyst)
    return found


@pytest.fixture
def project(db):
    return make_project(make_estate(county="2301"), code="P-LOCK", start_date=dt.date(2021, 5, 1))


def api_as(user) -> APIClient:
    user.language = "en"
    user.save(update_fields=["language"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def english_user(client, user):
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


# save_record / delete_record ---------------------------------------------------------------------
def test_save_record_refuses_a_new_payment_in_a_locked_month_naming_the_lock(
    locked_azar, project, admin_user
):
    payment = Disbursement(project=project, date=AZAR_15, amount_rials=1000, funding_source="internal")
    with pytest.raises(WriteRefused) as refused:
        save_record(payment, actor=admin_user)
    assert LOCK_WORDS in str(refused.value) and WHO in str(refused.value)
    assert "its return was approved" in str(refused.value)
    assert not Disbursement.objects.exists()
    # The next month is open; another province's Azar is not locked.
    save_record(
        Disbursement(project=project, date=DEY_5, amount_rials=1, funding_source="internal"), actor=admin_user
    )
    fars = make_project(
        make_estate(county=County.objects.filter(province__iso_code="IR-07").first().sci_code)
    )
    save_record(
        Disbursement(project=fars, date=AZAR_15, amount_rials=1, funding_source="internal"), actor=admin_user
    )
    assert Disbursement.objects.count() == 2


def test_a_fact_cannot_be_changed_deleted_moved_out_or_in(locked_azar, project, admin_user):
    inside = make_disbursement(project, AZAR_15, 1000)
    outside = make_disbursement(project, DEY_5, 2000)
    inside.amount_rials = 999
    with pytest.raises(WriteRefused):
        save_record(inside, actor=admin_user)
    inside.refresh_from_db()
    inside.date = DEY_5  # out of the locked month
    with pytest.raises(WriteRefused):
        save_record(inside, actor=admin_user)
    outside.date = AZAR_15  # into it
    with pytest.raises(WriteRefused):
        save_record(outside, actor=admin_user)
    inside.refresh_from_db()
    with pytest.raises(WriteRefused):
        delete_record(inside, actor=admin_user)
    assert Disbursement.objects.filter(date=AZAR_15, amount_rials=1000).exists()
    outside.refresh_from_db()
    outside.amount_rials = 2500  # a fact of an open month changes as before
    save_record(outside, actor=admin_user)


def test_moving_a_project_with_a_locked_start_to_another_province_is_refused_but_its_progress_is_not(
    tehran, project, admin_user, analyst, make_user
):
    from shahrak.accounts.models import Role

    officer = make_user(Role.OFFICER, province="IR-23", username="officer-x")
    # The project started on 10 Ordibehesht 1400 (2021-05-01): lock that month.
    found = actions.return_for(tehran, 1400, 2)
    actions.submit(found, actor=officer, summary="x")
    actions.approve(found, actor=analyst)
    project.physical_progress = 40
    save_record(project, actor=admin_user)  # not part of a dated fact
    project.refresh_from_db()
    project.category = "gas"  # belongs to the start fact
    with pytest.raises(WriteRefused):
        save_record(project, actor=admin_user)
    project.refresh_from_db()
    project.estate = make_estate(county=County.objects.filter(province__iso_code="IR-07").first().sci_code)
    with pytest.raises(WriteRefused):
        save_record(project, actor=admin_user)
    assert DevelopmentProject.objects.get(pk=project.pk).physical_progress == 40


def test_a_reopened_month_is_writable_until_the_reopening_ends(locked_azar, project, admin_user):
    now = timezone.now()
    actions.reopen(locked_azar, actor=admin_user, reason="late invoice", until=now + dt.timedelta(days=1))
    payment = save_record(
        Disbursement(project=project, date=AZAR_15, amount_rials=7, funding_source="internal"),
        actor=admin_user,
    )
    # The reopening runs out: locked again, and the message says so.
    locked_azar.reopened_until = now - dt.timedelta(seconds=1)
    locked_azar.save()
    payment.amount_rials = 8
    with pytest.raises(WriteRefused) as refused:
        save_record(payment, actor=admin_user)
    assert "its reopening ended on" in str(refused.value)


def test_a_submitted_or_returned_month_is_not_locked(tehran, project, officer, analyst, admin_user):
    found = actions.return_for(tehran, 1401, 9)
    actions.submit(found, actor=officer, summary="x")
    save_record(
        Disbursement(project=project, date=AZAR_15, amount_rials=1, funding_source="internal"),
        actor=admin_user,
    )
    actions.send_back(found, actor=analyst, reason="y")
    save_record(
        Disbursement(project=project, date=AZAR_15, amount_rials=2, funding_source="internal"),
        actor=admin_user,
    )
    assert Disbursement.objects.count() == 2


# The web -------------------------------------------------------------------------------------------
def test_the_web_form_shows_the_lock_and_writes_nothing(client, locked_azar, project, admin_user):
    english_user(client, admin_user)
    response = client.post(
        "/payments/add/",
        {"project": "P-LOCK", "date": "1401/09/15", "amount_rials": "1000", "funding_source": "internal"},
    )
    assert response.status_code == 200
    assert any(LOCK_WORDS in e for e in response.context["form"].non_field_errors())
    assert not Disbursement.objects.exists()
    payment = make_disbursement(project, AZAR_15, 1000)
    response = client.post(
        f"/payments/{payment.pk}/edit/",
        {"project": "P-LOCK", "date": "1401/09/15", "amount_rials": "5", "funding_source": "internal"},
    )
    assert response.status_code == 200 and any(
        LOCK_WORDS in e for e in response.context["form"].non_field_errors()
    )
    response = client.post(f"/payments/{payment.pk}/delete/")
    assert response.status_code == 302
    assert any(LOCK_WORDS in str(m) for m in get_messages(response.wsgi_request))
    assert Disbursement.objects.get(pk=payment.pk).amount_rials == 1000


def test_a_deleted_fact_of_a_locked_month_cannot_be_restored(
    client, tehran, project, admin_user, officer, analyst
):
    payment = make_disbursement(project, AZAR_15, 1000)
    delete_record(payment, actor=admin_user)
    found = actions.return_for(tehran, 1401, 9)
    actions.submit(found, actor=officer, summary="x")
    actions.approve(found, actor=analyst)
    english_user(client, admin_user)
    row = Disbursement.history.filter(history_type="-").get()
    response = client.post("/payments/deleted/", {"history_id": row.history_id})
    assert response.status_code == 302
    assert any(LOCK_WORDS in str(m) for m in get_messages(response.wsgi_request))
    assert not Disbursement.objects.exists()


def test_an_event_of_a_locked_month_is_refused_on_the_web_too(client, locked_azar, admin_user):
    unit = make_unit()
    english_user(client, admin_user)
    response = client.post(
        "/unit-events/add/", {"unit": unit.national_id, "date": "1401/09/15", "kind": "established"}
    )
    assert response.status_code == 200, response.status_code
    assert LOCK_WORDS in response.content.decode()
    assert not UnitEvent.objects.exists()


# The API -------------------------------------------------------------------------------------------
def test_the_api_refuses_create_change_and_delete_in_a_locked_month(locked_azar, project, admin_user):
    api = api_as(admin_user)
    body = {"project": "P-LOCK", "date": "2022-12-06", "amount_rials": 1000, "funding_source": "internal"}
    response = api.post("/api/disbursements/", body, format="json")
    assert response.status_code == 403 and LOCK_WORDS in response.json()["detail"]
    payment = make_disbursement(project, AZAR_15, 1000)
    response = api.patch(f"/api/disbursements/{payment.pk}/", {"amount_rials": 5}, format="json")
    assert response.status_code == 403 and LOCK_WORDS in response.json()["detail"]
    response = api.delete(f"/api/disbursements/{payment.pk}/")
    assert response.status_code == 403 and LOCK_WORDS in response.json()["detail"]
    assert Disbursement.objects.get().amount_rials == 1000
    response = api.post("/api/disbursements/", {**body, "date": "2022-12-26"}, format="json")
    assert response.status_code == 201


# Imports -------------------------------------------------------------------------------------------
def payments_file(tmp_path):
    return write_csv(
        tmp_path / "payments.csv",
        [
            ["project", "date", "amount_rials", "funding_source"],
            ["P-LOCK", "1401/10/05", "1000", "internal"],
            ["P-LOCK", "1401/09/15", "2000", "internal"],
            ["P-LOCK", "1401/10/06", "3000", "internal"],
            ["P-LOCK", "1401/09/20", "4000", "internal"],
        ],
    )


@pytest.mark.parametrize("keep_valid", [False, True])
def test_an_import_touching_a_locked_month_is_refused_whole_naming_the_rows(
    tmp_path, locked_azar, project, admin_user, keep_valid
):
    result = import_file(payments_file(tmp_path), user=admin_user, keep_valid=keep_valid)
    assert not result.written
    lines = result.error_lines()
    assert lines[0] == (
        "payments.csv: Nothing was imported: 2 rows touch locked months (rows 3, 5). "
        "Remove them, or ask an administrator to reopen those months."
    )
    assert [line.split(":")[0] for line in lines[1:]] == ["payments.csv, row 3", "payments.csv, row 5"]
    assert all(LOCK_WORDS in line for line in lines[1:])
    assert not Disbursement.objects.exists()


def test_an_import_changing_a_locked_fact_is_refused(tmp_path, locked_azar, project, admin_user):
    make_disbursement(project, AZAR_15, 2000, reference="R-1")
    path = write_csv(
        tmp_path / "payments.csv",
        [
            ["project", "date", "amount_rials", "funding_source", "reference"],
            ["P-LOCK", "1401/09/15", "2500", "internal", "R-1"],
        ],
    )
    result = import_file(path, user=admin_user)
    assert not result.written and any(LOCK_WORDS in line for line in result.error_lines())
    assert Disbursement.objects.get().amount_rials == 2000


def test_the_import_command_is_refused_too(tmp_path, locked_azar, project, admin_user, capsys):
    path = payments_file(tmp_path)
    with pytest.raises(CommandError):
        call_command("import", str(path), "--user", admin_user.username)
    out = capsys.readouterr()
    assert "(ردیف‌های 3, 5)" in out.err  # the command speaks Persian: «… (rows 3, 5) …»
    assert not Disbursement.objects.exists()


def test_an_import_of_open_months_only_is_written(tmp_path, locked_azar, project, admin_user):
    path = write_csv(
        tmp_path / "payments.csv",
        [["project", "date", "amount_rials", "funding_source"], ["P-LOCK", "1401/10/05", "1000", "internal"]],
    )
    result = import_file(path, user=admin_user)
    assert result.written and result.created == 1


# The other dated facts: an estate's licence (with its kind), a workshop's opening ----------------


def test_an_estate_licensed_in_a_locked_month_or_a_workshop_opened_in_it_is_refused(locked_azar, admin_user):
    from shahrak.estates.models import Estate, EstateKind, WorkshopUnit
    from tests.factories import make_workshop

    new = Estate(
        code="TH-LOCK", name_fa="شهرک قفل", kind=EstateKind.PARK, county=County.objects.get(sci_code="2301"),
        status="licensed", licence_date=AZAR_15,
    )  # fmt: skip
    with pytest.raises(WriteRefused) as refused:
        save_record(new, actor=admin_user)
    assert LOCK_WORDS in str(refused.value)
    assert not Estate.objects.filter(code="TH-LOCK").exists()
    # Licensed in the locked month before it was locked: its kind goes with its licence and stays.
    licensed = make_estate(county="2301", licence_date=AZAR_15, operational_date=None, status="licensed")
    licensed.kind = EstateKind.ZONE
    with pytest.raises(WriteRefused):
        save_record(licensed, actor=admin_user)
    licensed.refresh_from_db()
    licensed.name_fa = "نام تازه"  # what is not part of the fact changes as before
    save_record(licensed, actor=admin_user)

    workshop = make_workshop(make_estate(county="2301"), completed_date=dt.date(2022, 10, 1))
    workshop.opened_date = AZAR_15
    with pytest.raises(WriteRefused):
        save_record(workshop, actor=admin_user)
    assert WorkshopUnit.objects.get(pk=workshop.pk).opened_date is None
    workshop.opened_date = DEY_5
    save_record(workshop, actor=admin_user)
