from django.contrib import admin

from shahrak.core.admin_base import AuditedAdmin

from .models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(AuditedAdmin):
    list_display = ["date", "currency", "source", "rials_per_unit"]
    list_filter = ["currency", "source"]
    date_hierarchy = "date"
