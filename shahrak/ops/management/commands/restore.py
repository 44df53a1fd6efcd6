from django.core.management.base import BaseCommand, CommandError

from shahrak.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `shahrak backup` into an empty database (or --replace the current one), "
        "then check every table against the backup's manifest; fails naming each table that differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--replace", action="store_true", help="restore over a database that is not empty"
        )

    def handle(self, *args, file, replace, **options):
        try:
            manifest = restore(file, replace=replace)
        except BackupError as error:
            raise CommandError(f"restore of {file} failed: {error}") from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"{file}: restored and checked, {len(manifest['tables'])} tables, {rows:,} rows match the manifest"
        )
