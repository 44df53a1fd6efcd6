from django.contrib import admin

from shahrak.core.admin_base import AuditedAdmin

from .models import IsicClass, ProductionUnit, UnitEvent


@admin.register(IsicClass)
class IsicClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fa", "tech_intensity"]
    list_filter = ["tech_intensity"]
    search_fields = ["code", "name_en", "name_fa"]


class UnitEventInline(admin.TabularInline):
    model = UnitEvent
    extra = 0


@admin.register(ProductionUnit)
class ProductionUnitAdmin(AuditedAdmin):
    list_display = ["national_id", "name", "estate", "county", "isic", "employees", "knowledge_based_since"]
    list_filter = ["county__province", "isic__tech_intensity"]
    search_fields = ["national_id", "name"]
    list_select_related = ["estate", "county", "isic"]
    autocomplete_fields = ["estate", "county", "isic"]
    inlines = [UnitEventInline]


@admin.register(UnitEvent)
class UnitEventAdmin(AuditedAdmin):
    list_display = ["unit", "date", "kind", "cause", "jobs"]
    list_filter = ["kind", "cause"]
    search_fields = ["unit__national_id", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    date_hierarchy = "date"
