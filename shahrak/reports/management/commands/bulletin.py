"""shahrak bulletin --year 1401 [--months 9] --lang fa|en [--scope IR-23] [--pdf FILE]"""

from django.core.management.base import BaseCommand, CommandError

from shahrak.core.jalali import InvalidDate
from shahrak.estates.scope import parse_scope
from shahrak.metrics.base import Filters
from shahrak.money.models import RateSource
from shahrak.regions.scope import UnknownScope
from shahrak.reports.bulletin import build_bulletin
from shahrak.reports.pdf import FontMissing, write_pdf

BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Write the press bulletin of the first months of an Iranian year (the article, regenerated from the "
        "records) as text, and as PDF with --pdf FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Iranian year, e.g. 1401")
        parser.add_argument(
            "--months", type=int, default=12, help="the first N months of the year (default 12)"
        )
        parser.add_argument("--lang", choices=["fa", "en"], default="fa")
        parser.add_argument("--scope", default="", help="IR-NN province, 4-digit county code or estate code")
        parser.add_argument(
            "--rate-source", choices=RateSource.values, help="default: SHAHRAK DEFAULT_RATE_SOURCE"
        )
        parser.add_argument("--pdf", metavar="FILE", help="also write the bulletin as PDF to FILE")

    def handle(self, *args, **options):
        if not 1 <= options["months"] <= 12:
            raise CommandError(f"--months must be 1 to 12, not {options['months']}", returncode=BAD_INPUT)
        try:
            scope = parse_scope(options["scope"])
            bulletin = build_bulletin(
                options["year"],
                options["months"],
                options["lang"],
                scope,
                Filters(rate_source=options["rate_source"]),
            )
        except UnknownScope as error:
            raise CommandError(f"unknown scope: {error}", returncode=BAD_INPUT) from None
        except InvalidDate as error:
            raise CommandError(f"bad year: {error}", returncode=BAD_INPUT) from None
        self.stdout.write(bulletin.as_text(), ending="")
        if options["pdf"]:
            try:
                fonts = write_pdf(bulletin, options["pdf"])
            except FontMissing as error:
                raise CommandError(str(error)) from None
            except OSError as error:
                raise CommandError(f"cannot write {options['pdf']}: {error}") from None
            others = [font for font in fonts if not font.startswith("Vazirmatn")]
            if others:
                self.stderr.write(f"warning: fonts other than Vazirmatn were embedded: {', '.join(others)}")
            self.stderr.write(f"PDF written to {options['pdf']} (fonts: {', '.join(fonts)})")
