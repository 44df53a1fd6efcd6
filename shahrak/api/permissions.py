"""The API's permission class: a thin adapter over shahrak.accounts.scope (the one place roles are decided)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from shahrak.accounts.scope import can_read, check_write, may_write_model


class ScopedPermission(BasePermission):
    """Everyone signed in reads; writing needs the role and, per record, the province."""

    message = ""

    def has_permission(self, request, view):
        if not can_read(request.user):
            return False
        if request.method in SAFE_METHODS:
            return True
        model = view.get_queryset().model
        if may_write_model(request.user, model):
            return True
        self.message = _("Your role (%(role)s) may not change %(records)s.") % {
            "role": request.user.get_role_display(),
            "records": model._meta.verbose_name_plural,
        }
        return False

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        try:
            check_write(request.user, obj, "delete" if request.method == "DELETE" else "change")
        except PermissionDenied as error:
            self.message = str(error)
            return False
        return True
