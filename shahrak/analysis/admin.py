from django.contrib import admin

from shahrak.core.admin_base import AuditedAdmin

from .models import Claim, ClaimCheck


@admin.register(Claim)
class ClaimAdmin(AuditedAdmin):
    list_display = ["code", "published_on", "metric", "value", "unit", "outlet"]
    list_filter = ["metric", "unit", "outlet"]
    search_fields = ["code", "quote", "translation"]


@admin.register(ClaimCheck)
class ClaimCheckAdmin(AuditedAdmin):
    list_display = ["claim", "checked_at", "register_value", "verdict"]
    list_filter = ["verdict"]
