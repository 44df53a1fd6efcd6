from django.contrib import admin

from shahrak.core.admin_base import AuditedAdmin

from .models import MonthlyReturn, PublishedFigures, ReturnStep


class ReturnStepInline(admin.TabularInline):
    model = ReturnStep
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "at", "note", "until"]

    def has_add_permission(self, request, obj=None):
        return False


class PublishedFiguresInline(admin.TabularInline):
    """The figures stored on each approval (shahrak/returns/published.py): never changed."""

    model = PublishedFigures
    extra = 0
    can_delete = False
    readonly_fields = ["approved_at", "step", "figures"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MonthlyReturn)
class MonthlyReturnAdmin(AuditedAdmin):
    """Read-only: a return changes state only through its named actions (shahrak/returns/actions.py)."""

    list_display = [
        "province",
        "year",
        "month",
        "state",
        "first_submitted_at",
        "approved_at",
        "reopened_until",
    ]
    list_filter = ["state", "year", "month", "province"]
    inlines = [ReturnStepInline, PublishedFiguresInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
