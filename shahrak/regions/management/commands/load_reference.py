from django.core.management.base import BaseCommand

from shahrak.regions.reference import load_reference


class Command(BaseCommand):
    help = "Load or update the shipped reference data (provinces, counties, ISIC classes). Safe to re-run."

    def handle(self, *args, **options):
        changed = load_reference()
        self.stdout.write(", ".join(f"{kind}: {count} changed" for kind, count in changed.items()))
