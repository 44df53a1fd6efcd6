"""shahrak rebuild_metric_caches [--check]"""

from django.core.management.base import BaseCommand, CommandError

from shahrak.units.caches import rebuild_metric_caches, stale_metric_caches


class Command(BaseCommand):
    help = (
        "Recompute the values stored on unit events for the figures (the next event's date, the unit's "
        "county) from the events, or with --check only count those that disagree (exit status 1 if any)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="verify only; change nothing")

    def handle(self, *args, **options):
        if options["check"]:
            stale = stale_metric_caches()
            if stale:
                raise CommandError(
                    f"{stale:,} unit events cache a value that disagrees with the events", returncode=1
                )
            self.stdout.write("The cached values agree with the events.")
            return
        self.stdout.write(f"{rebuild_metric_caches():,} unit events corrected.")
