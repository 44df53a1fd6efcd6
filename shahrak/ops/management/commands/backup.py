from django.core.management.base import BaseCommand, CommandError

from shahrak.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE (a tar of pg_dump's custom format, or of SQLite's online "
        "backup) with a manifest of row counts and checksums per table."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, verbosity, **options):
        try:
            manifest = backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"{file}: {manifest['engine']}, {len(manifest['tables'])} tables, {rows:,} rows")
        if verbosity >= 2:
            for name, table in manifest["tables"].items():
                self.stdout.write(f"  {name:45} {table['rows']:>10,}  {table['sha256'][:16]}")
