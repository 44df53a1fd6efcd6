"""Who may read and write what: the one place roles are enforced.

The web views, the API, imports and exports all call these functions, so a rule is the same
everywhere. Everyone signed in reads the whole nation. Administrators write everything; a
provincial officer writes only the estates, workshops, units, events, projects and payments of
their own province; national analysts and viewers write nothing.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from shahrak.core.places import county_path, province_id_lookup

from .models import Role

# Record types a provincial officer keeps for their province.
OFFICER_MODELS = frozenset(
    {
        "estates.estate",
        "estates.workshopunit",
        "units.productionunit",
        "units.unitevent",
        "projects.developmentproject",
        "projects.disbursement",
        "projects.planneddisbursement",
        # Land and workshops; programmes themselves are national (administrators).
        "land.plot",
        "land.plothold",
        "land.application",
        "land.allocationcontract",
        "land.contractextension",
        "land.contracttransfer",
        "land.plotchange",
        "land.instalment",
        "land.landpayment",
        "land.workshoplease",
        "land.programmemember",
    }
)
WRITE_ACTIONS = ("add", "change", "delete")
# Record types the public adds without an account (an investor's online application, issue 13):
# added only, never changed, through records.actions.save_public_record.
PUBLIC_ADDS = frozenset({"land.application"})


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == Role.ADMINISTRATOR))


def can_read(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def may_write_model(user, model) -> bool:
    """Whether the user may write some records of this type (before looking at which)."""
    if not can_read(user):
        return False
    if is_admin(user):
        return True
    return (
        user.role == Role.OFFICER
        and user.province_id is not None
        and model._meta.label_lower in OFFICER_MODELS
    )


def restrict(queryset: QuerySet, user, action: str = "view") -> QuerySet:
    """The records of the queryset the user may act on ('view', 'add', 'change', 'delete')."""
    if not can_read(user):
        return queryset.none()
    if action == "view" or is_admin(user):
        return queryset
    if not may_write_model(user, queryset.model):
        return queryset.none()
    return queryset.filter(**{province_id_lookup(queryset.model): user.province_id})


def province_id_of(instance: Model) -> int | None:
    """The province a record is in, following its foreign keys (works before it is saved)."""
    path = county_path(type(instance))
    obj = instance
    for step in [p for p in path.split("__") if p]:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return obj.province_id


def check_write(user, instance: Model, action: str = "change") -> None:
    """Raise PermissionDenied, with a message the user can act on, unless the user may write it.

    For a change that moves a record (to another estate or county), call it for the record
    before and after the change: an officer may neither take a record out of their province nor
    bring one in.
    """
    model = type(instance)
    if not can_read(user):
        raise PermissionDenied(_("You must sign in."))
    if is_admin(user):
        return
    if not may_write_model(user, model):
        raise PermissionDenied(
            _("Your role (%(role)s) may not change %(records)s.")
            % {"role": user.get_role_display(), "records": model._meta.verbose_name_plural}
        )
    if province_id_of(instance) != user.province_id:
        raise PermissionDenied(outside_province(user, model))


def outside_province(user, model) -> str:
    """What an officer is told about a record of another province: it is there, and only to read
    (never that it does not exist). Writing one, or attaching a new record to one, is refused so."""
    return _("This %(record)s is outside your province (%(province)s); you may only read it.") % {
        "record": model._meta.verbose_name,
        "province": user.province,
    }


def check_public_add(instance: Model) -> None:
    """Raise PermissionDenied unless the public may add this record (a new one of PUBLIC_ADDS)."""
    if type(instance)._meta.label_lower not in PUBLIC_ADDS or not instance._state.adding:
        raise PermissionDenied(_("You must sign in."))


def may_save_scenarios(user) -> bool:
    """What-if scenarios (the analyst's desk) are saved by national analysts and administrators."""
    return can_read(user) and (is_admin(user) or user.role == Role.ANALYST)
