"""The figure cache (shahrak/metrics/cache.py): repeated figures cost one query, and never a stale one.

Each test writes through one of the routes that change records and checks that the figure after
the write is the new one: a save or delete of a record (web, API, admin, commands), the bulk
writes of imports, a refresh of a derived cache, a transaction rolled back.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from shahrak.core import versions
from shahrak.core.history import bulk_create_with_history
from shahrak.core.jalali import months_of_year
from shahrak.estates.models import WorkshopUnit
from shahrak.metrics.engine import compute, compute_all
from shahrak.records.actions import delete_record, save_record

from .conftest import j

N9 = months_of_year(1401, 1, 9)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.FIGURE_CACHE_SECONDS = 600
    from django.core.cache import caches

    caches["figures"].clear()


def opened(**kwargs):
    return compute("workshops_opened", N9, **kwargs).value


def queries(fn):
    with CaptureQueriesContext(connection) as captured:
        result = fn()
    return result, len(captured)


def new_workshop(estate, code, day="1401-05-01"):
    return WorkshopUnit(
        estate=estate, code=code, floor_area_m2=300, completed_date=j(day), opened_date=j(day)
    )


def test_a_figure_asked_again_costs_one_query_and_is_the_same(world):
    first, cold = queries(lambda: compute_all(N9))
    again, warm = queries(lambda: compute_all(N9))
    assert cold > 10
    assert warm == 1  # the data version, nothing else
    assert {n: r.as_dict() for n, r in again.items()} == {n: r.as_dict() for n, r in first.items()}


def test_a_saved_record_changes_the_figure_at_once(world, admin_user):
    before = opened()
    workshop = save_record(new_workshop(world.e1, "CACHE-1"), actor=admin_user)
    assert opened() == before + 1
    delete_record(workshop, actor=admin_user)
    assert opened() == before


def test_a_plain_orm_save_counts_too(world):
    """The admin and management commands save with the ORM: the version follows every audited save."""
    before = opened()
    new_workshop(world.e1, "CACHE-2").save()
    assert opened() == before + 1


def test_bulk_writes_advance_the_version(world, admin_user):
    before = opened()
    version = versions.current()
    bulk_create_with_history([new_workshop(world.e1, f"CACHE-B{i}") for i in range(3)], WorkshopUnit)
    assert versions.current() != version
    assert opened() == before + 3


def test_a_rolled_back_write_never_matches_a_later_one(world, admin_user):
    """Figures read inside a transaction that is rolled back are cached under a version nobody else sees."""
    before = opened()
    with transaction.atomic():
        save_record(new_workshop(world.e1, "CACHE-R1"), actor=admin_user)
        assert opened() == before + 1
        transaction.set_rollback(True)
    assert opened() == before
    # Another write reaches the same version number; its token differs, so the rolled-back entry is not served.
    save_record(new_workshop(world.e1, "CACHE-R2", day="1401-06-01"), actor=admin_user)
    assert opened() == before + 1
    assert list(compute("workshops_opened", N9).records().filter(code__startswith="CACHE")) == [
        WorkshopUnit.objects.get(code="CACHE-R2")
    ]


def test_a_cached_figure_still_lists_its_records(world):
    first = compute("workshops_opened", N9)
    cached = compute("workshops_opened", N9)
    assert sorted(cached.records().values_list("pk", flat=True)) == sorted(
        first.records().values_list("pk", flat=True)
    )
    assert cached.records().count() == cached.value


def test_the_key_holds_scope_filters_and_language(world, settings):
    from django.utils import translation

    from shahrak.estates.scope import parse_scope
    from shahrak.metrics import cache as figure_cache
    from shahrak.metrics.engine import Filters

    asks = {
        "nation": {},
        "semnan": {"scope": parse_scope("IR-20")},
        "parks": {"filters": Filters(estate_kind="park")},
    }
    settings.FIGURE_CACHE_SECONDS = 0
    expected = {name: compute("workshops_opened", N9, **ask).value for name, ask in asks.items()}
    assert len(set(expected.values())) == 3  # the world tells them apart, so a key that did not would fail
    settings.FIGURE_CACHE_SECONDS = 600
    nation = compute("workshops_opened", N9).value
    semnan = compute("workshops_opened", N9, parse_scope("IR-20")).value
    parks = compute("workshops_opened", N9, filters=Filters(estate_kind="park")).value
    assert {"nation": nation, "semnan": semnan, "parks": parks} == expected
    assert compute("workshops_opened", N9, parse_scope("IR-20")).value == semnan
    assert compute("workshops_opened", N9, filters=Filters(estate_kind="park")).value == parks
    assert compute("workshops_opened", N9).value == nation
    with translation.override("fa"):
        fa = compute("workshops_opened", N9)
        fa_key = figure_cache.key_for(("x",))
    with translation.override("en"):
        en = compute("workshops_opened", N9)
        en_key = figure_cache.key_for(("x",))
    assert fa.value == en.value
    assert fa_key != en_key  # words in a figure (warnings, names) are cached per language


def test_turned_off_it_computes_every_time(world, settings):
    settings.FIGURE_CACHE_SECONDS = 0
    compute_all(N9)
    _again, warm = queries(lambda: compute_all(N9))
    assert warm > 10


def test_nothing_is_cached_before_the_first_version(world):
    """A new or flushed database has no version row: writes made before it cannot be told apart."""
    from shahrak.core.models import DataVersion

    DataVersion.objects.all().delete()
    compute_all(N9)
    _again, warm = queries(lambda: compute_all(N9))
    assert warm > 10
