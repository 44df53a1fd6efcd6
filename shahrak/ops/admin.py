from django.contrib import admin

from .models import DemoLoad, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "beat_at")
    readonly_fields = list_display


@admin.register(DemoLoad)
class DemoLoadAdmin(admin.ModelAdmin):
    """Deleting the row removes the "demo data" banner (once the invented records are gone)."""

    list_display = ("loaded_at", "scale", "seed")
    readonly_fields = list_display
