from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running in production: health and readiness, JSON logs, the worker's heartbeat, backups,
    deploy checks and the demo-data flag."""

    name = "shahrak.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import checks, tasklog  # noqa: F401  (registers the deploy checks and the task hook)
