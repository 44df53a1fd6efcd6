from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "shahrak.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from shahrak.ops.signals import worker_starting

        from . import checks  # noqa: F401 (registers the deploy checks on the OC4IDS publisher)

        worker_starting.connect(_fail_stale_jobs, dispatch_uid="imports.fail_stale_jobs")


def _fail_stale_jobs(**kwargs):
    """The worker is starting: imports the previous one left checking or importing are failed."""
    from .jobs import fail_stale_jobs

    fail_stale_jobs()
