"""shahrak import FILE [--type units] [--dry-run] [--keep-valid] [--user NAME]"""

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from shahrak.imports.importer import import_file
from shahrak.imports.resources import IMPORTABLE

from ._common import acting_user, add_language_argument


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of one record type (all or nothing unless --keep-valid)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--type", choices=sorted(IMPORTABLE), help="record type (default: from the header)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report what would change; write nothing"
        )
        parser.add_argument(
            "--keep-valid", action="store_true",
            help="load the valid rows and write the rejected ones with their errors to --rejected",
        )  # fmt: skip
        parser.add_argument(
            "--rejected",
            type=Path,
            help="where --keep-valid writes rejected rows (default: FILE.rejected.csv)",
        )
        parser.add_argument("--user", help="the user the import acts as (history and province scope)")
        add_language_argument(parser)

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            self.report_lost_jobs()
            user = acting_user(options["user"])
            rejected = options["rejected"] or path.with_name(path.name + ".rejected.csv")
            result = import_file(
                path,
                user=user,
                resource=options["type"],
                dry_run=options["dry_run"],
                keep_valid=options["keep_valid"],
                rejected_path=rejected if options["keep_valid"] else None,
                progress=self.progress_printer(),
            )
            self.report(result)

    def report_lost_jobs(self):
        """Web import jobs whose worker died are marked failed here too (they are seen)."""
        from shahrak.imports.jobs import fail_stale_jobs

        for pk in fail_stale_jobs():
            self.stderr.write(
                _("Web import job %(id)d lost its worker and is marked failed (nothing was written).")
                % {"id": pk}
            )

    def progress_printer(self, clock=time.monotonic):
        stream = self.stderr
        tty = sys.stderr.isatty()
        shown, started = {}, {}

        def report(phase, done, total):
            now = clock()
            started.setdefault(phase, now)
            percent = int(100 * done / total) if total else 0
            label = {"check": _("checking"), "write": _("writing")}.get(phase, phase)
            line = f"{label}: {done:,}/{total:,} ({percent}%)"
            spent = now - started[phase]
            if 0 < done < total and spent >= 1:
                left = round(spent / done * (total - done))
                line += ", " + (
                    _("about %(minutes)d min %(seconds)d s left")
                    % {"minutes": left // 60, "seconds": left % 60}
                    if left >= 60
                    else _("about %(seconds)d s left") % {"seconds": max(left, 1)}
                )
            if tty:
                stream.write(f"\r{line}\x1b[K", ending="")
                stream.flush()
            elif shown.get(phase) != percent // 10:
                shown[phase] = percent // 10
                stream.write(line)

        return report

    def report(self, result):
        if sys.stderr.isatty():
            self.stderr.write("")
        for line in result.error_lines():
            self.stderr.write(line)
        for line in result.warning_lines():
            self.stderr.write(line)
        counts = _("%(rows)d rows: %(created)d new, %(updated)d changed, %(unchanged)d unchanged, %(rejected)d rejected.") % {
            "rows": result.rows, "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "rejected": result.rejected,
        }  # fmt: skip
        if result.dry_run:
            self.stdout.write(_("Dry run, nothing written.") + " " + counts)
        elif result.written:
            self.stdout.write(self.style.SUCCESS(_("Imported.") + " " + counts))
        elif result.ok:
            self.stdout.write(_("Nothing to change.") + " " + counts)
        if result.rejected_file:
            self.stdout.write(_("Rejected rows and their errors: %(path)s") % {"path": result.rejected_file})
        if not result.ok and not result.written:
            raise CommandError(_("%(count)d problems; nothing was written.") % {"count": result.error_count})
