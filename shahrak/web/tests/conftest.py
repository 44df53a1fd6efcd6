import pytest


@pytest.fixture
def sample(db):
    """The hand-countable records of tests/sample.py."""
    from .sample import build_sample

    return build_sample()


@pytest.fixture
def login(client):
    """Sign a user in on the test client, reading the pages in the given language (English by default,
    so that assertions can use the messages' English text)."""

    def sign_in(user, language="en"):
        user.language = language
        user.save(update_fields=["language"])
        client.force_login(user)
        return client

    return sign_in
