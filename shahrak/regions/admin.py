from django.contrib import admin

from shahrak.core.admin_base import AuditedAdmin

from .models import County, Province


class ReferenceDataAdmin:
    """Provinces and counties are reference data (`shahrak load_reference`): the admin site neither
    adds nor deletes them, as the API does not; a county's less-developed status is still edited."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin, admin.ModelAdmin):
    list_display = ["iso_code", "sci_code", "name_fa", "name_en", "population"]
    search_fields = ["iso_code", "sci_code", "name_fa", "name_en"]


@admin.register(County)
class CountyAdmin(ReferenceDataAdmin, AuditedAdmin):
    list_display = ["sci_code", "name_fa", "name_en", "province", "population", "deprivation", "size_class"]
    list_filter = ["province", "deprivation", "deprivation_basis", "size_class"]
    search_fields = ["sci_code", "name_fa", "name_en"]
    list_select_related = ["province"]
