from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running in production: health and readiness, JSON logs, the worker's heartbeat, backups,
    and the demo-data flag. It imports no other app of Shahrak: it sits at the bottom, beside core."""

    name = "shahrak.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import tasklog  # noqa: F401  (registers the task hook)
