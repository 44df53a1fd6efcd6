"""shahrak nowcast --year 1401 [--as-of 1401-09-30] [--format json|table] [--no-trials]"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shahrak.analysis.nowcast import nowcast_year, payload
from shahrak.core.jalali import InvalidDate, check_year, parse_date

BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "The year-end nowcast of every target of a year, national and per province: the projected "
        "total with its 80% range from the months so far, the status, and the back-test's coverage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="the Iranian year of the targets, e.g. 1401"
        )
        parser.add_argument(
            "--as-of", dest="as_of", help="the day of the nowcast, e.g. 1401-09-30 (default today)"
        )
        parser.add_argument("--calendar", choices=["jalali", "gregorian"], default="jalali")
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument(
            "--no-trials", action="store_true", help="JSON without each back-test projection, only their coverage"
        )  # fmt: skip

    def handle(self, *args, **options):
        try:
            year = check_year(options["year"])
            as_of = (
                parse_date(options["as_of"], options["calendar"])
                if options["as_of"]
                else timezone.localdate()
            )
        except InvalidDate as error:
            raise CommandError(f"bad input: {error}", returncode=BAD_INPUT) from None
        results = nowcast_year(year, as_of)
        data = payload(year, as_of, results, with_trials=not options["no_trials"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"nowcast of {year} as of {data['as_of_jalali']} ({data['months_observed']} months ended)"
        )
        for row in data["targets"]:
            scope = row["scope"]["code"] or "IR"
            bt = row["backtest"] or {}
            coverage = "-" if bt.get("coverage") is None else f"{bt['coverage']:.0%} of {bt['trials']}"
            if row["projected"] is None:
                shown = "no nowcast (too few past years)"
            else:
                shown = f"projected {row['projected']} [{row['low']}, {row['high']}]  {row['status']}"
            self.stdout.write(
                f"{scope:<6} {row['metric']:<24} target {row['target_value']}  observed {row['observed']}  "
                f"{shown}  back-test coverage {coverage}"
            )
        pooled = data["backtest"]
        if pooled["coverage"] is not None:
            self.stdout.write(
                f"back-test: {pooled['covered']} of {pooled['trials']} ranges held the year's total "
                f"({pooled['coverage']:.1%}; 80% expected)"
            )
