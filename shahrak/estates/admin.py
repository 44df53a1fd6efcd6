from django.contrib import admin

from shahrak.core.admin_base import AuditedAdmin

from .models import Estate, WorkshopUnit


@admin.register(Estate)
class EstateAdmin(AuditedAdmin):
    list_display = ["code", "name_fa", "kind", "county", "status", "licence_date", "industrial_area_ha"]
    list_filter = ["kind", "status", "county__province", "county__deprivation"]
    search_fields = ["code", "name_fa", "name_en"]
    list_select_related = ["county"]
    autocomplete_fields = ["county"]
    date_hierarchy = "licence_date"


@admin.register(WorkshopUnit)
class WorkshopUnitAdmin(AuditedAdmin):
    list_display = ["code", "estate", "floor_area_m2", "completed_date", "opened_date", "occupant"]
    list_filter = ["estate__kind", "estate__county__province"]
    search_fields = ["code", "estate__code", "estate__name_fa"]
    list_select_related = ["estate", "occupant"]
    autocomplete_fields = ["estate", "occupant"]
    date_hierarchy = "opened_date"
