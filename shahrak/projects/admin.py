from django.contrib import admin

from shahrak.core.admin_base import AuditedAdmin

from .models import DevelopmentProject, Disbursement, PlannedDisbursement


@admin.register(DevelopmentProject)
class DevelopmentProjectAdmin(AuditedAdmin):
    list_display = [
        "code",
        "title",
        "estate",
        "category",
        "credit_rials",
        "status",
        "start_date",
        "physical_progress",
    ]
    list_filter = ["category", "status", "funding_source", "estate__county__province"]
    search_fields = ["code", "title", "title_en", "estate__code"]
    list_select_related = ["estate"]
    autocomplete_fields = ["estate"]


@admin.register(Disbursement)
class DisbursementAdmin(AuditedAdmin):
    list_display = ["project", "date", "amount_rials", "funding_source"]
    list_filter = ["funding_source"]
    search_fields = ["project__code", "reference"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    date_hierarchy = "date"


@admin.register(PlannedDisbursement)
class PlannedDisbursementAdmin(AuditedAdmin):
    list_display = ["project", "year", "month", "amount_rials"]
    list_filter = ["year", "month"]
    search_fields = ["project__code"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
