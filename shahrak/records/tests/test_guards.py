"""The registry of write guards: what apps above the records add to the one write path."""

import pytest

from shahrak.records import guards
from shahrak.records.actions import delete_record, save_record
from shahrak.records.guards import Write, WriteRefused, refusals, register_write_guard
from shahrak.targets.models import Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_big_targets(monkeypatch):
    """A guard for the test: no target above 1,000, and none may be deleted."""
    monkeypatch.setattr(guards, "_GUARDS", list(guards._GUARDS))

    @register_write_guard
    def small_targets(writes):
        return {
            index: "too big" if write.action != "delete" else "kept"
            for index, write in enumerate(writes)
            if isinstance(write.instance, Target)
            and (write.action == "delete" or write.instance.value > 1000)
        }

    return small_targets


def test_save_and_delete_ask_every_guard(no_big_targets, admin_user):
    with pytest.raises(WriteRefused, match="too big"):
        save_record(Target(metric="units_revived", year=1401, value=5000), actor=admin_user)
    assert not Target.objects.exists()
    target = save_record(Target(metric="units_revived", year=1401, value=5), actor=admin_user)
    target.value = 2000
    with pytest.raises(WriteRefused, match="too big"):
        save_record(target, actor=admin_user)
    with pytest.raises(WriteRefused, match="kept"):
        delete_record(Target.objects.get(), actor=admin_user)
    assert Target.objects.get().value == 5


def test_a_batch_is_answered_by_index(no_big_targets):
    writes = [
        Write(Target(value=1), None, "add"),
        Write(Target(value=5000), None, "add"),
        Write(Target(value=2), None, "add"),
        Write(Target(value=3000), None, "add"),
    ]
    assert refusals(writes) == {1: ["too big"], 3: ["too big"]}
    assert refusals([]) == {}


def test_registering_twice_keeps_one(no_big_targets):
    count = len(guards._GUARDS)
    register_write_guard(no_big_targets)
    assert len(guards._GUARDS) == count


def test_a_refusal_is_a_permission_refusal_so_every_caller_shows_it():
    from django.core.exceptions import PermissionDenied

    assert issubclass(WriteRefused, PermissionDenied)
