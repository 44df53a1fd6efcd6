"""The one write path holds a unit's rules for every caller: its county, the order of its life,
no history for a change that changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from shahrak.records.actions import delete_record, save_record
from shahrak.regions.models import County
from shahrak.units.actions import record_event
from shahrak.units.models import EventKind, IdleCause, ProductionUnit, UnitEvent, event_order_errors
from tests.factories import make_estate, make_unit, national_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


D1, D2, D3, D4 = dt.date(2022, 4, 1), dt.date(2022, 5, 1), dt.date(2022, 6, 1), dt.date(2022, 7, 1)


def test_an_officer_cannot_move_a_unit_into_another_provinces_estate_through_the_write_path(officer):
    # Given a Tehran unit and an estate in Isfahan (county 1002)
    unit = make_unit(make_estate(county="2301"))
    isfahan_estate = make_estate(county="1002")
    # When the officer points it at the Isfahan estate and saves, without deriving the county first
    unit = ProductionUnit.objects.get(pk=unit.pk)
    unit.estate = isfahan_estate
    with pytest.raises(PermissionDenied):
        save_record(unit, actor=officer)
    # Then nothing moved
    assert ProductionUnit.objects.get(pk=unit.pk).county.sci_code == "2301"


def test_a_county_that_contradicts_the_estate_is_refused_with_the_reason(admin_user):
    unit = ProductionUnit.objects.get(pk=make_unit(make_estate(county="2301")).pk)
    estate_code = unit.estate.code
    unit.county = County.objects.get(sci_code="1002")
    with pytest.raises(ValidationError) as error:
        save_record(unit, actor=admin_user)
    assert error.value.message_dict == {
        "county": [
            "The county of a unit in an estate is its estate's county: "
            f"estate {estate_code} is in county 2301, not 1002."
        ]
    }
    assert unit.history.count() == 1  # only its creation


def test_a_new_unit_in_an_estate_gets_the_estates_county(admin_user):
    estate = make_estate(county="2302")
    unit = save_record(
        ProductionUnit(national_id=national_id(900), name="x", estate=estate, isic_id="1010", employees=5),
        actor=admin_user,
    )
    assert ProductionUnit.objects.get(pk=unit.pk).county.sci_code == "2302"


def test_a_save_that_changes_nothing_writes_no_history(admin_user):
    unit = make_unit()
    save_record(ProductionUnit.objects.get(pk=unit.pk), actor=admin_user)
    event = record_event(unit, kind=EventKind.ESTABLISHED, date=D1, actor=admin_user)
    save_record(UnitEvent.objects.get(pk=event.pk), actor=admin_user)
    assert (unit.history.count(), event.history.count()) == (1, 1)
    changed = ProductionUnit.objects.get(pk=unit.pk)
    changed.employees = 13
    save_record(changed, actor=admin_user)
    assert unit.history.count() == 2


def _life(unit, actor, *events):
    for day, kind in events:
        cause = IdleCause.FINANCE if kind == EventKind.IDLED else None
        jobs = 4 if kind == EventKind.REVIVED else None
        record_event(unit, kind=kind, date=day, cause=cause, jobs=jobs, actor=actor)


@pytest.mark.parametrize(
    ("stored", "new", "errors"),
    [
        # revived only follows idled
        ([(D1, "established")], (D2, "revived"), {"kind": ["A unit can be revived only after it was idled."]}),
        ([], (D2, "revived"), {"kind": ["A unit can be revived only after it was idled."]}),
        ([(D1, "established"), (D2, "idled"), (D3, "revived")], (D4, "revived"),
         {"kind": ["A unit can be revived only after it was idled."]}),
        # nothing follows closed
        ([(D1, "established"), (D2, "closed")], (D3, "idled"), {"kind": ["A closed unit has no later events."]}),
        ([(D1, "established"), (D3, "idled")], (D2, "closed"), {"kind": ["A closed unit has no later events."]}),
        # established is first
        ([(D2, "idled")], (D3, "established"), {"date": ["The establishment must be the unit's first event."]}),
        ([(D2, "established")], (D1, "idled"), {"date": ["An event cannot come before the unit was established."]}),
    ],
)  # fmt: skip
def test_the_order_of_a_units_life_is_refused_when_broken(admin_user, stored, new, errors):
    unit = make_unit()
    _life(unit, admin_user, *stored)
    with pytest.raises(ValidationError) as error:
        _life(unit, admin_user, new)
    assert error.value.message_dict == errors
    assert list(unit.events.values_list("date", "kind")) == stored


def test_a_valid_life_is_accepted(admin_user):
    unit = make_unit()
    _life(unit, admin_user, (D1, "established"), (D2, "idled"), (D3, "revived"), (D4, "closed"))
    assert [k for _d, k in unit.events.values_list("date", "kind")] == [
        "established",
        "idled",
        "revived",
        "closed",
    ]


def test_restoring_a_deleted_event_runs_the_order_check(admin_user):
    # Given an establishment that was deleted, and an idling recorded before its date since
    unit = make_unit()
    _life(unit, admin_user, (D3, "established"))
    established = unit.events.get()
    delete_record(established, actor=admin_user)
    _life(unit, admin_user, (D2, "idled"))
    # When the deleted establishment is restored (as the web's deleted-records page does)
    restored = UnitEvent.history.filter(history_type="-").latest().instance
    with pytest.raises(ValidationError) as error:
        save_record(restored, actor=admin_user, reason="restored after deletion")
    # Then it is refused: it would no longer be the unit's first event
    assert error.value.message_dict == {"date": ["The establishment must be the unit's first event."]}
    assert list(unit.events.values_list("kind", flat=True)) == ["idled"]


def test_event_order_errors_names_both_sides_of_each_break():
    timeline = {D1: "established", D2: "revived", D3: "closed", D4: "idled"}
    assert event_order_errors(timeline) == [
        (
            D2,
            D1,
            "kind",
            "A unit can be revived only after it was idled.",
            "A unit can be revived only after it was idled.",
        ),
        (D4, D3, "kind", "A closed unit has no later events.", "A closed unit has no later events."),
    ]
