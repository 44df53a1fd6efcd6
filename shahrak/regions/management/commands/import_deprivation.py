from django.core.management.base import BaseCommand, CommandError

from shahrak.regions.deprivation import DeprivationImportError, import_deprivation


class Command(BaseCommand):
    help = "Import the official less-developed status of counties from a CSV (sci_code,status,basis,source)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            changed = import_deprivation(file)
        except DeprivationImportError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        self.stdout.write(f"{changed} counties changed")
