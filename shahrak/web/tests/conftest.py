import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread


class SerialWSGIServer(WSGIServer):
    """The browser tests' server answers one request at a time.

    On SQLite the tests' in-memory database is one connection shared with the live server's
    thread; Django's default threaded server lets the page's parallel requests (the dashboard's
    trend and map data) use that connection at once, which fails at random with "bad parameter
    or other API misuse". Served one after another they cannot collide.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


LiveServerThread.server_class = SerialWSGIServer


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
