from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "shahrak.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from .collation import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="shahrak_sqlite_text_keys")
        from .versions import watch_audited_models

        watch_audited_models()
