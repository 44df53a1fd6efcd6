"""shahrak claims [--format json|table] [--code ART-04] [--record] [--load FILE]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from shahrak.analysis.fixtures import ARTICLE, load_claims
from shahrak.analysis.ledger import check_claims, record_checks
from shahrak.analysis.models import Claim


class Command(BaseCommand):
    help = (
        "The claims ledger: every published claim with the register's value from the metrics engine, "
        "the verdict, the exchange rate it implies and the claims it contradicts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--code", action="append", help="only this claim (repeatable)")
        parser.add_argument(
            "--record", action="store_true",
            help="store each claim's register value and verdict as of now (the 'as of a date' of later checks)",
        )  # fmt: skip
        parser.add_argument(
            "--load", nargs="?", const=str(ARTICLE), metavar="FILE",
            help="first load the claims of a ledger file (default: the article's claims); idempotent",
        )  # fmt: skip

    def handle(self, *args, **options):
        if options["load"]:
            path = Path(options["load"])
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            counts = load_claims(path)
            self.stderr.write(
                f"claims: {counts['added']} added, {counts['changed']} changed, {counts['unchanged']} unchanged"
            )
        claims = Claim.objects.all()
        if options["code"]:
            claims = claims.filter(code__in=options["code"])
        with translation.override("en"):
            results = check_claims(claims)
            if options["record"]:
                record_checks(results)
            if options["format"] == "json":
                self.stdout.write(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
                return
            for r in results:
                data = r.as_dict()
                contra = ", ".join(c["code"] for c in data["contradicts"]) or "-"
                self.stdout.write(
                    f"{data['code']:<8} {data['metric']:<28} {data['period']['from_jalali']}..{data['period']['to_jalali']}  "
                    f"claimed {data['qualifier']} {data['claimed']} {data['base_unit']}  register {data['register_now']}  "
                    f"{data['verdict'].upper()}  contradicts: {contra}"
                )
