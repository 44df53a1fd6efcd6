from django.contrib import admin

from shahrak.core.admin_base import AuditedAdmin

from .models import Target


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = ["metric", "year", "start_date", "end_date", "province", "value"]
    list_filter = ["metric", "year", "province"]
