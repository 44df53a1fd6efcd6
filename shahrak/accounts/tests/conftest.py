import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users of these tests sign in with a password; hashing it the production way costs 0.5 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
