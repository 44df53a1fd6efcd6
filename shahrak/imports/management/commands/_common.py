"""What the import, export and template commands share: whom they act as, and language."""

from pathlib import Path

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


# The format a file's name says it holds.
FORMAT_OF_EXTENSION = {".csv": "csv", ".xlsx": "xlsx", ".json": "oc4ids"}


def output_format(output, given: str | None, formats: list[str], default: str) -> str:
    """The format to write: the one the output file's extension names (.csv, .xlsx, .json for
    OC4IDS), which --format, if given, must agree with; `default` when there is no file."""
    if output is None:
        return given or default
    named = FORMAT_OF_EXTENSION.get(Path(output).suffix.lower())
    if named not in formats:
        raise CommandError(
            _("Cannot tell the format of «%(file)s» from its name: end it with %(extensions)s.")
            % {
                "file": output,
                "extensions": ", ".join(e for e, f in FORMAT_OF_EXTENSION.items() if f in formats),
            }
        )
    if given and given != named:
        raise CommandError(
            _("--format %(format)s does not match «%(file)s»: the file's extension says %(named)s.")
            % {"format": given, "file": output, "named": named}
        )
    return named
