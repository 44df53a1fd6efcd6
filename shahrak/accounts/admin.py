from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "province", "is_active"]
    list_filter = ["role", "province", "is_active"]
    fieldsets = [*BaseUserAdmin.fieldsets, (_("Shahrak"), {"fields": ["role", "province", "language"]})]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Shahrak"), {"fields": ["role", "province", "language"]}),
    ]
