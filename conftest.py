"""Test fixtures shared by every app: reference data in the test database, one user per role."""

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Test users sign in with a password; hashing it the production way costs 0.5 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (Persian), as every request does: a request that
    activated English must not leave it active for the next test in the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the shipped reference data (provinces, counties, ISIC classes)."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def tehran(db):
    from shahrak.regions.models import Province

    return Province.objects.get(iso_code="IR-23")


@pytest.fixture
def make_user(db):
    from shahrak.accounts.models import Role, User
    from shahrak.regions.models import Province

    def make(role=Role.VIEWER, province="IR-23", username=None, **extra):
        province_obj = Province.objects.get(iso_code=province) if role == Role.OFFICER else None
        return User.objects.create_user(
            username=username or f"{role}-{province}",
            password="pw-for-tests",
            role=role,
            province=province_obj,
            **extra,
        )

    return make


@pytest.fixture
def admin_user(make_user):
    from shahrak.accounts.models import Role

    return make_user(Role.ADMINISTRATOR, username="admin")


@pytest.fixture
def analyst(make_user):
    from shahrak.accounts.models import Role

    return make_user(Role.ANALYST, username="analyst")


@pytest.fixture
def officer(make_user):
    """A provincial officer of Tehran province (IR-23)."""
    from shahrak.accounts.models import Role

    return make_user(Role.OFFICER, province="IR-23", username="officer-tehran")


@pytest.fixture
def viewer(make_user):
    from shahrak.accounts.models import Role

    return make_user(Role.VIEWER, username="viewer")


def pytest_collection_modifyitems(config, items):
    """Transactional tests run last, as Django's own runner orders them: each ends by flushing every
    table, reference data included, which the tests after it in the same worker would miss."""

    def flushes(item) -> bool:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        return bool(marker and marker.kwargs.get("transaction")) or any(
            name in fixtures for name in ("transactional_db", "live_server")
        )

    items.sort(key=flushes)
