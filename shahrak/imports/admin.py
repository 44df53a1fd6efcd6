from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Imports started from the web, for administrators to follow; the records they wrote have their own history."""

    list_display = ["created", "user", "filename", "resource", "status", "done", "total"]
    list_filter = ["status", "resource"]
    search_fields = ["filename", "user__username"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False
