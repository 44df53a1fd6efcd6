"""shahrak metrics --from 1401-01-01 --to 1401-09-30 [--scope IR-23] [--format json|table]"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from shahrak.core.jalali import InvalidDate, Period, ReversedPeriod, parse_period
from shahrak.estates.models import EstateKind
from shahrak.estates.scope import parse_scope
from shahrak.metrics.base import Filters
from shahrak.metrics.engine import compute_all
from shahrak.metrics.serialize import metrics_payload
from shahrak.metrics.text import render_table
from shahrak.money.models import RateSource
from shahrak.regions.scope import UnknownScope

BAD_INPUT = 2


def period_from_options(options) -> Period:
    """The period of --year, or of --from/--to in the chosen calendar (jalali.parse_period, the one
    reading of a period); CommandError (status 2) if bad."""
    if options["year"] is not None and (options["from"] or options["to"]):
        raise CommandError("give either --year or --from/--to, not both", returncode=BAD_INPUT)
    if options["year"] is None and not (options["from"] and options["to"]):
        raise CommandError("give --year YEAR or both --from and --to", returncode=BAD_INPUT)
    try:
        with translation.override("en"):  # the command's messages are English, like its options
            return parse_period(
                year=options["year"], start=options["from"], end=options["to"], calendar=options["calendar"]
            )
    except ReversedPeriod:
        raise CommandError(
            f"--from {options['from']} is after --to {options['to']}", returncode=BAD_INPUT
        ) from None
    except InvalidDate as error:
        raise CommandError(f"bad date: {error}", returncode=BAD_INPUT) from None


def scope_from_options(options):
    try:
        return parse_scope(options["scope"])
    except UnknownScope as error:
        raise CommandError(f"unknown scope: {error}", returncode=BAD_INPUT) from None


class Command(BaseCommand):
    help = (
        "Print every figure of a period (Solar Hijri dates unless --calendar gregorian) for the nation, "
        "a province (IR-23), a county (SCI code) or an estate (code), as JSON or as a table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="from", help="first day, e.g. 1401-01-01")
        parser.add_argument("--to", dest="to", help="last day, e.g. 1401-09-30 (included)")
        parser.add_argument("--year", type=int, help="a whole Iranian year, e.g. 1400")
        parser.add_argument("--calendar", choices=["jalali", "gregorian"], default="jalali")
        parser.add_argument("--scope", default="", help="IR-NN province, 4-digit county code or estate code")
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--lang", choices=["fa", "en"], default="fa", help="language of the table")
        parser.add_argument("--estate-kind", choices=EstateKind.values)
        parser.add_argument("--deprived-only", action="store_true", help="only records in deprived counties")
        parser.add_argument(
            "--rate-source", choices=RateSource.values, help="default: SHAHRAK DEFAULT_RATE_SOURCE"
        )

    def handle(self, *args, **options):
        period = period_from_options(options)
        scope = scope_from_options(options)
        filters = Filters(options["estate_kind"], options["deprived_only"], options["rate_source"])
        if options["format"] == "json":
            payload = metrics_payload(period, scope, filters)
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                render_table(compute_all(period, scope, filters), period, scope, options["lang"])
            )
