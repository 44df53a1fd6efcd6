"""shahrak template TYPE [--lang fa|en] [--output FILE.xlsx|FILE.csv] [--format xlsx|csv]  (or --all --dir DIR)

The output's extension decides its format; --format, if given, must agree with it."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from shahrak.imports.export import write_template_csv, write_template_xlsx
from shahrak.imports.resources import IMPORTABLE

from ._common import add_language_argument, output_format

FORMATS = ["xlsx", "csv"]


class Command(BaseCommand):
    help = "Write the blank spreadsheet template of a record type (XLSX with a guide sheet, or CSV)."

    def add_arguments(self, parser):
        parser.add_argument("type", nargs="?", choices=sorted(IMPORTABLE))
        parser.add_argument(
            "--all", action="store_true", help="every record type, in both languages, into --dir"
        )
        parser.add_argument("--dir", type=Path, default=Path("."))
        parser.add_argument(
            "--format", choices=FORMATS, help="xlsx or csv (default: from --output's extension, else xlsx)"
        )
        parser.add_argument("--output", "-o", type=Path, help="file to write: .xlsx or .csv")
        add_language_argument(parser)

    def handle(self, *args, **options):
        if options["all"]:
            fmt = options["format"] or "xlsx"
            options["dir"].mkdir(parents=True, exist_ok=True)
            for slug, resource in IMPORTABLE.items():
                for lang, _name in settings.LANGUAGES:
                    self.write(resource, options["dir"] / f"{slug}-template-{lang}.{fmt}", fmt, lang)
            return
        if not options["type"]:
            raise CommandError("name a record type or use --all")
        resource = IMPORTABLE[options["type"]]
        lang = options["lang"] or settings.LANGUAGE_CODE
        with translation.override(lang):
            fmt = output_format(options["output"], options["format"], FORMATS, "xlsx")
        output = options["output"] or Path(f"{resource.slug}-template-{lang}.{fmt}")
        self.write(resource, output, fmt, lang)

    def write(self, resource, path: Path, fmt: str, lang: str) -> None:
        with translation.override(lang):
            if fmt == "xlsx":
                write_template_xlsx(str(path), resource, lang=lang)
            else:
                write_template_csv(path, resource, lang=lang)
        self.stderr.write(str(path))
