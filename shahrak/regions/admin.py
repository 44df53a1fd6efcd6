from django.contrib import admin

from shahrak.core.admin_base import AuditedAdmin

from .models import County, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["iso_code", "sci_code", "name_fa", "name_en", "population"]
    search_fields = ["iso_code", "sci_code", "name_fa", "name_en"]


@admin.register(County)
class CountyAdmin(AuditedAdmin):
    list_display = ["sci_code", "name_fa", "name_en", "province", "population", "deprivation", "size_class"]
    list_filter = ["province", "deprivation", "deprivation_basis", "size_class"]
    search_fields = ["sci_code", "name_fa", "name_en"]
    list_select_related = ["province"]
