"""`shahrak demo --scale S --seed N`: load the demo dataset.

The demo rows are seed data, not anyone's change, so no history rows are written for them; records
changed afterwards get their history as usual. Everything is inserted in one transaction with bulk
inserts, then the planner's statistics are refreshed (VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite).
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from shahrak.demo.generator import MissingReference
from shahrak.demo.loader import NotEmpty, build_only, domain_counts, load_demo


class Command(BaseCommand):
    help = (
        "Load a deterministic national demo dataset for Iranian years 1398–1402, shaped like the "
        "article's figures. Scale 1 is national scale (about 1,000 estates, 100,000 units, 500,000 unit "
        "events, 25,000 projects, 250,000 disbursements); 0.01 is for tests, 10 for benchmarks. The same "
        "seed and scale give the same rows. Demo rows are seed data: no history rows are written for them. "
        "Loads only into empty tables, unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=0.1, help="size relative to national scale (default 0.1)"
        )
        parser.add_argument("--seed", type=int, default=1401, help="random seed (default 1401)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds estates (or any other record the demo would load)",
        )
        mode.add_argument(
            "--replace",
            action="store_true",
            help="delete all estates, workshops, units, events, projects, payments, plans, targets and "
            "exchange rates first (fast, without history), then load",
        )
        mode.add_argument(
            "--dry-run", action="store_true", help="build the rows and count them; write nothing"
        )
        parser.add_argument("--batch-size", type=int, default=5_000, help="rows per INSERT (default 5000)")
        parser.add_argument(
            "--no-analyze", action="store_true", help="skip ANALYZE / VACUUM ANALYZE afterwards"
        )

    def handle(
        self, *args, scale, seed, if_empty, replace, dry_run, batch_size, no_analyze, verbosity, **options
    ):
        if not 0 < scale <= 100:
            raise CommandError(f"--scale must be above 0 and at most 100, not {scale}")
        if if_empty:
            existing = domain_counts()
            if existing:
                listed = ", ".join(f"{label}: {count:,}" for label, count in existing.items())
                self.stdout.write(
                    f"The database already holds records ({listed}): demo data not loaded (--if-empty)."
                )
                return
        started = time.monotonic()

        def progress(stage: str, detail: str) -> None:
            if verbosity >= 1:
                sys.stderr.write(f"[{time.monotonic() - started:7.1f}s] {stage}: {detail}\n")
                sys.stderr.flush()

        try:
            if dry_run:
                result = build_only(scale, seed, progress)
            else:
                result = load_demo(
                    scale,
                    seed,
                    replace=replace,
                    batch_size=batch_size,
                    progress=progress,
                    run_analyze=not no_analyze,
                )
        except NotEmpty as error:
            raise CommandError(
                f"Not loading the demo: {error}. Use --replace to delete them first, or --if-empty to skip."
            ) from None
        except MissingReference as error:
            raise CommandError(str(error)) from None
        total = sum(result.counts.values())
        self.stdout.write(
            f"Demo data (scale {scale:g}, seed {seed}){' built, not written' if dry_run else ''}: "
            f"{total:,} rows in {result.seconds:.1f} s"
            + (f", then {result.analyze_seconds:.1f} s analysing" if result.analyze_seconds else "")
        )
        for label, count in result.counts.items():
            self.stdout.write(f"  {label:32} {count:>10,}")
        if verbosity >= 2:
            for key, value in result.stats.items():
                self.stdout.write(f"  {key}: {value}")
        if not dry_run and verbosity >= 2:
            self.stdout.write(f"  now in the database: {domain_counts()}")
