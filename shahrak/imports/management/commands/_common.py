"""What the import, export and template commands share: whom they act as, and language."""

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def acting_user(username: str | None):
    """The user a command acts as: --user, or the only active administrator.

    A superuser made with `createsuperuser` counts as an administrator (docs/roles.md).
    """
    from django.db.models import Q

    from shahrak.accounts.models import Role, User

    if username:
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(_("No active user is named %(name)s.") % {"name": username}) from None
    admins = list(User.objects.filter(Q(role=Role.ADMINISTRATOR) | Q(is_superuser=True), is_active=True)[:2])
    if len(admins) != 1:
        raise CommandError(
            _("Name the user the command acts as with --user (history records who changed what).")
        )
    return admins[0]


def add_language_argument(parser) -> None:
    parser.add_argument(
        "--lang", choices=[code for code, _name in settings.LANGUAGES], default=None,
        help="language of headers and messages (default: the site's)",
    )  # fmt: skip
