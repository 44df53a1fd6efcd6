"""shahrak quality --month 1401-09 [--scope IR-23] [--format json|table] [--lang fa|en] [--as-of 1401-10-15]"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from shahrak.analysis.quality import PARTS, month_quality, parse_month
from shahrak.core.jalali import InvalidDate, format_jalali, parse_date
from shahrak.regions.models import Province
from shahrak.ui import format as fmt

BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "The data-quality score (0-100) of every province, or of one (--scope IR-NN, with the records "
        "that lost points), for a Solar Hijri month: completeness, timeliness, consistency and agreement."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="the Solar Hijri month, e.g. 1401-09")
        parser.add_argument(
            "--scope", default="", help="IR-NN: one province, with the records that lost points"
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--lang", choices=["fa", "en"], default="fa", help="language of the table")
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help="the day returns are judged on (due or not), e.g. 1401-10-15; default today",
        )

    def handle(self, *args, **options):
        with translation.override("en"):
            try:
                year, month = parse_month(options["month"])
                today = parse_date(options["as_of"], "jalali") if options["as_of"] else timezone.localdate()
            except InvalidDate as error:
                raise CommandError(f"bad input: {error}", returncode=BAD_INPUT) from None
        province = None
        if options["scope"]:
            province = Province.objects.filter(iso_code=options["scope"].strip().upper()).first()
            if province is None:
                raise CommandError(
                    f"unknown scope: {options['scope']!r} is not a province code (IR-NN)",
                    returncode=BAD_INPUT,
                )
        lang = "en" if options["format"] == "json" else options["lang"]
        with translation.override(lang):
            results = month_quality(year, month, province=province, today=today)
            if options["format"] == "json":
                payload = {
                    "month": f"{year:04d}-{month:02d}",
                    "as_of": format_jalali(today, sep="-"),
                    "provinces": [q.as_dict(details=province is not None) for q in results],
                }
                self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
                return
            self.stdout.write(self.table(results, year, month, province is not None))

    def table(self, results, year, month, details: bool) -> str:
        def shown(value):
            return "—" if value is None else fmt.number(value, 1)

        heads = [
            translation.gettext("Province"),
            translation.gettext("Score"),
            *[str(p) for p in PARTS.values()],
        ]
        lines = [f"{fmt.digits(year)}-{fmt.digits(f'{month:02d}')}", "  ".join(f"{h:<14}" for h in heads)]
        for q in results:
            cells = [q.province.name, shown(q.score_shown), *[shown(part.points_shown) for part in q.parts]]
            lines.append("  ".join(f"{c:<14}" for c in cells))
        if details:
            for q in results:
                for part in q.parts:
                    lines.append(f"\n{part.label}: {shown(part.points_shown)} / {fmt.number(25)}")
                    for rule in part.rules:
                        fraction = rule.fraction
                        lines.append(
                            f"  - {rule.text}\n    {fmt.number(rule.passing)} / {fmt.number(rule.items)}"
                            + (f"  ({fmt.number(rule.value, 1)})" if rule.value is not None else "")
                            + f"  {'—' if fraction is None else fmt.percent(fraction)}"
                        )
                        for lost in rule.lost:
                            lines.append(f"      {lost.label}  {lost.why}  {lost.url}")
        return "\n".join(lines)
