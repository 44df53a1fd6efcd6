"""`shahrak ensure_demo_users`: one login per role for trying the demo; never in production."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shahrak.accounts.models import Role, User
from shahrak.regions.models import Province

# username, password, role, province of an officer
DEMO_USERS = [
    ("admin", "shahrak-admin", Role.ADMINISTRATOR, None),
    ("analyst", "shahrak-analyst", Role.ANALYST, None),
    ("officer", "shahrak-officer", Role.OFFICER, "IR-23"),
    ("viewer", "shahrak-viewer", Role.VIEWER, None),
]


class Command(BaseCommand):
    help = (
        "Create the demo logins if they are missing: admin, analyst, officer (Tehran province) and viewer, "
        "each with the password shahrak-<username>. Users that already exist are left as they are. Refused "
        "when DEBUG is off (a production setting) unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="create them even with DEBUG off (never on a public server)"
        )

    @transaction.atomic
    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like production: demo logins with known passwords are not created. "
                "Use --force only on a private machine."
            )
        for username, password, role, province_code in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                state = "exists, left unchanged"
            else:
                province = None
                if province_code:
                    province = Province.objects.filter(iso_code=province_code).first()
                    if province is None:
                        raise CommandError(
                            f"province {province_code} is missing: run `shahrak load_reference` first"
                        )
                is_admin = role == Role.ADMINISTRATOR
                User.objects.create_user(
                    username=username,
                    password=password,
                    role=role,
                    province=province,
                    is_staff=is_admin,
                    is_superuser=is_admin,
                )
                state = "created"
            where = f", {province_code}" if province_code else ""
            self.stdout.write(f"  {username:8} / {password:16} {role.label}{where} ({state})")
