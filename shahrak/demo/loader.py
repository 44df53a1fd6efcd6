"""Loading the demo dataset into the database: one transaction, bulk inserts, no history rows.

The demo rows are seed data, not anyone's change to a record, so no history row is written for
them (bulk_create writes none); records people change afterwards get their history as usual.
"""

import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.color import no_style
from django.db import DatabaseError, connections, transaction

from shahrak.core.versions import data_changed
from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.land.models import (
    AllocationContract,
    Application,
    ContractExtension,
    ContractTransfer,
    Instalment,
    LandPayment,
    Plot,
    PlotHold,
    Programme,
    ProgrammeMember,
    WorkshopLease,
)
from shahrak.money.models import ExchangeRate
from shahrak.ops.demo import record_demo_load
from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement
from shahrak.returns.models import MonthlyReturn, PublishedFigures, ReturnStep
from shahrak.targets.models import Target
from shahrak.units.models import ProductionUnit, UnitEvent

from .generator import DemoGenerator, Writer

# The tables the demo fills, in an order that deletes children before their parents.
DOMAIN_MODELS = [
    ProgrammeMember, Programme, WorkshopLease, LandPayment, Instalment, ContractTransfer, ContractExtension, PlotHold,
    AllocationContract, Application.requested_plots.through, Application, Plot,
    PublishedFigures, ReturnStep, MonthlyReturn,
    PlannedDisbursement, Disbursement, DevelopmentProject, WorkshopUnit, UnitEvent, ProductionUnit, Estate, Target,
    ExchangeRate,
]  # fmt: skip


class NotEmpty(Exception):
    """The database already holds domain records; the demo loads only into empty tables."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts
        listed = ", ".join(f"{label}: {count:,}" for label, count in counts.items())
        super().__init__(f"the database already holds records ({listed})")


@dataclass
class LoadResult:
    counts: dict[str, int]
    seconds: float
    stats: dict = field(default_factory=dict)
    analyze_seconds: float = 0.0


def domain_counts() -> dict[str, int]:
    """Rows in each table the demo fills, only those that have any."""
    counts = {model._meta.label: model._base_manager.count() for model in reversed(DOMAIN_MODELS)}
    return {label: count for label, count in counts.items() if count}


def clear_domain() -> None:
    """Delete every row of the demo's tables at once, writing no history (a reload, not an edit).

    PostgreSQL truncates; where another table still refers to these rows, and on SQLite, rows are
    deleted with plain DELETE statements (the ORM's delete() would load each row to record it).
    """
    connection = connections["default"]
    tables = [connection.ops.quote_name(model._meta.db_table) for model in DOMAIN_MODELS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            try:
                with transaction.atomic():
                    cursor.execute(f"TRUNCATE {', '.join(tables)}")
                return
            except DatabaseError:
                pass  # another table refers to these rows: DELETE says which
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (outside any transaction)."""
    connection = connections["default"]
    if connection.in_atomic_block:
        return  # VACUUM cannot run in a transaction; a test's transaction is rolled back anyway
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in DOMAIN_MODELS)
            cursor.execute(f"VACUUM ANALYZE {tables}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


@contextmanager
def queries_not_logged():
    """Under DEBUG, Django keeps every query's text and, on SQLite, quotes each parameter to make it:
    for bulk inserts of millions of rows that costs gigabytes and more time than the inserts."""
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


def load_demo(
    scale: float,
    seed: int,
    *,
    replace: bool = False,
    batch_size: int = 5_000,
    progress: Callable[[str, str], None] | None = None,
    run_analyze: bool = True,
) -> LoadResult:
    """Build the demo dataset and insert it in one transaction.

    Refuses (NotEmpty) when any of the demo's tables holds rows, unless `replace`, which first
    deletes them all. Primary keys are assigned here, so the same seed and scale give identical rows.
    """
    started = time.monotonic()
    connection = connections["default"]
    with queries_not_logged(), transaction.atomic():
        if replace:
            clear_domain()
            if progress:
                progress("cleared", "existing records deleted")
        else:
            existing = domain_counts()
            if existing:
                raise NotEmpty(existing)
        writer = Writer(batch_size=batch_size)
        generator = DemoGenerator(scale, seed, writer, progress)
        generator.run()
        # Projects and payments were bulk-inserted around save(): store where they are, in one
        # set-based pass (shahrak/projects/places.py), in the load's transaction.
        from shahrak.projects.places import refresh_places

        refresh_places(everything=True)
        data_changed()  # before the returns compute figures of these records, and again after them
        # Monthly returns of the past months, with the figures stored on their approval.
        from .returns import make_returns

        returns = make_returns(seed)
        writer.counts[MonthlyReturn._meta.label] += returns["returns"]
        writer.counts[ReturnStep._meta.label] += returns["steps"]
        writer.counts[PublishedFigures._meta.label] += returns["published"]
        writer.counts[Disbursement._meta.label] += returns["late_payments"]
        if progress:
            progress("monthly returns", f"{returns['returns']:,} ({returns['approved']:,} approved)")
        data_changed()  # bulk_create sends no signal: no figure cached before this is read again
        # Primary keys were given explicitly: move PostgreSQL's sequences past them.
        sql = connection.ops.sequence_reset_sql(no_style(), DOMAIN_MODELS)
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)
        # Every page of this database now says its records are invented (shahrak/ops/demo.py).
        record_demo_load(scale, seed)
        # The finished years' monthly tallies (shahrak/metrics/tallies.py), in the load's transaction.
        from shahrak.metrics import tallies

        tallies.rebuild()
    result = LoadResult(counts=dict(writer.counts), seconds=time.monotonic() - started, stats=generator.stats)
    if run_analyze:
        analyzing = time.monotonic()
        analyze()
        result.analyze_seconds = time.monotonic() - analyzing
    return result


def build_only(scale: float, seed: int, progress=None) -> LoadResult:
    """Build the rows and count them without writing anything (to check the figures quickly)."""
    started = time.monotonic()
    writer = Writer(dry_run=True)
    generator = DemoGenerator(scale, seed, writer, progress)
    generator.run()
    return LoadResult(counts=dict(writer.counts), seconds=time.monotonic() - started, stats=generator.stats)
