"""The importer's bulk writer (shahrak/imports/bulk.py) stores what simple-history's bulk writes
store: on PostgreSQL it goes through COPY and INSERT … SELECT, on SQLite through bulk_create,
and the rows and history rows must be the same either way."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from shahrak.core.history import bulk_create_with_history, bulk_update_with_history
from shahrak.core.validators import national_id_check_digit
from shahrak.imports.bulk import _reserve_ids, insert_with_history, update_with_history
from shahrak.regions.models import County
from shahrak.units.models import IsicClass, ProductionUnit
from tests.factories import make_estate

pytestmark = pytest.mark.django_db

_SKIP = {"id", "national_id", "history_id"}


def _national_id(n: int) -> str:
    ten = f"{1_090_000_000 + n:010d}"
    return ten + str(national_id_check_digit(ten))


def _units(first: int, estate) -> list:
    county = County.objects.get(sci_code="2301")
    isic = IsicClass.objects.get(code="1010")
    return [
        ProductionUnit(
            national_id=_national_id(first + i),
            name=f"شرکت تولیدی {i}" if i % 2 else f"Tolid «{i}»\t'x'",  # quotes, a tab: COPY's escapes
            estate=estate if i % 3 else None,
            county=estate.county if i % 3 else county,
            isic=isic,
            knowledge_based_since=dt.date(2022, 3, 21 + i) if i % 2 else None,
            employees=i + 1,
        )
        for i in range(6)
    ]


def _stored(objs) -> list[dict]:
    rows = ProductionUnit.objects.filter(pk__in=[o.pk for o in objs]).order_by("national_id").values()
    return [{k: v for k, v in row.items() if k not in _SKIP} for row in rows]


def _history(objs) -> list[dict]:
    rows = (
        ProductionUnit.history.filter(id__in=[o.pk for o in objs])
        .order_by("national_id", "history_type")
        .values()
    )
    return [{k: v for k, v in row.items() if k not in _SKIP} for row in rows]


def test_the_copy_writer_stores_what_bulk_create_stores(admin_user):
    estate = make_estate()
    when = timezone.now().replace(microsecond=123456)
    ours, theirs = _units(0, estate), _units(100, estate)
    insert_with_history(ProductionUnit, ours, user=admin_user, reason="imported from a.csv", when=when)
    bulk_create_with_history(
        theirs, ProductionUnit, default_user=admin_user, default_change_reason="imported from a.csv",
        default_date=when,
    )  # fmt: skip
    assert all(o.pk is not None and not o._state.adding for o in ours)
    stored = ProductionUnit.objects.in_bulk([o.pk for o in ours])
    assert [stored[o.pk].national_id for o in ours] == [o.national_id for o in ours]
    assert _stored(ours) == _stored(theirs)
    assert stored[ours[0].pk].name == "Tolid «0»\t'x'"
    history = _history(ours)
    assert history == _history(theirs)
    assert len(history) == 6
    assert {(h["history_type"], h["history_user_id"], h["history_change_reason"]) for h in history} == {
        ("+", admin_user.pk, "imported from a.csv")
    }
    assert {h["history_date"] for h in history} == {when}

    for objs in (ours, theirs):
        for obj in objs:
            obj.employees += 10
            obj.name = obj.name + " ۲"
    update_with_history(
        ProductionUnit, ours, ["employees", "name"], user=admin_user, reason="imported from b.csv", when=when
    )
    bulk_update_with_history(
        theirs, ProductionUnit, ["employees", "name"], default_user=admin_user,
        default_change_reason="imported from b.csv", default_date=when,
    )  # fmt: skip
    assert _stored(ours) == _stored(theirs)
    assert [row["employees"] for row in _stored(ours)] == [11, 12, 13, 14, 15, 16]
    assert _history(ours) == _history(theirs)
    assert [h["history_type"] for h in _history(ours)] == ["+", "~"] * 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids from PostgreSQL's sequence")
def test_ids_taken_while_others_take_them_are_used_as_they_come():
    """When other saves take ids from the sequence meanwhile, the reserved ids are not one run:
    the writer uses the list it was given (here the sequence steps by 2, as interleaving does)."""
    table = ProductionUnit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        (sequence,) = cursor.fetchone()
        run = _reserve_ids(cursor, table, "id", 4)
        assert isinstance(run, range) and len(run) == 4
        cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 2")
        try:
            ids = _reserve_ids(cursor, table, "id", 4)
            assert not isinstance(ids, range)
            assert [b - a for a, b in zip(ids, ids[1:], strict=False)] == [2, 2, 2]
            objs = _units(200, make_estate())
            insert_with_history(ProductionUnit, objs, user=None, reason="r", when=timezone.now())
        finally:
            cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 1")
    assert [b.pk - a.pk for a, b in zip(objs, objs[1:], strict=False)] == [2] * 5
    assert sorted(
        ProductionUnit.history.filter(id__in=[o.pk for o in objs]).values_list("id", flat=True)
    ) == sorted(o.pk for o in objs)
