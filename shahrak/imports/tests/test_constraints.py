"""The check constraints an import compiles once give, row for row, what `evaluate` gives walking
the model's `Q` (true, false or unknown), for every check constraint of every model."""

import datetime as dt
import gc
import itertools
import random
import threading
from decimal import Decimal

from django.apps import apps
from django.db.models import F, Q

from shahrak.imports.constraints import _compile, check_constraints, compile_checks, evaluate, violations
from shahrak.imports.importer import cycle_collector_paused


def _literals(condition: Q, found: dict) -> None:
    """Every (field, value) a condition compares with, and the fields compared with F()."""
    for child in condition.children:
        if isinstance(child, Q):
            _literals(child, found)
            continue
        key, value = child
        name, _sep, lookup = key.partition("__")
        values = found.setdefault(name, set())
        if isinstance(value, F):
            found.setdefault(value.name, set())
        elif lookup == "in":
            values.update(value)
        elif lookup not in ("isnull", "regex") and value is not None:
            values.add(value)
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                values.update({value - 1, value + 1})
            elif isinstance(value, dt.date):
                values.update({value - dt.timedelta(days=1), value + dt.timedelta(days=1)})


def _pool(field, literals: set) -> list:
    """Values to try in a field: None, the literals near the rule's edges, a few of its type."""
    pool = [None, *sorted(literals, key=repr)]
    internal = field.get_internal_type()
    if internal in ("DateField",):
        pool += [dt.date(2021, 3, 21), dt.date(2022, 1, 1), dt.date(2023, 6, 30)]
    elif internal == "DateTimeField":
        pool += [dt.datetime(2022, 1, 1, tzinfo=dt.UTC), dt.datetime(2023, 1, 1, tzinfo=dt.UTC)]
    elif internal == "DecimalField":
        pool += [Decimal("-1"), Decimal("0"), Decimal("50"), Decimal("100.5")]
    elif internal in ("CharField", "TextField", "SlugField"):
        pool += ["", "12345678901", "abc", "۱۲۳"]
    elif internal == "BooleanField":
        pool += [True, False]
    elif "Integer" in internal or internal in ("ForeignKey", "AutoField", "BigAutoField", "FloatField"):
        pool += [-1, 0, 1, 7, 10**9]
    return pool


def test_compiled_checks_agree_with_evaluate_on_every_constraint():
    rng = random.Random(1401)
    compared = 0
    for model in apps.get_models():
        if not model.__module__.startswith("shahrak."):
            continue  # other apps' constraints (django_tasks' range) are never imported into
        for constraint in check_constraints(model):
            found = {}
            _literals(constraint.condition, found)
            fields = {name: model._meta.get_field(name) for name in found}
            pools = {name: _pool(field, found[name]) for name, field in fields.items()}
            compiled = _compile(model, constraint.condition)
            combinations = list(itertools.product(*pools.values()))
            if len(combinations) > 400:
                combinations = rng.sample(combinations, 400)
            seen = set()
            for values in combinations:
                instance = model()
                for field, value in zip(fields.values(), values, strict=True):
                    instance.__dict__[field.attname] = value
                expected = evaluate(constraint.condition, instance)
                got = compiled(instance.__dict__, instance)
                assert got == expected and type(got) is type(expected), (
                    f"{model.__name__}.{constraint.name} on {dict(zip(fields, values, strict=True))}: "
                    f"compiled {got!r}, evaluate {expected!r}"
                )
                seen.add(expected)
                compared += 1
            # the pools reach both sides of each rule (or unknown), not one answer only
            assert len(seen) >= 2 or not fields, f"{model.__name__}.{constraint.name} tried only {seen}"
    assert compared > 1000


def test_compiled_violations_are_the_constraints_own():
    from shahrak.units.models import ProductionUnit

    unit = ProductionUnit(national_id="12345", name="x", employees=0)
    checks = compile_checks(ProductionUnit)
    assert checks.violations(unit) == violations(unit)
    assert {c.name for c, _fields, _message in checks.violations(unit)} == {
        "unit_national_id_11_digits",
        "unit_has_employees",
    }
    assert violations(unit, checks) == violations(unit)
    unit.national_id, unit.employees = "10320000002", 3
    assert checks.violations(unit) == []


def test_the_cycle_collector_is_paused_during_an_import_and_restored_after():
    was = gc.isenabled()
    try:
        gc.enable()
        with cycle_collector_paused():
            assert not gc.isenabled()
            with cycle_collector_paused():  # nested (or another thread's) import
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()  # a process that runs without it keeps it off
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
        gc.enable()
        # two imports in two threads, the first to start finishing first: on again only at the end
        started, release = threading.Event(), threading.Event()

        def other():
            with cycle_collector_paused():
                started.set()
                release.wait(10)

        thread = threading.Thread(target=other)
        with cycle_collector_paused():
            thread.start()
            started.wait(10)
        assert not gc.isenabled()  # the other import still runs
        release.set()
        thread.join(10)
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_cells_are_read_once_per_distinct_text_only_where_it_pays(db):
    """A column whose cells repeat (a head count) keeps its memo after the trial, one of distinct
    cells (names, national IDs) drops it: either way every value is what the column reads, and a
    wrong cell after the trial is still reported."""
    import shahrak.imports.importer as importer
    from shahrak.accounts.models import Role, User
    from shahrak.imports.readers import Table
    from tests.factories import national_id

    admin = User.objects.create_user(username="memo-admin", password="x", role=Role.ADMINISTRATOR)
    header = ["national_id", "name", "county", "isic", "employees"]
    count = importer.TRIAL_MISSES + 500
    employees = [str(i % 40 + 1) if i % 7 else f"{i % 40 + 1:,}".replace("1", "۱") for i in range(count)]
    employees[count - 3] = "-5"  # an error late in the file, after the trial
    rows = [
        (i + 2, [national_id(50_000 + i), f"Unit {i}", "2301", "1010", employees[i]]) for i in range(count)
    ]
    table = Table(kind="csv", header=header, rows=rows)
    result = importer.ImportResult(filename="units.csv")
    run = importer.Importer(table, user=admin, resource="units", result=result, progress=None)
    parsed = run._parse_rows()
    column = run.resource.by_name["employees"]
    for row, text in zip(parsed, employees, strict=True):
        if text == "-5":
            assert row.errors and row.errors[0][0] == "employees"
        else:
            assert row.values["employees"] == column.parse(text)
    assert [row.values["name"] for row in parsed[:3]] == ["Unit 0", "Unit 1", "Unit 2"]
