"""shahrak export TYPE [--output FILE.csv|FILE.xlsx|FILE.json] [--format csv|xlsx|oc4ids] [--filter name=value ...]

The output's extension decides its format; --format, if given, must agree with it."""

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils import translation

from shahrak.accounts.scope import restrict
from shahrak.imports.export import export_rows, write_csv, write_xlsx
from shahrak.imports.oc4ids import project_package
from shahrak.imports.resources import RESOURCES

from ._common import acting_user, add_language_argument, output_format

FORMATS = ["csv", "xlsx", "oc4ids"]


class Command(BaseCommand):
    help = "Export a record type (optionally filtered as the web list is) to CSV, XLSX or, for projects, OC4IDS JSON."

    def add_arguments(self, parser):
        parser.add_argument("type", choices=sorted(RESOURCES))
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="csv, xlsx or oc4ids (default: from --output's extension, else csv)",
        )
        parser.add_argument(
            "--output", "-o",
            help="file to write: .csv, .xlsx or .json for OC4IDS (default: standard output for CSV and OC4IDS)",
        )  # fmt: skip
        parser.add_argument(
            "--filter", action="append", default=[], metavar="NAME=VALUE",
            help="a filter of the web list, e.g. province=IR-23 or date_from=1401/01/01 (repeatable)",
        )  # fmt: skip
        parser.add_argument("--calendar", choices=["jalali", "gregorian"], default="jalali")
        parser.add_argument("--user", help="export only what this user may see (default: everything)")
        add_language_argument(parser)

    def handle(self, *args, **options):
        resource = RESOURCES[options["type"]]
        lang = options["lang"] or settings.LANGUAGE_CODE
        with translation.override(lang):
            queryset = resource.model._default_manager.all()
            if options["user"]:
                queryset = restrict(queryset, acting_user(options["user"]), "view")
            if options["filter"]:
                filterset_class = resource.filterset
                if filterset_class is None:
                    raise CommandError(f"{resource.slug} has no filters")
                data = QueryDict(mutable=True)
                for item in options["filter"]:
                    name, sep, value = item.partition("=")
                    if not sep:
                        raise CommandError(f"--filter {item!r}: write it as NAME=VALUE")
                    data.appendlist(name.strip(), value)
                filterset = filterset_class(data, queryset=queryset)
                if not filterset.is_valid():
                    raise CommandError(f"bad filter: {filterset.errors.as_text()}")
                unknown = set(data) - set(filterset.filters)
                if unknown:
                    raise CommandError(
                        f"unknown filters: {', '.join(sorted(unknown))} (known: {', '.join(filterset.filters)})"
                    )
                queryset = filterset.qs
            output = options["output"]
            fmt = output_format(output, options["format"], FORMATS, "csv")
            if fmt == "oc4ids":
                if resource.slug != "projects":
                    raise CommandError(
                        "OC4IDS is for development projects: shahrak export projects --format oc4ids"
                    )
                text = json.dumps(project_package(queryset), ensure_ascii=False, indent=1)
                if output:
                    with open(output, "w", encoding="utf-8") as handle:
                        handle.write(text)
                else:
                    sys.stdout.write(text + "\n")
                return
            if fmt == "xlsx":
                if not output:
                    raise CommandError("XLSX needs --output FILE")
                count = write_xlsx(
                    output, export_rows(queryset, resource, calendar=options["calendar"]), resource, lang=lang
                )
            elif output:
                count = write_csv(output, queryset, resource, lang=lang, calendar=options["calendar"])
            else:
                import csv

                writer = csv.writer(sys.stdout)
                writer.writerow([c.header(lang) for c in resource.columns])
                for row in export_rows(queryset, resource, calendar=options["calendar"]):
                    writer.writerow(row)
                return
            self.stderr.write(f"{count:,} {resource.title} → {output}")
