"""shahrak load_price_index [FILE ...] [--demo]: price-index series from CSV (default: the compiled SCI CPI)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shahrak.analysis.fixtures import DEMO_PRICE_SERIES, PRICE_SERIES, load_price_index


class Command(BaseCommand):
    help = (
        "Load price-index values (source,base,year,month,value,province,basis) from CSV files; idempotent. "
        "Without files: the SCI CPI compiled from its published annual rates; --demo adds the invented demo series."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument(
            "--demo", action="store_true", help="also the invented demo construction-input series"
        )

    def handle(self, *args, **options):
        files = list(options["files"] or PRICE_SERIES)
        if options["demo"]:
            files.append(DEMO_PRICE_SERIES)
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            counts = load_price_index(path)
            self.stdout.write(
                f"{path.name}: {counts['added']} added, {counts['changed']} changed, {counts['unchanged']} unchanged"
            )
