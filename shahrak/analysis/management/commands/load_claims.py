"""shahrak load_claims [FILE]: the article's claims (or a ledger file's), idempotent."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shahrak.analysis.fixtures import ARTICLE, load_claims


class Command(BaseCommand):
    help = "Load the published claims of a ledger file (default: every claim of the article in mission/)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, default=ARTICLE)

    def handle(self, *args, **options):
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        counts = load_claims(path)
        self.stdout.write(
            f"claims: {counts['added']} added, {counts['changed']} changed, {counts['unchanged']} unchanged"
        )
