from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shahrak.core"
    label = "core"
    verbose_name = "Core"
