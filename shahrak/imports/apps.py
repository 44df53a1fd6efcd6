from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "shahrak.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from shahrak.ops.signals import worker_starting
        from shahrak.ui.hooks import provide

        from . import checks  # noqa: F401 (registers the deploy checks on the OC4IDS publisher)
        from .export import FORMATS, export_response

        worker_starting.connect(_fail_stale_jobs, dispatch_uid="imports.fail_stale_jobs")
        # Every list page exports, and the menu offers the import page, through ui (below this app).
        provide("export_list", export_response)
        provide("export_formats", lambda: FORMATS)
        provide("may_import", may_import)


def may_import(user) -> bool:
    from .views import writable_resources

    return bool(writable_resources(user))


def _fail_stale_jobs(**kwargs):
    """The worker is starting: imports the previous one left checking or importing are failed."""
    from .jobs import fail_stale_jobs

    fail_stale_jobs()
