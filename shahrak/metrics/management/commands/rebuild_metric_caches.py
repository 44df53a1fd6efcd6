"""shahrak rebuild_metric_caches [--check]"""

from django.core.management.base import BaseCommand, CommandError

from shahrak.metrics import tallies
from shahrak.projects.places import refresh_places, stale_places
from shahrak.units.caches import rebuild_metric_caches, stale_metric_caches


class Command(BaseCommand):
    help = (
        "Recompute the values stored for the figures from the records — on unit events the next event's "
        "date and the unit's county; on projects their estate's county and province; on payments and "
        "planned payments their project's estate, county, province and category; the monthly tallies of "
        "finished years per county — or with --check only "
        "count those that disagree (exit status 1 if any)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="verify only; change nothing")

    def handle(self, *args, **options):
        if options["check"]:
            problems = []
            stale = stale_metric_caches()
            if stale:
                problems.append(f"{stale:,} unit events cache a value that disagrees with the events")
            for table, count in stale_places().items():
                if count:
                    problems.append(
                        f"{count:,} rows of {table} store a place that disagrees with the records"
                    )
            for series, count in tallies.disagreements().items():
                if count:
                    problems.append(f"{count:,} monthly tallies of {series} disagree with the records")
            if problems:
                raise CommandError("; ".join(problems), returncode=1)
            self.stdout.write("The cached values agree with the records.")
            return
        self.stdout.write(f"{rebuild_metric_caches():,} unit events corrected.")
        self.stdout.write(f"{refresh_places(everything=True):,} projects and payments given their place.")
        # After the stored places: the tallies count records by their stored county.
        self.stdout.write(f"{tallies.rebuild():,} monthly tallies of finished years counted.")
